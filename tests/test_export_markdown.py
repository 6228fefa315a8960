"""deckgen export-markdown: structure of the Pandoc Markdown and escaping of outline text."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from deckgen.export_md import escape, inline, to_markdown
from deckgen.outline import load_outline, parse_outline
from tests.conftest import MINIMAL, RUTTE, run_cli

HOSTILE_HEADLINE = r"*Not* _emph_ [link](x) <b> #tag | a\b `c` $x$ ~y~ ^z^ @cite &amp; {.cls}"


def _outline_with(headline: str, detail: str) -> str:
    return MINIMAL.replace("headline: A headline", f"headline: {json.dumps(headline)}").replace(
        "detail: A detail.", f"detail: {json.dumps(detail)}"
    )


def test_rutte_structure() -> None:
    outline = load_outline(RUTTE)
    md = to_markdown(outline)
    assert md.startswith("---\ntitle: ")
    h1 = [line[2:] for line in md.splitlines() if line.startswith("# ")]
    h2 = [line for line in md.splitlines() if line.startswith("## ")]
    assert h1 == [s.title for s in outline.sections] + ["Conclusion"]
    points = sum(len(s.key_points) for s in outline.sections)
    with_metrics = sum(1 for s in outline.sections if s.metrics)
    # summary + one per key point + metrics + looking ahead per section + conclusion, ahead, sources
    assert len(h2) == 1 + points + with_metrics + len(outline.sections) + 3
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    metrics = sum(len(s.metrics) for s in outline.sections)
    assert len(rows) == metrics + with_metrics  # a header row per table
    assert md.count("::: notes") == len(outline.sections)
    assert md == to_markdown(load_outline(RUTTE))  # deterministic


def test_emphasis_kept_and_specials_escaped() -> None:
    assert inline("a **bold** and *italic* word") == "a **bold** and *italic* word"
    assert inline(r"a \* star") == r"a \* star"
    assert escape("x | y [z]") == r"x \| y \[z\]"
    assert escape("- not a list") == r"\- not a list"
    assert escape("2024. A year") == r"2024\. A year"
    assert escape("> not a quote") == r"\> not a quote"
    assert escape("::: not a div") == r"\::: not a div"
    assert escape("two\n\nlines") == "two lines"


def test_hostile_text_is_literal_in_pandoc(tmp_path: Path) -> None:
    pandoc = shutil.which("pandoc")
    if not pandoc:
        pytest.skip("pandoc is not installed (Debian: pandoc)")
    detail = r"Costs $5 and $6; 1 < 2 > 0; a_b_c; **strong** then *soft*; [x]: y; \* star"
    outline = parse_outline(_outline_with(HOSTILE_HEADLINE, detail).encode(), "t.yaml")
    md = to_markdown(outline)
    proc = subprocess.run(
        [pandoc, "-f", "markdown", "-t", "json"], input=md, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)

    def text(inlines: list[dict[str, object]]) -> str:
        out = []
        for node in inlines:
            kind, content = node["t"], node.get("c")
            if kind == "Str":
                out.append(str(content))
            elif kind in ("Space", "SoftBreak"):
                out.append(" ")
            elif kind in ("Strong", "Emph"):
                out.append(text(content))  # type: ignore[arg-type]
            else:
                raise AssertionError(f"unexpected markup {kind}: {content}")
        return "".join(out)

    headers = [b["c"] for b in doc["blocks"] if b["t"] == "Header" and b["c"][0] == 2]
    assert text(headers[1][2]) == HOSTILE_HEADLINE
    paras = [b["c"] for b in doc["blocks"] if b["t"] == "Para"]
    body = [text(p) for p in paras]
    assert detail.replace("**", "").replace("*soft*", "soft").replace("\\*", "*") in body
    strong = [n for p in paras for n in p if n["t"] == "Strong"]
    assert strong, "**strong** stays bold"


def test_cli_writes_file_and_lifts_cap(tmp_path: Path) -> None:
    from bench.generate import write

    big = write(60, tmp_path / "big.yaml")
    out = tmp_path / "deck.md"
    refused = run_cli("export-markdown", str(big), "-o", str(out))
    assert refused.returncode == 1
    assert "at most 50 allowed" in refused.stderr
    done = run_cli("export-markdown", "--max-sections", "60", str(big), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").count("\n# ") == 61  # sections and conclusion
