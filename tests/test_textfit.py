"""The fit engine: measuring, wrapping, shrinking and continuing with the real font."""

from __future__ import annotations

import pytest

from deckgen import textfit
from deckgen.richtext import Run, parse
from deckgen.textfit import (
    WIDTH_SAFETY,
    Block,
    FontSet,
    fit,
    line_count,
    measure,
    split_to_fit,
    wrap,
)
from deckgen.theme import load_theme


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    f = load_theme().fonts
    return FontSet(
        f.file(False, False), f.file(True, False), f.file(False, True), f.file(True, True)
    )


def test_widths_come_from_the_font(fonts: FontSet) -> None:
    # Liberation Sans (Arial metrics): 'i' is much narrower than 'W'; bold is wider.
    assert fonts.width("i", False, False, 10) < fonts.width("W", False, False, 10) / 3
    assert fonts.width("Alliance", True, False, 20) > fonts.width("Alliance", False, False, 20)
    # Widths scale linearly with size.
    assert fonts.width("NATO", False, False, 30) == pytest.approx(
        3 * fonts.width("NATO", False, False, 10)
    )


def test_wrap_never_exceeds_the_usable_width(fonts: FontSet) -> None:
    runs = tuple(
        parse("The **handover** from Stoltenberg to Rutte was *more* than a change of leader. " * 5)
    )
    for width in (120, 250, 400):
        lines = wrap(runs, width, 14, fonts)
        assert len(lines) > 1
        for line in lines:
            used = sum(fonts.width(r.text, r.bold, r.italic, 14) for r in line)
            assert used <= width * (1 - WIDTH_SAFETY) + 1e-6
        rejoined = " ".join("".join(r.text for r in line).strip() for line in lines)
        assert rejoined.split() == "".join(r.text for r in runs).split()


def test_a_word_longer_than_the_line_is_broken_not_lost(fonts: FontSet) -> None:
    word = "x" * 5000
    lines = wrap((Run(word),), 200, 12, fonts)
    assert "".join(r.text for line in lines for r in line) == word
    assert len(lines) > 10


def test_fit_picks_the_largest_size_that_fits(fonts: FontSet) -> None:
    blocks = [Block(tuple(parse("Deterrence and forward presence on the eastern flank. " * 3)))]
    result = fit(blocks, 300, 120, 24, 10, fonts)
    assert result.fits
    assert measure(blocks, 300, result.size, fonts)[0] <= 120
    if result.size < 24:
        assert measure(blocks, 300, result.size + 0.5, fonts)[0] > 120


def test_fit_reports_overflow_at_the_minimum(fonts: FontSet) -> None:
    blocks = [Block((Run("word " * 2000),))]
    result = fit(blocks, 300, 100, 20, 12, fonts)
    assert not result.fits
    assert result.size == 12


def test_split_to_fit_continues_without_losing_text(fonts: FontSet) -> None:
    text = " ".join(f"w{i}" for i in range(3000))
    blocks = [Block((Run(text),)), Block((Run("second paragraph"),))]
    pages = []
    rest = blocks
    while rest:
        page, rest = split_to_fit(rest, 400, 200, 12, fonts)
        assert measure(page, 400, 12, fonts)[0] <= 200 + 1e-6
        pages.append(page)
    words = " ".join("".join(r.text for r in b.runs) for page in pages for b in page).split()
    assert words == [*text.split(), "second", "paragraph"]
    assert len(pages) > 3


def test_a_paragraph_that_fits_on_the_next_part_is_not_cut(fonts: FontSet) -> None:
    """A key point that does not fit under the ones before goes whole to the next slide, not
    its first lines here and the rest there; only a paragraph too tall for a part of its own is
    split between lines."""
    short = Block((Run("A short first point."),))
    long_text = " ".join(f"word{i}" for i in range(24)) + "."
    long = Block((Run(long_text),))
    both, _ = measure([short, long], 400, 12, fonts)
    alone, _ = measure([long], 400, 12, fonts)
    height = both - 6  # the short point and all but the last line of the long one would fit
    assert alone <= height < both
    head, rest = split_to_fit([short, long], 400, height, 12, fonts)
    assert (head, rest) == ([short], [long])
    head, rest = split_to_fit([long], 400, alone / 2, 12, fonts)  # too tall for any part
    assert rest
    words = " ".join("".join(r.text for r in b.runs) for b in (*head, *rest)).split()
    assert words == long_text.split()


def test_unicode_the_font_covers_is_measured(fonts: FontSet) -> None:
    m = fonts.metrics(False, False)
    for ch in "ÄÖÜßéèçřłŁ€§–—…ΑΩЖж":
        assert m.covers(ch), ch
    assert fonts.width("Ж", False, False, 10) > 0
    assert m.missing("日本") == {"日", "本"}


def test_line_count_equals_wrap(fonts: FontSet) -> None:
    # The fit engine counts lines without building them; it must agree with wrap() exactly.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from deckgen.textfit import line_count

    words = st.sampled_from(["NATO", "alliance", "**bold** text", "*it*", "x" * 90, "Ünïcode", ""])

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(words, min_size=0, max_size=40),
        st.floats(min_value=20, max_value=900),
        st.floats(min_value=6, max_value=40),
    )
    def check(parts: list[str], width: float, size: float) -> None:
        runs = tuple(parse(" ".join(parts)))
        assert line_count(runs, width, size, fonts) == len(wrap(runs, width, size, fonts))

    check()


def test_kept_results_equal_fresh_ones_and_callers_cannot_change_them(fonts: FontSet) -> None:
    runs = tuple(parse("Allies **agreed** the plan for the eastern flank at the summit. " * 4))
    blocks = [Block(runs), Block(tuple(parse("A second, shorter paragraph.")))]
    textfit.clear_cache()
    fresh = (wrap(runs, 230, 13, fonts), line_count(runs, 230, 13, fonts))
    fresh_fit = fit(blocks, 300, 160, 24, 10, fonts)
    kept = wrap(runs, 230, 13, fonts)
    assert (kept, line_count(runs, 230, 13, fonts)) == fresh
    assert fit(blocks, 300, 160, 24, 10, fonts) == fresh_fit
    kept[0].clear()  # a caller editing its lines
    kept.pop()
    assert wrap(runs, 230, 13, fonts) == fresh[0]


def test_kept_results_are_per_font(fonts: FontSet) -> None:
    """The same text in the same box measured with other faces is measured afresh."""
    f = load_theme().fonts
    bold = FontSet(*(f.file(True, False),) * 4)
    runs = tuple(parse("Deterrence and forward presence on the eastern flank. " * 6))
    regular_lines = len(wrap(runs, 260, 14, fonts))
    bold_lines = len(wrap(runs, 260, 14, bold))
    assert bold_lines > regular_lines  # bold is wider, so it needs more lines
    assert line_count(runs, 260, 14, bold) == bold_lines
    assert line_count(runs, 260, 14, fonts) == regular_lines
    blocks = [Block(runs)]
    assert fit(blocks, 260, 100, 24, 8, fonts).size == 11.0
    assert fit(blocks, 260, 100, 24, 8, bold).size == 10.0
