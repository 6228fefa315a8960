"""The safe YAML loader: text stays text, hazards are located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import InputError
from deckgen.yamlsafe import Limits, load_yaml


def problems(src: bytes, limits: Limits | None = None) -> list[str]:
    with pytest.raises(InputError) as info:
        load_yaml(src, "x.yaml", limits)
    return [d.format() for d in info.value.diagnostics]


def test_scalars_stay_the_text_the_author_wrote() -> None:
    doc = load_yaml(b"a: NO\nb: 3.10\nc: 1:30\nd: 2024-10-01\ne: 0x1F\nf: ~\ng:\n", "x.yaml")
    assert doc.data == {
        "a": "NO",
        "b": "3.10",
        "c": "1:30",
        "d": "2024-10-01",
        "e": "0x1F",
        "f": "~",
        "g": None,
    }


def test_positions_are_one_based_and_point_at_values() -> None:
    doc = load_yaml(b"top:\n  - name: x\n    value: '3'\n", "x.yaml")
    assert doc.values[("top", 0, "value")] == (3, 12)
    assert doc.keys[("top", 0, "value")] == (3, 5)


def test_duplicate_key_names_both_lines() -> None:
    assert problems(b"a: 1\nb: 2\na: 3\n") == [
        "x.yaml:3:1: a: duplicate key 'a' (first defined on line 1)"
    ]


def test_anchors_and_aliases_are_refused() -> None:
    out = problems(b"a: &x hello\nb: *x\n")
    assert out == [
        "x.yaml:1:4: a: YAML anchors (&x) are not allowed",
        "x.yaml:2:4: b: YAML aliases (*x) are not allowed; write the text out",
    ]


def test_alias_bomb_is_rejected_cheaply() -> None:
    bomb = b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\n"
    assert all("not allowed" in p for p in problems(bomb))


@pytest.mark.parametrize(
    "tag",
    [b"!!python/object/apply:os.system ['true']", b"!!python/name:os.system ''", b"!custom x"],
)
def test_explicit_tags_are_refused_without_constructing_anything(tag: bytes) -> None:
    out = problems(b"a: " + tag + b"\n")
    assert len(out) == 1
    assert out[0].startswith("x.yaml:1:4: a: YAML tags (")


def test_tabs_get_a_hint() -> None:
    assert problems(b"a:\n\tb: 1\n") == [
        "x.yaml:2:1: YAML syntax error: found character '\\t' that cannot start any token"
        " (indent with spaces, not tabs)"
    ]


def test_deep_nesting_stops_at_the_limit() -> None:
    out = problems(b"[" * 5000 + b"]" * 5000)
    assert len(out) == 1
    assert "nested too deeply (more than 32 levels)" in out[0]
    assert out[0].startswith("x.yaml:1:34:")


def test_node_count_limit() -> None:
    out = problems(b"[" + b"1," * 200 + b"1]", Limits(max_nodes=100))
    assert out == ["x.yaml:1:200: [99]: too many values (more than 100)"]


def test_oversized_file() -> None:
    assert problems(b"a: 1\n" * 10, Limits(max_bytes=20)) == [
        "x.yaml:0:0: file is 50 bytes; the limit is 20"
    ]


def test_non_utf8_points_at_the_byte() -> None:
    assert problems(b"a: ok\nb: caf\xe9\n") == [
        "x.yaml:2:7: file is not UTF-8 text (byte 0xe9); save it as UTF-8"
    ]


def test_nul_byte() -> None:
    assert problems(b"a: b\x00c\n") == [
        "x.yaml:1:5: control character U+0000 is not allowed in YAML text"
    ]


def test_empty_file_and_several_documents() -> None:
    assert problems(b"") == ["x.yaml:1:1: file is empty; expected an outline"]
    assert problems(b"a: 1\n---\nb: 2\n") == [
        "x.yaml:2:1: a second YAML document ('---') is not allowed; one outline per file"
    ]


def test_utf8_bom_is_accepted() -> None:
    assert load_yaml(b"\xef\xbb\xbfa: b\n", "x.yaml").data == {"a": "b"}


_ROOT = Path(__file__).resolve().parent.parent
_CORPUS = sorted(
    p.relative_to(_ROOT)
    for folder in ("tests", "outlines", "src/deckgen/assets/themes")
    for p in (_ROOT / folder).rglob("*.yaml")
)
_SNIPPETS = [
    b"a: \nb: ''\nc: \"\"\nd: |\n  t\ne: ~\n",
    b"a: [1, {b: c}, 'd']\n",
    b"a: 1\na: 2\n",
    b"a: &x 1\nb: *x\n",
    b"a: !!python/name:os.system x\n",
    b"a: [1, 2\n",
    b"a:\n\t- b\n",
    b"a: b\x00\n",
    b"---\na: 1\n---\nb: 2\n",
    "titre: \u00e9t\u00e9 \U0001f600\nclé: x\n".encode(),
]


def _outcome(data: bytes, *, fast: bool) -> object:
    try:
        doc = load_yaml(data, "x.yaml", fast=fast)
    except InputError as err:
        return [d.format() for d in err.diagnostics]
    return doc.data, doc.values, doc.keys


@pytest.mark.parametrize("data", [*(_ROOT / p for p in _CORPUS), *_SNIPPETS], ids=str)
def test_libyaml_and_pyyaml_parsers_give_the_same_document_or_errors(data: Path | bytes) -> None:
    raw = data.read_bytes() if isinstance(data, Path) else data
    assert _outcome(raw, fast=True) == _outcome(raw, fast=False)


def test_the_corpus_for_the_parser_comparison_is_not_empty() -> None:
    assert len(_CORPUS) > 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "meta:\n  title: Rutte: the first 100 days\n",
            "x.yaml:2:15: YAML syntax error: mapping values are not allowed here: the text after "
            "'title:' contains ': ', which YAML reads as the start of another key. Fix: put the "
            'text in quotes: title: "Rutte: the first 100 days"',
        ),
        (
            "meta:\n  title: Test\n     subtitle: A\n",
            "x.yaml:3:14: YAML syntax error: mapping values are not allowed here: 'subtitle:' is "
            "indented more than the line above, so YAML reads it as more of that line's text. "
            "Fix: indent 'subtitle:' like its neighbours (line 2 has its key 2 spaces in)",
        ),
        (
            "meta:\n  title: Test\n subtitle: A\n",
            "x.yaml:3:2: YAML syntax error: expected <block end>, but found '<block mapping "
            "start>': this line is indented by 1 space, which lines it up with no key above it. "
            "Fix: indent it like the key it belongs with (line 2 has its key 2 spaces in)",
        ),
        (
            "meta:\n  title: x\n  - subtitle: y\n",
            "x.yaml:3:3: YAML syntax error: expected <block end>, but found '-': a list item "
            "('- ') stands where a 'key: value' line was expected. Fix: remove the '- ', or put "
            "the items under a key of their own ('key:' and the '- ' lines indented below it)",
        ),
        (
            'a: b\nsummary: "A summary.\nsections:\n  - a\n',
            "x.yaml:2:10: YAML syntax error: found unexpected end of stream: the text opened "
            'here with a double quote (") is never closed. Fix: put the closing " where the '
            "text ends",
        ),
        (
            "a: b\nlooking_ahead: [Watch this.\n",
            "x.yaml:2:16: YAML syntax error: expected ',' or ']', but got '<stream end>': the [ "
            "here is never closed; text starting with [ is read as a list. Fix: if it is text, "
            "put it in quotes; otherwise close it with ]",
        ),
    ],
    ids=["colon-in-text", "indented-deeper", "indented-less", "list-item", "quote", "bracket"],
)
def test_common_syntax_mistakes_are_explained_with_a_fix(text: str, expected: str) -> None:
    assert problems(text.encode()) == [expected]
