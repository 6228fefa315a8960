"""Message catalogues: a language tag in, the fixed words of the outputs, dates and numbers in
that language out.

Every fixed word the outputs print (headings, labels, status words, "Page 3 of 12", speaker
note headings, chart descriptions) is a message of a gettext catalogue,
``assets/locale/<language>/LC_MESSAGES/deckgen.po``, read with Babel. The messages are keyed:
``msgid`` is a stable name (``key_judgements``) and ``msgstr`` the words, with ``{blanks}`` to
fill (``Page {page} of {total}``); English is a catalogue like any other. Dates take the
catalogue's ``date_format`` pattern and Babel's month names for the language; numbers that
deckgen writes itself (chart ticks) take Babel's decimal sign for it. An outline's own text
(metric values included) is never touched.

A language without a catalogue gets English (words, dates and numbers alike), and
:func:`language_notice` says so once. Pure: the catalogues are package data, read once per
process.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from deckgen.diagnostics import Diagnostic, Severity
from deckgen.model import Since
from deckgen.project import builtin

DEFAULT = "en"
DOMAIN = "deckgen"
_BLANK = re.compile(r"\{(\w*)\}")


def locale_dir() -> Path:
    """The folder of the shipped catalogues: ``<language>/LC_MESSAGES/deckgen.po``."""
    return builtin("locale")


def catalogue_file(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """The languages that ship a catalogue (``en``, ``fr``), sorted."""
    root = locale_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())


@functools.cache
def messages(language: str) -> Mapping[str, str]:
    """The translated messages of ``language``'s catalogue, by key (fuzzy and empty ones left
    out, as gettext leaves them out); empty when there is no catalogue."""
    path = catalogue_file(language)
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        catalog = read_po(f, locale=None, domain=DOMAIN)
    out: dict[str, str] = {}
    for m in catalog:
        usable = isinstance(m.id, str) and isinstance(m.string, str) and not m.fuzzy
        if usable and m.id and m.string:
            out[str(m.id)] = str(m.string)
    return out


def blanks(text: str) -> set[str]:
    """The names of the ``{blanks}`` in a message."""
    return set(_BLANK.findall(text))


def candidates(tag: str) -> list[str]:
    """The catalogues that could serve the BCP 47 ``tag``, most specific first:
    ``fr-CA`` -> ``fr_CA``, ``fr``."""
    parts = tag.replace("_", "-").split("-")
    out = []
    for n in range(len(parts), 0, -1):
        head = parts[:n]
        name = "_".join([head[0].lower(), *head[1:]])
        out.append(name)
    return out


@dataclass(frozen=True, slots=True)
class Words:
    """The fixed words, dates and numbers of one language."""

    asked: str  # meta.language as written
    language: str  # the catalogue used ("en" when ``asked`` has none)
    table: Mapping[str, str]
    english: Mapping[str, str]  # for a key a catalogue lacks (a test keeps them complete)

    @property
    def fallback(self) -> bool:
        """Whether ``asked`` has no catalogue, so English stands in."""
        return self.language == DEFAULT and candidates(self.asked)[-1] != DEFAULT

    @property
    def locale(self) -> Locale:
        try:
            return Locale.parse(self.language)
        except (UnknownLocaleError, ValueError):
            return Locale.parse(DEFAULT)

    def template(self, key: str) -> str:
        """Message ``key`` with its blanks left to fill (``Page {page} of {total}``)."""
        found = self.table.get(key)
        if found is None:
            found = self.english[key]
        return found

    def __call__(self, key: str, **values: object) -> str:
        """Message ``key`` with ``values`` in its blanks."""
        return self.template(key).format(**values)

    def cap(self, key: str, **values: object) -> str:
        """Message ``key`` as it starts a line or a label: its first letter a capital."""
        return sentence_case(self(key, **values))

    def upper(self, key: str, **values: object) -> str:
        """Message ``key`` in capitals (kickers, cover labels)."""
        return self(key, **values).upper()

    # ---------------------------------------------------------------- dates and numbers

    def date(self, d: datetime.date) -> str:
        """``2025-01-09`` as the language writes it in a briefing: ``9 January 2025``,
        ``9 janvier 2025`` (the catalogue's ``date_format``, Babel's month names)."""
        return format_date(d, self.template("date_format"), locale=self.locale)

    def number(self, value: float) -> str:
        """A number deckgen writes itself (a chart's axis ticks): ``2.5``, ``2,5``.

        Babel groups French thousands with U+202F, which some bundled fonts lack (Caladea,
        Liberation Mono); the no-break space U+00A0 every font here sets is used instead."""
        return format_decimal(value, locale=self.locale).replace("\u202f", "\u00a0")

    # ------------------------------------------------------------ words built of words

    def as_of(self, d: datetime.date) -> str:
        return self("as_of", date=self.date(d))

    def status(self, status: str | None) -> str:
        """``amber`` -> ``Watch``; no status -> ``no status``."""
        return self(f"status_{status}") if status else self("status_none")

    def level(self, level: str | None) -> str:
        """A confidence level alone, as in "raised from low to moderate"."""
        return self(f"level_{level}") if level else ""

    def confidence(self, level: str) -> str:
        """``moderate`` -> ``moderate confidence`` (within a sentence)."""
        return self("confidence", level=self.level(level))

    def continued(self, title: str, k: int) -> str:
        """A slide's title, with "(cont.)" on every slide after the first."""
        return self("continued", title=title) if k else title

    def colon(self, label: str) -> str:
        """``label:`` with the language's space before the colon, if it has one."""
        return self("colon", label=label)

    def quoted(self, text: str | None) -> str:
        return self("quoted", text=text or "")

    def since(self, since: Since | None) -> str:
        """How the outputs name the older version: ``the version of 9 January 2025, revision
        abc1234`` (None: the previous successful build)."""
        if since is None:
            return self("since_last_build")
        return self(f"since_{since.kind}", date=self.date(since.date), revision=since.revision)

    def section_refs(self, numbers: list[int]) -> str:
        """``Section 2`` or ``Sections 2, 4`` (""; for no section)."""
        if not numbers:
            return ""
        listed = self("list_comma").join(str(n) for n in numbers)
        if len(numbers) == 1:
            return self("section_one", number=listed)
        return self("section_many", numbers=listed)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


@functools.cache
def words_for(tag: str) -> Words:
    """The words of the language ``tag`` (BCP 47, as ``meta.language`` has it): its own
    catalogue, its base language's (``fr`` for ``fr-CA``), else English."""
    english = messages(DEFAULT)
    for name in candidates(tag):
        table = messages(name)
        if table:
            return Words(tag, name, table, english)
    return Words(tag, DEFAULT, english, english)


def language_notice(file: str, line: int, col: int, tag: str) -> Diagnostic | None:
    """The one notice for an outline whose language has no catalogue (None when it has one)."""
    if not words_for(tag).fallback:
        return None
    shipped = ", ".join(languages())
    message = (
        f"no message catalogue for language {tag!r}: the fixed words, dates and numbers are "
        f"in English (catalogues: {shipped}; see README, Languages)"
    )
    return Diagnostic(file, line, col, "meta.language", message, Severity.NOTICE)
