"""Safe YAML: bytes of one YAML file in, plain data (dicts, lists, strings) with positions out.

Outlines are written by hand and regenerated unattended, so this loader is deliberately narrower
than YAML: every scalar stays the text its author wrote (no YAML 1.1 surprises such as ``NO`` ->
``False`` or ``3.10`` -> ``3.1``), explicit tags, anchors and aliases are refused, duplicate keys
are errors, and size, depth and node count are bounded. Problems are :class:`Diagnostic` values
with 1-based line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events

from deckgen.diagnostics import Diagnostic, InputError
from deckgen.files import LIMITS

Path = tuple[str | int, ...]
Pos = tuple[int, int]

# Tags the loader accepts when written explicitly: they change nothing.
_HARMLESS_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile input cheap to reject."""

    max_bytes: int = LIMITS["outline"]
    max_depth: int = 32
    max_nodes: int = 200_000


@dataclass(slots=True)
class Document:
    """A loaded YAML document: its data plus where each value and key stands in the file."""

    file: str
    data: Any
    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)

    def position(self, path: Path) -> Pos:
        """The position of the value at ``path``, or of its nearest ancestor that exists."""
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def key_position(self, path: Path) -> Pos:
        """The position of the key naming ``path`` (for unknown keys), else of the value."""
        return self.keys.get(path) or self.position(path)


class _SyntaxError(InputError):
    """YAML the parser rejected (see :func:`load_yaml`): an input error like any other."""


class _Stop(Exception):
    """Raised inside the builder when a limit makes going on pointless."""


def format_path(path: Path) -> str:
    """``('sections', 3, 'title')`` -> ``sections[3].title``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _decode(data: bytes, file: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            [
                Diagnostic(
                    file, line, col, "", f"file is not UTF-8 text (byte 0x{bad}); save it as UTF-8"
                )
            ]
        ) from None


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python event parser: the reference, and the source of error messages."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_FastLoader: Any
try:  # libyaml's parser, shipped in PyYAML's wheels: the same events about 15 times faster
    from yaml._yaml import CParser as _FastLoader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    _FastLoader = None


class _Builder:
    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.doc = Document(file, None)
        self.problems: list[Diagnostic] = []
        self.nodes = 0

    def problem(self, mark: Any, path: Path, message: str) -> None:
        self.problems.append(
            Diagnostic(self.file, mark.line + 1, mark.column + 1, format_path(path), message)
        )

    def build(self, loader: Any, path: Path, depth: int) -> Any:
        event = loader.get_event()
        mark = event.start_mark
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            self.problem(mark, path, f"too many values (more than {self.limits.max_nodes})")
            raise _Stop
        if depth > self.limits.max_depth:
            self.problem(
                mark, path, f"nested too deeply (more than {self.limits.max_depth} levels)"
            )
            raise _Stop
        if isinstance(event, events.AliasEvent):
            self.problem(
                mark, path, f"YAML aliases (*{event.anchor}) are not allowed; write the text out"
            )
            return None
        assert isinstance(event, events.NodeEvent)
        if event.anchor is not None:
            self.problem(mark, path, f"YAML anchors (&{event.anchor}) are not allowed")
        tag = getattr(event, "tag", None)
        if tag not in _HARMLESS_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!") if tag else tag
            self.problem(mark, path, f"YAML tags ({shown}) are not allowed; remove the tag")
        if path[-1:] != ("<key>",):
            self.doc.values[path] = (mark.line + 1, mark.column + 1)
        if isinstance(event, events.ScalarEvent):
            if not event.style and event.value == "":  # plain: None (PyYAML) or "" (libyaml)
                return None
            return event.value
        if isinstance(event, events.SequenceStartEvent):
            items: list[Any] = []
            while not loader.check_event(events.SequenceEndEvent):
                items.append(self.build(loader, (*path, len(items)), depth + 1))
            loader.get_event()
            return items
        assert isinstance(event, events.MappingStartEvent)
        mapping: dict[str, Any] = {}
        seen: dict[str, int] = {}
        while not loader.check_event(events.MappingEndEvent):
            key_event = loader.peek_event()
            key_mark = key_event.start_mark
            key = self.build(loader, (*path, "<key>"), depth + 1)
            if not isinstance(key, str):
                self.problem(key_mark, path, "keys must be plain text")
                self.build(loader, (*path, "<value>"), depth + 1)
                continue
            child = (*path, key)
            if key in seen:
                self.problem(
                    key_mark, child, f"duplicate key {key!r} (first defined on line {seen[key]})"
                )
                self.build(loader, (*path, "<duplicate>"), depth + 1)
                continue
            seen[key] = key_mark.line + 1
            self.doc.keys[child] = (key_mark.line + 1, key_mark.column + 1)
            mapping[key] = self.build(loader, child, depth + 1)
        loader.get_event()
        return mapping


def load_yaml(
    data: bytes, file: str, limits: Limits | None = None, *, fast: bool = True
) -> Document:
    """Parse one YAML document from ``data``; raise :class:`InputError` with every problem.

    Well-formed YAML is read with libyaml's parser when PyYAML has it (``fast``). A syntax
    error found that way is reported by parsing again with PyYAML's own parser, whose messages
    and positions are the ones deckgen documents and tests, so both paths give the same result.
    """
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise InputError(
            [
                Diagnostic(
                    file, 0, 0, "", f"file is {len(data)} bytes; the limit is {limits.max_bytes}"
                )
            ]
        )
    text = _decode(data, file)
    if fast and _FastLoader is not None:
        try:
            return _parse(text, file, limits, _FastLoader)
        except _SyntaxError:
            pass
    return _parse(text, file, limits, _Loader)


def _parse(text: str, file: str, limits: Limits, make_loader: Any) -> Document:
    builder = _Builder(file, limits)
    try:
        loader: Any = make_loader(text)
        loader.get_event()  # StreamStart
        if loader.check_event(events.StreamEndEvent):
            raise InputError([Diagnostic(file, 1, 1, "", "file is empty; expected an outline")])
        loader.get_event()  # DocumentStart
        builder.doc.data = builder.build(loader, (), 0)
        loader.get_event()  # DocumentEnd
        if not loader.check_event(events.StreamEndEvent):
            mark = loader.peek_event().start_mark
            builder.problems.append(
                Diagnostic(
                    file,
                    mark.line + 1,
                    mark.column + 1,
                    "",
                    "a second YAML document ('---') is not allowed; one outline per file",
                )
            )
    except _Stop:
        pass
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"control character U+{char:04X} is not allowed in YAML text"
        raise _SyntaxError([Diagnostic(file, line, col, "", message)]) from None
    except yaml.MarkedYAMLError as exc:
        line, col, message = explain_syntax_error(text, exc)
        raise _SyntaxError([*builder.problems, Diagnostic(file, line, col, "", message)]) from None
    if builder.problems:
        raise InputError(builder.problems)
    return builder.doc


# -- syntax errors people make --------------------------------------------------------------------


def explain_syntax_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Line, column and message for a YAML syntax error, with what it usually means and a fix.

    The parser's own words are kept (they name the rule that broke); the common mistakes of
    people writing outlines by hand get a plain explanation after them: an unquoted ': ' in text,
    a key indented more or less than its neighbours, a list item where a key was expected, an
    unclosed quote or bracket. An unclosed quote or bracket is located where it opens, not at
    the end of the file where the parser noticed.
    """
    problem = exc.problem or exc.context or "not valid YAML"
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    lines = text.splitlines()

    def source(n: int) -> str:
        return lines[n - 1] if 0 < n <= len(lines) else ""

    opened = exc.context_mark
    hint = ""
    if "'\\t'" in problem:
        return line, col, f"YAML syntax error: {problem} (indent with spaces, not tabs)"
    if "quoted scalar" in (exc.context or "") and opened is not None:
        quote = source(opened.line + 1)[opened.column : opened.column + 1] or '"'
        name = "single quote (')" if quote == "'" else 'double quote (")'
        if "end of stream" in problem or "end of the document" in problem:
            line, col = opened.line + 1, opened.column + 1
            hint = (
                f"the text opened here with a {name} is never closed. Fix: put the closing "
                f"{quote} where the text ends"
            )
        elif "escape" in problem:
            hint = (
                "inside double quotes a backslash starts an escape such as \\n. Fix: write \\\\ "
                "for a backslash, or use single quotes"
            )
    elif exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") and (
        opened is not None
    ):
        bracket, close = ("[", "]") if "sequence" in exc.context else ("{", "}")
        line, col = opened.line + 1, opened.column + 1
        hint = (
            f"the {bracket} here is never closed; text starting with {bracket} is read as a "
            f"{'list' if bracket == '[' else 'mapping'}. Fix: if it is text, put it in quotes; "
            f"otherwise close it with {close}"
        )
    elif problem == "mapping values are not allowed here":
        hint = _colon_hint(source(line), col, lines[: line - 1])
    elif "but found '<block mapping start>'" in problem:
        hint = (
            f"this line is indented by {_plural(_indent(source(line)), 'space')}, which lines "
            "it up with no key above it. Fix: "
            + _align_with(lines[: line - 1], "indent it like the key it belongs with")
        )
    elif "but found '-'" in problem:
        hint = (
            "a list item ('- ') stands where a 'key: value' line was expected. Fix: remove the "
            "'- ', or put the items under a key of their own ('key:' and the '- ' lines "
            "indented below it)"
        )
    elif "but found '<block sequence start>'" in problem and opened is not None:
        hint = (
            f"the items of one list must start in the same column. Fix: line this '- ' up with "
            f"the one on line {opened.line + 1} (column {opened.column + 1})"
        )
    elif "but found '<scalar>'" in problem:
        value = source(line)
        quote = value[col - 1 : col]
        if quote in ("'", '"') or re.search(r":\s+[\"']", value):
            hint = (
                "text that starts with a quote ends at the closing quote. Fix: quote the whole "
                "text, e.g. " + _quoted(value)
            )
    elif "that cannot start any token" in problem:
        hint = "text may not start with this character. Fix: put the text in quotes"
    message = f"YAML syntax error: {problem}"
    return line, col, f"{message}: {hint}" if hint else message


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" "))


def _content_lines(before: list[str]) -> list[tuple[int, str]]:
    """The numbered lines above, skipping blank ones and comments."""
    return [(i, s) for i, s in enumerate(before, 1) if s.strip() and not s.lstrip().startswith("#")]


def _align_with(before: list[str], what: str) -> str:
    above = _content_lines(before)
    if not above:
        return what
    n, raw = above[-1]
    spaces = _indent(raw) + (2 if raw.lstrip().startswith("- ") else 0)
    return f"{what} (line {n} has its key {_plural(spaces, 'space')} in)"


def _quoted(raw: str) -> str:
    """``key: value`` with the value in double quotes (escaped): the fix for a bad plain value."""
    key, sep, value = raw.strip().partition(": ")
    if not sep:
        return raw.strip()
    escaped = value.strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}: "{escaped}"'


def _colon_hint(raw: str, col: int, before: list[str]) -> str:
    """Why a ':' broke the line: ': ' inside text, or a key indented deeper than its siblings."""
    first = raw.find(": ")
    if 0 <= first < col - 1:  # the line already has its key; this colon is inside the text
        key = raw[:first].strip().removeprefix("- ")
        return (
            f"the text after '{key}:' contains ': ', which YAML reads as the start of another "
            f"key. Fix: put the text in quotes: {_quoted(raw)}"
        )
    key = raw.strip().split(":", 1)[0]
    return (
        f"'{key}:' is indented more than the line above, so YAML reads it as more of that "
        "line's text. Fix: " + _align_with(before, f"indent '{key}:' like its neighbours")
    )
