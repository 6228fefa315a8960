"""Hostile input, run as a user runs it: ``python -m deckgen build CASE -o OUT`` in a subprocess.

Every case first has a good outline built into its output folder under the case's own name (the
build is done once and copied, with the state file's paths rewritten, which is exactly what a
build at that place leaves). Then the hostile bytes replace the outline and the build runs again
in a child limited in time and address space. A bad case must exit 1 with one located
``file:line:col:`` message per problem, no traceback, no internal error, the previous outputs
byte-identical and no temporary files; a case that is legal must build and keep its text.

The small cases are files under ``tests/hostile/`` whose header comments state the expectation
(see ``tests/hostile/README.md``); large cases and image assets are generated here. So are the
cases beyond the outline: hostile templates (``tests/hostile_templates.py``), hostile themes and
fonts, inputs that are FIFOs, devices or 3 GB sparse files, links planted in place of deckgen's
own files, and faults while writing.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from tests import hostile_templates as ht
from tests.conftest import MINIMAL, ROOT

HOSTILE = Path(__file__).resolve().parent / "hostile"
MEMORY_LIMIT = 1536 * 1024 * 1024  # RLIMIT_AS of every child: 1.5 GB
FAIL_SECONDS = 30.0  # a bad case is refused quickly
BUILD_SECONDS = 90.0  # a legal but extreme case still finishes
LOCATED = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+):(?P<kind> warning:| notice:)? "
)

# The child sets its own limits before importing deckgen (preexec_fn is unsafe with threads).
LAUNCH = (
    "import resource, runpy, sys\n"
    "limit = int(sys.argv.pop(1))\n"
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "fsize = int(sys.argv.pop(1))\n"
    "if fsize:\n"
    "    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))\n"
    "sys.argv[0] = 'deckgen'\n"
    "runpy.run_module('deckgen', run_name='__main__', alter_sys=True)\n"
)


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("DECKGEN_DEBUG", "SOURCE_DATE_EPOCH")}
    out["PYTHONPATH"] = str(ROOT / "src")
    return out


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def deckgen(*args: str, cwd: Path, timeout: float, fsize: int = 0) -> Run:
    """``python -m deckgen ARGS`` with the memory (and optionally file size) limit."""
    t0 = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(MEMORY_LIMIT), str(fsize), *args],
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - t0)


# -- the cases ------------------------------------------------------------------------------------


@dataclass
class Case:
    """One hostile input and what must happen to it."""

    name: str
    data: bytes
    expect: str  # "fail", "build" or "warn"
    count: int | None = None  # exactly this many located errors (None: at least one)
    matches: list[str] = field(default_factory=list)  # each must match some located line
    keeps: list[str] = field(default_factory=list)  # text that must reach both outputs
    setup: Callable[[Path], None] | None = None  # writes assets next to the outline
    seconds: float = FAIL_SECONDS

    @property
    def stem(self) -> str:
        return self.name.replace("/", "-")


def file_case(path: Path) -> Case:
    """A case file: ``# expect: fail N | build | warn``, ``# match: RE``, ``# keep: TEXT``."""
    data = path.read_bytes()
    header = {"expect": "", "match": [], "keep": []}
    for raw in data.split(b"\n"):
        m = re.match(rb"# (expect|match|keep): (.*)$", raw)
        if not m:
            if raw.startswith(b"# hostile:"):
                continue
            break
        key, value = m.group(1).decode(), m.group(2).decode()
        if key == "expect":
            header["expect"] = value
        else:
            header[key].append(value)  # type: ignore[attr-defined]
    kind, _, count = str(header["expect"]).partition(" ")
    assert kind in ("fail", "build", "warn"), f"{path}: bad '# expect:' header"
    return Case(
        f"{path.parent.name}/{path.stem}",
        data,
        kind,
        int(count) if count else None,
        list(header["match"]),  # type: ignore[call-overload]
        list(header["keep"]),  # type: ignore[call-overload]
        seconds=BUILD_SECONDS if kind != "fail" else FAIL_SECONDS,
    )


def _with(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _words(n: int, seed: int = 1) -> str:
    import random

    rng = random.Random(seed)
    vocab = ["alliance", "deterrence", "readiness", "budget", "posture", "allies", "summit"]
    return " ".join(rng.choice(vocab) for _ in range(n))


def _section(i: int) -> str:
    return (
        f"  - id: s{i}\n    title: Section {i}\n    lead: Lead.\n    key_points:\n"
        "      - headline: H\n        detail: D.\n    looking_ahead: N.\n"
    )


def generated_text_cases() -> list[Case]:
    """Large or unwritable-as-a-file cases, made at test time."""
    summary = "summary: A summary."
    long_ok = _with(summary, "summary: " + "w" * 19_000)  # one word, within the 20,000 limit
    long_ok = _with(
        "      - headline: A headline\n        detail: A detail.\n",
        "".join(
            f"      - headline: Point {i}\n        detail: {_words(700, i)[:3990]}\n"
            for i in range(12)
        ),
        long_ok,
    )
    long_ok = _with(
        "    looking_ahead: Next steps.\n",
        "    looking_ahead: " + _words(700)[:3990] + "\n    notes: " + _words(4000)[:19_990] + "\n",
        long_ok,
    )
    return [
        Case("gen/empty", b"", "fail", 1, [r":1:1: file is empty"]),
        Case("gen/utf16", MINIMAL.encode("utf-16"), "fail", 1, [r":1:1: file is not UTF-8"]),
        Case(
            "gen/oversized",
            (MINIMAL + ("# " + "x" * 98 + "\n") * 50_000).encode(),
            "fail",
            1,
            [r":0:0: file is \d+ bytes; the limit is 4194304"],
        ),
        Case(
            "gen/deep-block-nesting",
            _with(
                summary,
                "summary:\n"
                + "".join("  " * i + "a:\n" for i in range(1, 60))
                + "  " * 60
                + "b: c",
            ).encode(),
            "fail",
            1,
            [r"nested too deeply \(more than 32 levels\)"],
        ),
        Case(
            "gen/deep-flow-nesting",
            _with(summary, "summary: " + "[" * 50_000 + "]" * 50_000).encode(),
            "fail",
            1,
            [r":7:\d+: summary(\[0\])+: nested too deeply"],
        ),
        Case(
            "gen/node-count",
            _with(summary, "summary: [" + "1," * 250_000 + "1]").encode(),
            "fail",
            1,
            [r"too many values \(more than 200000\)"],
        ),
        Case(
            "gen/paragraph-300k",
            _with(summary, "summary: " + _words(45_000)).encode(),
            "fail",
            1,
            [r":7:10: summary: text is longer than 20000 characters"],
        ),
        Case(
            "gen/word-50k",
            _with("A detail.", "x" * 50_000).encode(),
            "fail",
            1,
            [r":14:17: sections\[0\]\.key_points\[0\]\.detail: text is longer than 4000"],
        ),
        Case(
            "gen/key-points-3000",
            _with(
                "      - headline: A headline\n        detail: A detail.\n",
                "      - headline: A headline\n        detail: A detail.\n" * 3000,
            ).encode(),
            "fail",
            1,
            [r":13:7: sections\[0\]\.key_points: has 3000 entries; at most 12 allowed"],
        ),
        Case(
            "gen/sections-51",
            _with("conclusion:", "".join(_section(i) for i in range(50)) + "conclusion:").encode(),
            "fail",
            1,
            [r":9:3: sections: has 51 sections; at most 50 allowed"],
        ),
        Case(
            "gen/one-sentence-looking-ahead",  # once a glance-table row taller than a page
            _with("Next steps.", "Then " + _words(700)[:3980]).encode(),
            "build",
            keeps=["Then"],
            seconds=BUILD_SECONDS,
        ),
        Case(
            "gen/long-text-within-limits",
            long_ok.encode(),
            "build",
            keeps=["Point 11"],
            seconds=BUILD_SECONDS,
        ),
    ]


# -- images ---------------------------------------------------------------------------------------


def with_images(paths: list[str]) -> tuple[bytes, list[int]]:
    """MINIMAL with one section per image path; returns the bytes and each ``path:`` line."""
    head, _, rest = MINIMAL.partition("sections:\n")
    _, _, tail = rest.partition("conclusion:\n")
    lines = head.count("\n") + 1
    body, where = [], []
    for i, raw in enumerate(paths):
        body.append(
            f"  - id: s{i}\n    title: Section {i}\n    lead: Lead.\n    key_points:\n"
            "      - headline: H\n        detail: D.\n    looking_ahead: N.\n"
            f"    image:\n      path: '{raw}'\n      alt: Picture {i}\n"
        )
        where.append(lines + 10 * i + 9)
    text = head + "sections:\n" + "".join(body) + "conclusion:\n" + tail
    return text.encode(), where


def _png(path: Path, size: tuple[int, int] = (64, 32), fmt: str = "PNG", **kw: object) -> bytes:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (30, 90, 160)).save(path, fmt, **kw)
    return path.read_bytes()


def _bomb(path: Path) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    path.parent.mkdir(parents=True, exist_ok=True)
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1_000_000, 9)  # a few hundred rows of a 30 GB image
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat))


def _truncated(path: Path, fmt: str) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buf, fmt)
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])


def _exif_gps_jpeg(path: Path) -> None:
    from PIL import Image

    img = Image.new("RGB", (300, 100), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees
    exif[0x010F] = "SpyCam Inc."
    exif[0x8825] = {1: "N", 2: (52.0, 4.0, 43.0), 3: "E", 4: (4.0, 53.0, 0.0)}  # GPS IFD
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", exif=exif.tobytes())


def image_cases() -> list[Case]:
    """Two outlines with one bad picture per section (every one reported), and two good ones."""

    def case(name: str, bad: list[tuple[str, Callable[[Path], None] | None, str]]) -> Case:
        data, lines = with_images([raw for raw, _, _ in bad])
        matches = [
            rf":{line}:13: sections\[{i}\]\.image\.path: .*{message}"
            for i, ((_, _, message), line) in enumerate(zip(bad, lines, strict=True))
        ]
        steps = [setup for _, setup, _ in bad if setup]

        def setup(d: Path) -> None:
            (d / "img").mkdir()
            for step in steps:
                step(d)

        return Case(f"image/{name}", data, "fail", len(bad), matches, setup=setup)

    def outside(d: Path) -> None:
        _png(d.parent / "outside.png")

    def link(name: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
        return lambda d: (d / "img" / name).symlink_to(target(d))

    def made(name: str, fmt: str, size: tuple[int, int] = (64, 32)) -> Callable[[Path], None]:
        return lambda d: _png(d / "img" / name, size, fmt) and None

    def raw(name: str, data: bytes) -> Callable[[Path], None]:
        return lambda d: (d / "img" / name).write_bytes(data) and None

    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n(x) print\nshowpage\n"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>\n'
    plain = "must be a plain relative path"
    paths = [
        ("../outside.png", outside, "image path '../outside.png' resolves outside the project"),
        ("img/../../outside.png", None, "resolves outside the project"),
        ("/etc/hostname", None, plain),
        ("~/outside.png", None, plain),
        ("%2e%2e/outside.png", None, plain),
        ("..\\outside.png", None, plain),
        ("file:///etc/passwd", None, plain),
        ("img/link.png", link("link.png", lambda d: d.parent / "outside.png"), "resolves outside"),
        ("img/abs.png", link("abs.png", lambda d: Path("/etc/hostname")), "resolves outside"),
        ("img/loop.png", link("loop.png", lambda d: d / "img" / "loop.png"), "image not found"),
        ("img/missing.png", None, "image not found: img/missing.png"),
        ("img/fifo.png", lambda d: os.mkfifo(d / "img" / "fifo.png"), "is not a regular file"),
        ("img", None, "is not a regular file"),
    ]
    if os.geteuid() != 0:  # root reads any file: "unreadable" cannot be made for root

        def unreadable(d: Path) -> None:
            _png(d / "img" / "locked.png")
            (d / "img" / "locked.png").chmod(0)

        paths.append(("img/locked.png", unreadable, "cannot read image"))
    formats = [
        ("img/bomb.png", lambda d: _bomb(d / "img" / "bomb.png"), "image is a decompression bomb"),
        ("img/huge.jpg", made("huge.jpg", "JPEG", (8000, 6000)), "image is 8000x6000 pixels"),
        ("img/cut.png", lambda d: _truncated(d / "img" / "cut.png", "PNG"), "cannot be decoded"),
        ("img/cut.jpg", lambda d: _truncated(d / "img" / "cut.jpg", "JPEG"), "cannot be decoded"),
        ("img/gif.png", made("gif.png", "GIF"), "not a PNG or JPEG image"),
        ("img/tiff.png", made("tiff.png", "TIFF"), "not a PNG or JPEG image"),
        ("img/bmp.png", made("bmp.png", "BMP"), "not a PNG or JPEG image"),
        ("img/webp.png", made("webp.png", "WEBP"), "not a PNG or JPEG image"),
        ("img/jpeg.png", made("jpeg.png", "JPEG"), "file named jpeg.png is really JPEG"),
        ("img/eps.png", raw("eps.png", eps), "not a PNG or JPEG image"),
        ("img/svg.png", raw("svg.png", svg), "not a PNG or JPEG image"),
        ("img/empty.png", raw("empty.png", b""), "not a PNG or JPEG image"),
    ]
    big, _ = with_images(["img/big.jpg"])
    gps, _ = with_images(["img/gps.jpg"])
    return [
        case("bad-paths", paths),
        case("bad-files", formats),
        Case(
            "image/large-legal",
            big,
            "build",
            setup=lambda d: _png(d / "img" / "big.jpg", (7000, 5000), "JPEG", quality=40) and None,
            seconds=BUILD_SECONDS,
        ),
        Case(
            "image/exif-gps",
            gps,
            "build",
            setup=lambda d: _exif_gps_jpeg(d / "img" / "gps.jpg"),
            seconds=BUILD_SECONDS,
        ),
    ]


CASES = [file_case(p) for p in sorted(HOSTILE.glob("*/*.yaml"))]
CASES += generated_text_cases() + image_cases()


# -- running --------------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones, not temporary ones) with its hash.

    A state file (``.deckgen/<stem>.json``) is represented by the records of the outputs it
    vouches for: a build that fails after parsing records the new inputs' hashes (so the next
    run retries), but must never touch what it says about the outputs.
    """
    import json

    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name.endswith(".tmp"):
            continue
        rel = str(p.relative_to(folder))
        if p.parent.name == ".deckgen" and p.suffix == ".json" and ".snapshot." not in p.name:
            out[rel] = json.dumps(json.loads(p.read_text())["targets"], sort_keys=True)
        else:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def temp_files(*folders: Path) -> list[str]:
    return [str(p) for f in folders for p in f.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good outline built once, as ``<dir>/case/base.yaml`` into ``<dir>/case/out``."""
    root = tmp_path_factory.mktemp("baseline")
    (root / "case").mkdir()
    (root / "case" / "base.yaml").write_text(MINIMAL, encoding="utf-8")
    done = deckgen("build", "base.yaml", "-o", "out", cwd=root / "case", timeout=120)
    assert done.returncode == 0, done.stderr
    return root


def place_baseline(baseline: Path, dest: Path, stem: str) -> Path:
    """Copy the baseline build to ``dest`` as if ``<stem>.yaml`` had been built there."""
    src, case_dir = baseline / "case", dest / "case"
    shutil.copytree(src, case_dir, symlinks=True)  # copy2: sizes and mtimes are kept
    out = case_dir / "out"
    for p in sorted(out.rglob("base.*")):
        p.rename(p.with_name(stem + p.name[len("base") :]))
    state = out / ".deckgen" / f"{stem}.json"
    state.write_text(
        state.read_text()
        .replace(f"{src}/base.", f"{case_dir}/{stem}.")
        .replace(f"{src}/out/base.", f"{case_dir}/out/{stem}.")
    )
    (case_dir / "base.yaml").rename(case_dir / f"{stem}.yaml")
    return case_dir


@dataclass
class Outcome:
    case: Case
    dir: Path
    before: dict[str, str]
    after: dict[str, str]
    run: Run


def run_case(case: Case, baseline: Path, dest: Path) -> Outcome:
    case_dir = place_baseline(baseline, dest, case.stem)
    src = case_dir / f"{case.stem}.yaml"
    out = case_dir / "out"
    # The copy is a current build: a plain rebuild of the good outline changes nothing.
    before = tree(out)
    if case.setup:
        case.setup(case_dir)
    src.write_bytes(case.data)
    done = deckgen("build", src.name, "-o", "out", cwd=case_dir, timeout=case.seconds + 30)
    return Outcome(case, case_dir, before, tree(out), done)


@pytest.fixture(scope="module")
def outcomes(
    baseline: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Future[Outcome]]:
    """Every case, run in parallel (one child per core); the tests below judge the results."""
    root = tmp_path_factory.mktemp("cases")
    dests = {c.name: root / c.stem for c in CASES}
    for d in dests.values():
        d.mkdir()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {c.name: pool.submit(run_case, c, baseline, dests[c.name]) for c in CASES}
        return futures


def located(stderr: str, file: str) -> tuple[list[str], list[str]]:
    """The (errors, warnings) lines of ``stderr`` that name ``file`` with a line and column."""
    errors, warnings = [], []
    for line in stderr.splitlines():
        m = LOCATED.match(line)
        if m and m.group("file") == file:
            (warnings if m.group("kind") else errors).append(line)
    return errors, warnings


def assert_clean(o: Outcome) -> None:
    assert "Traceback" not in o.run.stderr, o.run.stderr[-3000:]
    assert "internal error" not in o.run.stderr, o.run.stderr[-3000:]
    assert temp_files(o.dir) == []
    assert o.run.seconds < o.case.seconds, f"took {o.run.seconds:.1f} s"


def output_text(out: Path, stem: str) -> tuple[str, str]:
    """Whitespace-normalised text of the PPTX (every a:t) and of the brief (pdfminer)."""
    from pdfminer.high_level import extract_text

    with zipfile.ZipFile(out / f"{stem}.pptx") as z:
        runs = [
            t.text or ""
            for name in sorted(z.namelist())
            if name.startswith("ppt/slides/slide") and name.endswith(".xml")
            for t in etree.fromstring(z.read(name)).iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
            )
        ]
    pdf = extract_text(str(out / f"{stem}.pdf"))
    return " ".join(" ".join(runs).split()), " ".join(pdf.split())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, outcomes: dict[str, Future[Outcome]]) -> None:
    o = outcomes[case.name].result()
    file = f"{case.stem}.yaml"
    errors, warnings = located(o.run.stderr, file)
    assert_clean(o)
    if case.expect == "fail":
        assert o.run.returncode == 1, o.run.stderr
        assert errors, o.run.stderr
        if case.count is not None:
            assert len(errors) == case.count, "\n".join(errors)
        for pattern in case.matches:
            assert any(re.search(pattern, e) for e in errors), (
                f"{pattern!r} not in:\n{o.run.stderr}"
            )
        assert o.after == o.before, "a failed build changed the previous outputs"
        return
    assert o.run.returncode == 0, o.run.stderr
    assert errors == [], errors
    if case.expect == "warn":
        assert warnings, o.run.stderr
        for pattern in case.matches:
            assert any(re.search(pattern, w) for w in warnings), o.run.stderr
    out = o.dir / "out"
    assert o.after[f"{case.stem}.pptx"] != o.before[f"{case.stem}.pptx"]
    pptx, pdf = output_text(out, case.stem)
    for keep in case.keeps:
        # Whole, as a word or words (a key point's headline is followed by a full stop).
        assert re.search(rf"(?<!\S){re.escape(keep)}(?![\w])", pptx), f"{keep!r} lost from the PPTX"
        assert f" {keep} " in f" {pdf} " or keep in pdf.replace(" ", ""), (
            f"{keep!r} lost from the PDF"
        )


def test_a_long_word_within_the_limits_survives_whole(
    outcomes: dict[str, Future[Outcome]],
) -> None:
    """The 19,000-character word is broken across lines and slides, never cut short."""
    o = outcomes["gen/long-text-within-limits"].result()
    assert o.run.returncode == 0, o.run.stderr
    pptx, pdf = output_text(o.dir / "out", "gen-long-text-within-limits")
    for text in (pptx, pdf):
        assert sum(len(run) for run in re.findall(r"w{2,}", text)) == 19_000
    assert "(cont.)" in pptx


def test_exif_and_gps_never_reach_the_outputs(outcomes: dict[str, Future[Outcome]]) -> None:
    from PIL import Image

    o = outcomes["image/exif-gps"].result()
    assert o.run.returncode == 0, o.run.stderr
    with zipfile.ZipFile(o.dir / "out" / "image-exif-gps.pptx") as z:
        media = [n for n in z.namelist() if n.startswith("ppt/media/")]
        blobs = [z.read(n) for n in media]
    pictures = [Image.open(io.BytesIO(b)) for b in blobs]
    rotated = [p for p in pictures if p.size == (100, 300)]  # turned upright from orientation 6
    assert rotated, [p.size for p in pictures]
    for blob, pic in zip(blobs, pictures, strict=True):
        assert not pic.getexif(), "EXIF survived"
        assert b"SpyCam" not in blob
        assert "exif" not in pic.info
    assert b"SpyCam" not in (o.dir / "out" / "image-exif-gps.pdf").read_bytes()


def test_the_corpus_covers_every_group() -> None:
    groups = {c.name.split("/")[0] for c in CASES}
    assert groups >= {"yaml", "schema", "text", "gen", "image"}
    assert len(CASES) >= 50


# -- faults while writing -------------------------------------------------------------------------


@pytest.fixture
def built(baseline: Path, tmp_path: Path) -> Path:
    """A case folder holding a current build of ``good.yaml`` in ``out/``."""
    return place_baseline(baseline, tmp_path, "good")


def test_a_full_disk_fails_cleanly_and_keeps_the_old_outputs(built: Path) -> None:
    src = built / "good.yaml"
    src.write_text(MINIMAL.replace("First", "Changed"), encoding="utf-8")
    before = tree(built / "out")
    # RLIMIT_FSIZE: any write past 20 kB fails with EFBIG, as on a full disk (SIGXFSZ is ignored).
    done = deckgen("build", "good.yaml", "-o", "out", cwd=built, timeout=120, fsize=20_000)
    assert done.returncode == 1, done.stderr  # the machine refused, not a deckgen bug
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr
    # Each failure names the file that could not be written and why.
    assert re.search(r"^out/good\.pptx:\d+:\d+: .*(File too large|No space)", done.stderr, re.M), (
        done.stderr
    )
    assert tree(built / "out") == before
    assert temp_files(built) == []
    again = deckgen("build", "good.yaml", "-o", "out", cwd=built, timeout=120)
    assert again.returncode == 0, again.stderr
    assert tree(built / "out") != before


@pytest.mark.parametrize("blocker", ["out-is-a-file", "state-dir-is-a-file", "parent-is-a-file"])
def test_an_unwritable_output_folder_is_a_clean_error(built: Path, blocker: str) -> None:
    out = {"out-is-a-file": "blocked", "state-dir-is-a-file": "out2", "parent-is-a-file": "f/out"}[
        blocker
    ]
    if blocker == "out-is-a-file":
        (built / "blocked").write_text("not a folder")
    elif blocker == "state-dir-is-a-file":
        (built / "out2").mkdir()
        (built / "out2" / ".deckgen").write_text("not a folder")
    else:
        (built / "f").write_text("not a folder")
    done = deckgen("build", "good.yaml", "-o", out, cwd=built, timeout=120)
    assert done.returncode == 1, done.stderr  # the folder's fault, not an internal error
    assert "Traceback" not in done.stderr
    # The message names the path that could not be written and why.
    assert re.search(r"^\S+:\d+:\d+: cannot write: .*(directory|exists)", done.stderr, re.M), (
        done.stderr
    )
    assert temp_files(built) == []


def test_a_read_only_output_folder_is_a_clean_error(built: Path) -> None:
    if os.geteuid() == 0:
        # root writes through mode bits; a folder under /proc is read-only even for root.
        out = "/proc/deckgen-out"
    else:
        os.chmod(built / "out", 0o555)
        os.chmod(built / "out" / ".deckgen", 0o555)
        out = "out"
    src = built / "good.yaml"
    src.write_text(MINIMAL.replace("First", "Changed"), encoding="utf-8")
    before = tree(built / "out")
    try:
        done = deckgen("build", "good.yaml", "-o", out, cwd=built, timeout=120)
    finally:
        os.chmod(built / "out", 0o755)
        os.chmod(built / "out" / ".deckgen", 0o755)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert re.search(
        r"^\S+:\d+:\d+: cannot write: .*(denied|No such file|Read-only)", done.stderr, re.M
    ), done.stderr
    assert tree(built / "out") == before


def test_a_failure_while_writing_in_process_keeps_the_old_outputs(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real renderers, then os.replace fails (EIO) as the deck is moved into place."""
    from deckgen import build_state
    from deckgen.cli import main

    src = built / "good.yaml"
    src.write_text(MINIMAL.replace("First", "Changed"), encoding="utf-8")
    before = tree(built / "out")
    monkeypatch.chdir(built)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def broken_replace(a: object, b: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(build_state.os, "replace", broken_replace)
    status = main(["build", "good.yaml", "-o", "out", "-j", "1"])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert status == 1  # the machine failed, not the input, not deckgen
    assert "Traceback" not in err
    assert "Input/output error" in err
    assert tree(built / "out") == before
    assert temp_files(built) == []


def _iter_lines(p: subprocess.Popen[str]) -> Iterator[str]:
    assert p.stdout is not None
    yield from p.stdout


def test_sigkill_mid_save_of_the_real_deck(built: Path) -> None:
    """Killed while the real PPTX is being flushed: old outputs intact, next run cleans up."""
    before = tree(built / "out")
    src = built / "good.yaml"
    src.write_text(MINIMAL.replace("First", "Changed"), encoding="utf-8")
    marker = built / "writing"
    p = subprocess.Popen(
        [sys.executable, "-m", "tests.test_build_support", "build", "good.yaml", "-o", "out"],
        cwd=built,
        env={
            **env(),
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
            "FAKE_HANG_ON_FSYNC": str(marker),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.02)
        assert marker.exists(), "the build never reached the write"
    finally:
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=30)
    assert temp_files(built / "out"), "the kill should have left a temporary file"
    assert tree(built / "out") == before
    done = deckgen("build", "good.yaml", "-o", "out", cwd=built, timeout=120)
    assert done.returncode == 0, done.stderr
    assert temp_files(built) == []
    pptx, _ = output_text(built / "out", "good")
    assert "Changed" in pptx


def test_eight_concurrent_builds_of_the_real_formats(built: Path) -> None:
    (built / "good.yaml").write_text(MINIMAL.replace("First", "Concurrent"), encoding="utf-8")
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                LAUNCH,
                str(MEMORY_LIMIT),
                "0",
                "build",
                "good.yaml",
                "-o",
                "out",
            ],
            cwd=built,
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert [rc for rc, _, _ in results] == [0] * 8, results
    assert not any("Traceback" in err for _, _, err in results)
    outs = "".join(out for _, out, _ in results)
    assert outs.count("built      out/good.pptx") == 1, outs
    assert outs.count("up-to-date out/good.pptx") == 7, outs
    assert temp_files(built) == []
    pptx, pdf = output_text(built / "out", "good")
    assert "Concurrent" in pptx
    assert "Concurrent" in pdf


# -- links planted where deckgen keeps its own files ---------------------------------------------

VICTIM = b"precious: must never be written through a planted link\n"


def _victim(folder: Path) -> Path:
    victim = folder / "victim.txt"
    victim.write_bytes(VICTIM)
    os.utime(victim, ns=(1_000_000_000, 1_000_000_000))
    return victim


def test_links_at_predictable_temporary_names_are_never_written_through(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Links planted at ``.<name>.<pid>.tmp`` for this very pid: the old naming, fully predicted.

    The build runs in this process, so its pid is known exactly; with names that carry a random
    part no planted name can match, and the victim keeps its bytes and mtime.
    """
    from deckgen.cli import main

    victim = _victim(built.parent)
    out = built / "out"
    names = [
        out / ".good.pptx",
        out / ".good.pdf",
        out / ".good.changes.md",
        out / ".good.d",
        out / ".deckgen" / ".good.json",
        out / ".deckgen" / ".good.snapshot.json",
        out / ".deckgen" / ".good.pptx.stamp",
    ]
    for name in names:
        for pid in (os.getpid(), os.getpid() + 1):
            name.with_name(f"{name.name}.{pid}.tmp").symlink_to(victim)
    (built / "good.yaml").write_text(MINIMAL.replace("First", "Changed"), encoding="utf-8")
    monkeypatch.chdir(built)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    status = main(["build", "good.yaml", "-o", "out", "-j", "1", "--depfile"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert victim.read_bytes() == VICTIM
    assert victim.stat().st_mtime_ns == 1_000_000_000
    for produced in ("good.pptx", "good.pdf", "good.d", ".deckgen/good.json"):
        assert (out / produced).is_file()
        assert not (out / produced).is_symlink()
    pptx, _ = output_text(out, "good")
    assert "Changed" in pptx


OWN_FILES = {
    "output": "out/good.pptx",
    "lock": "out/.deckgen/good.lock",
    "stamp": "out/.deckgen/good.pptx.stamp",
    "state": "out/.deckgen/good.json",
    "snapshot": "out/.deckgen/good.snapshot.json",
    "depfile": "out/good.d",
    "changes": "out/good.changes.md",
}


@pytest.mark.parametrize("own", sorted(OWN_FILES))
@pytest.mark.parametrize("dangling", [False, True], ids=["to-a-file", "dangling"])
def test_a_link_in_place_of_an_own_file_is_refused_by_name(
    built: Path, own: str, dangling: bool
) -> None:
    """The link stays, its target keeps its bytes and mtime (or is not created), exit 1."""
    victim = built.parent / "victim.txt"
    if not dangling:
        _victim(built.parent)
    link = built / OWN_FILES[own]
    link.unlink(missing_ok=True)
    link.symlink_to(victim)
    (built / "good.yaml").write_text(MINIMAL.replace("First", "Changed"), encoding="utf-8")
    done = deckgen("build", "good.yaml", "-o", "out", "--depfile", cwd=built, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr
    assert re.search(
        rf"^{re.escape(OWN_FILES[own])}:0:0: .*symbolic link \(to {re.escape(str(victim))}\)",
        done.stderr,
        re.M,
    ), done.stderr
    assert link.is_symlink()
    if dangling:
        assert not victim.exists()
    else:
        assert victim.read_bytes() == VICTIM
        assert victim.stat().st_mtime_ns == 1_000_000_000
    assert temp_files(built) == []


def test_a_linked_state_folder_is_refused(built: Path) -> None:
    elsewhere = built.parent / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(built / "out" / ".deckgen")
    (built / "out" / ".deckgen").symlink_to(elsewhere)
    done = deckgen("build", "good.yaml", "-o", "out", cwd=built, timeout=120)
    assert done.returncode == 1, done.stderr
    assert re.search(r"^out/\.deckgen:0:0: .*symbolic link", done.stderr, re.M), done.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_fifo_in_place_of_an_own_file_is_refused_at_once(built: Path) -> None:
    fifo = built / "out" / ".deckgen" / "good.json"
    fifo.unlink()
    os.mkfifo(fifo)
    (built / "good.yaml").write_text(MINIMAL.replace("First", "Changed"), encoding="utf-8")
    done = deckgen("build", "good.yaml", "-o", "out", cwd=built, timeout=30)
    assert done.returncode == 1, done.stderr
    assert re.search(r"^out/\.deckgen/good\.json:0:0: .*a FIFO stands", done.stderr, re.M), (
        done.stderr
    )


# -- inputs that are not regular files, or far too large ------------------------------------------

QUICK_SECONDS = 10.0  # a hang is stopped at this; the figures measured are far below (README)


def _corporate_theme(folder: Path) -> Path:
    """The default theme with a template block (so that ``--template`` is read)."""
    text = (ROOT / "src" / "deckgen" / "assets" / "themes" / "default.yaml").read_text(
        encoding="utf-8"
    )
    text += '\ntemplate:\n  file: corporate.pptx\n  layouts:\n    content: "Title Only"\n'
    path = folder / "corporate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "what"),
    [("check", "outline"), ("build", "outline"), ("build", "theme"), ("build", "template")],
)
def test_a_fifo_input_is_refused_at_once(built: Path, command: str, what: str) -> None:
    """Nothing ever writes to the FIFO: an open that waited for a writer would hang forever."""
    fifo = built / {"outline": "f.yaml", "theme": "t.yaml", "template": "c.pptx"}[what]
    os.mkfifo(fifo)
    args = {
        "outline": [fifo.name],
        "theme": ["good.yaml", "--theme", fifo.name],
        "template": ["good.yaml", "--theme", str(_corporate_theme(built)), "--template", fifo.name],
    }[what]
    if command == "build":
        args += ["-o", "out"]
    deck = built / "out" / "good.pptx"
    before = deck.read_bytes()
    done = deckgen(command, *args, cwd=built, timeout=QUICK_SECONDS)
    assert done.returncode == 1, done.stderr
    assert done.seconds < QUICK_SECONDS / 2  # the whole command: about 0.25 s measured
    noun = "file" if what == "outline" else what
    assert re.search(
        rf"^{re.escape(fifo.name)}:0:0: {noun} is a FIFO, not a regular file", done.stderr, re.M
    ), done.stderr
    assert "Traceback" not in done.stderr
    assert deck.read_bytes() == before  # (the brief of the template case is built: no template)
    assert not (built / "out" / "f.pptx").exists()


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_outline_linked_to_a_device_is_refused_unread(built: Path, command: str) -> None:
    (built / "zero.yaml").symlink_to("/dev/zero")
    args = ["zero.yaml", *(["-o", "out"] if command == "build" else [])]
    done = deckgen(command, *args, cwd=built, timeout=QUICK_SECONDS)
    assert done.returncode == 1, done.stderr
    assert done.seconds < QUICK_SECONDS / 2
    assert re.search(
        r"^zero\.yaml:0:0: file is a character device, not a regular file", done.stderr, re.M
    ), done.stderr


@pytest.mark.parametrize("what", ["outline", "theme", "template"])
def test_a_sparse_3_gb_input_is_refused_before_reading(built: Path, what: str) -> None:
    """``truncate -s 3G``: no disk used; reading it would take seconds and 3 GB of memory
    (the child may map only 1.5 GB, so a read would fail as an internal error)."""
    name = {"outline": "huge.yaml", "theme": "huge-theme.yaml", "template": "huge.pptx"}[what]
    with open(built / name, "wb") as fh:
        fh.truncate(3 * 1024**3)
    args = {
        "outline": [name],
        "theme": ["good.yaml", "--theme", name],
        "template": ["good.yaml", "--theme", str(_corporate_theme(built)), "--template", name],
    }[what]
    done = deckgen("build", *args, "-o", "out", cwd=built, timeout=QUICK_SECONDS)
    assert done.returncode == 1, done.stderr
    assert done.seconds < QUICK_SECONDS / 2  # reading 3 GB would take seconds (and memory)
    assert re.search(
        rf"^{re.escape(name)}:0:0: file is 3221225472 bytes; the limit is \d+", done.stderr, re.M
    ), done.stderr
    assert "Traceback" not in done.stderr


# -- hostile templates ----------------------------------------------------------------------------


@dataclass
class TemplateCase:
    """One hostile template (built at test time) and what must happen to a build on it."""

    name: str
    make: Callable[[], bytes]
    expect: str  # "fail" (exit 1, ``match`` located at the template) or "build" (exit 0)
    match: str = ""
    content: str = "Title Only"  # the layout the theme maps slides onto
    suffix: str = ".pptx"


TEMPLATE_CASES = [
    TemplateCase("macro-pptm", ht.macro_enabled, "fail", r"ppt/presentation\.xml: .*macro-enabled",
                 suffix=".pptm"),
    TemplateCase("macro-renamed-pptx", ht.macro_enabled, "fail", r"macroEnabled\.main\+xml"),
    TemplateCase("macro-potm-as-potx", lambda: ht.macro_enabled("template"), "fail",
                 r"template\.macroEnabled", suffix=".potx"),
    TemplateCase("vba-project-only", lambda: ht.rezip(ht.macro_enabled(), _plain_main), "fail",
                 r"ppt/vbaProject\.bin: the template holds a VBA project"),
    TemplateCase("activex", ht.activex, "fail", r"ppt/activeX/activeX1\.xml: .*ActiveX control"),
    TemplateCase("ole-object", ht.ole_object, "fail", r"oleObject1\.bin: .*an OLE object"),
    TemplateCase("entity-in-layout", ht.entity_in_layout, "fail",
                 r"slideLayout6\.xml: the part declares a DOCTYPE"),
    TemplateCase("billion-laughs", ht.billion_laughs, "fail",
                 r"\[Content_Types\]\.xml: the part declares a DOCTYPE"),
    TemplateCase("undefined-entity", ht.undefined_entity, "fail",
                 r"slideLayout6\.xml: not well-formed XML \(Entity 'nope' not defined"),
    TemplateCase("bomb-member", lambda: ht.with_member("ppt/media/bomb.png", 80 * 2**20), "fail",
                 r"ppt/media/bomb\.png: member inflates to 83886080 bytes; the limit is"),
    TemplateCase("bomb-thumbnail",
                 lambda: ht.with_member("docProps/thumbnail.jpeg", 80 * 2**20), "fail",
                 r"docProps/thumbnail\.jpeg: member inflates to 83886080 bytes"),
    TemplateCase("bomb-ratio", lambda: ht.with_member("ppt/media/r.bin", 8 * 2**20), "fail",
                 r"ppt/media/r\.bin: member inflates \d+ times .*zip bomb"),
    TemplateCase("bomb-member-count", ht.many_members, "fail",
                 r"zip has \d+ members; the limit is 5000"),
    TemplateCase("bomb-directory", lambda: ht.many_members(70, 65_000), "fail",
                 r"zip directory is \d+ bytes; the limit is 4194304"),
    TemplateCase("size-lie", ht.lying_size, "fail",
                 r"slideLayout1\.xml: the member cannot be read \(Bad CRC-32"),
    TemplateCase("duplicate-member", ht.duplicate_member, "fail",
                 r"ppt/presentation\.xml: the zip holds this member twice"),
    TemplateCase("not-a-zip", lambda: b"PowerPoint? " * 100, "fail", r"not a PowerPoint package"),
    TemplateCase("truncated", lambda: ht.base()[:5000], "fail", r"not a PowerPoint package"),
    TemplateCase("no-slide-size", ht.without_slide_size, "fail",
                 r"ppt/presentation\.xml: the presentation gives no slide size"),
    TemplateCase("no-title-placeholder", ht.base, "fail",
                 r"layout 'Blank' has no title placeholder with index 0", content="Blank"),
    TemplateCase("leaky-parts", ht.leaky, "build"),
    TemplateCase("two-layouts", ht.few_layouts, "build"),
    TemplateCase("layout-in-second-master", ht.second_master, "build",
                 content="Second Title Only"),
]  # fmt: skip


def _plain_main(parts: ht.Parts) -> None:
    """Undo the macro-enabled main content type: only the VBA project part is left to find."""
    ht.set_main_type(parts, ht.PPT_CT + ".presentation.main+xml")


def _templated_theme(folder: Path, content: str) -> Path:
    text = (ROOT / "src" / "deckgen" / "assets" / "themes" / "default.yaml").read_text(
        encoding="utf-8"
    )
    text += (
        f'\ntemplate:\n  file: corporate.pptx\n  layouts:\n    content: "{content}"\n'
        '    title: "Title Slide"\n'
    )
    path = folder / "templated.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=[c.name for c in TEMPLATE_CASES])
def test_hostile_template(built: Path, case: TemplateCase) -> None:
    """exit 0 or 1, never 2; refusals located at the template and quick; builds stripped."""
    template = built / f"{case.name}{case.suffix}"
    template.write_bytes(case.make())
    theme = _templated_theme(built, case.content)
    deck = built / "out" / "good.pptx"
    before = deck.read_bytes()
    args = ["good.yaml", "--format", "pptx", "--theme", str(theme), "--template", template.name]
    done = deckgen("build", *args, "-o", "out", "--force", cwd=built, timeout=60)
    inspect = deckgen("inspect-template", template.name, cwd=built, timeout=60)
    for run in (done, inspect):
        assert "Traceback" not in run.stderr
        assert "internal error" not in run.stderr, run.stderr
    if case.expect == "fail":
        assert done.returncode == 1, done.stdout + done.stderr
        assert inspect.returncode == 1 or case.name == "no-title-placeholder", inspect.stderr
        pattern = rf"^{re.escape(template.name)}:0:0: (\S+: )?.*{case.match}"
        assert re.search(pattern, done.stderr, re.M), done.stderr
        assert done.seconds < FAIL_SECONDS
        assert deck.read_bytes() == before
        return
    assert done.returncode == 0, done.stderr
    assert inspect.returncode == 0, inspect.stderr
    from pptx import Presentation

    prs = Presentation(str(deck))  # python-pptx reads the deck back
    assert {s.slide_layout.name for s in list(prs.slides)[1:]} == {case.content}
    with zipfile.ZipFile(deck) as z:
        names = z.namelist()
        blobs = {n: z.read(n) for n in names}
    assert not [n for n in names if re.search(r"thumbnail|customXml|custom\.xml|comment|tags/", n)]
    for name, blob in blobs.items():
        assert ht.MARK.encode() not in blob, name
        assert b'TargetMode="External"' not in blob, name
        assert b"vbaProject" not in blob, name


def test_a_zip_bomb_template_is_refused_quickly_in_little_memory(built: Path) -> None:
    """One member inflating to 1.2 GB (the probe's bomb): refused from the central directory."""
    template = built / "bomb.potx"
    template.write_bytes(ht.with_member("ppt/media/bomb.png", 1200 * 2**20))
    theme = _templated_theme(built, "Title Only")
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done.returncode, round(time.monotonic() - t, 2), peak, done.stderr)\n"
    )
    cmd = [sys.executable, "-m", "deckgen", "build", "good.yaml", "--format", "pptx"]
    cmd += ["--theme", str(theme), "--template", template.name, "-o", "out"]
    done = subprocess.run(
        [sys.executable, "-c", code, *cmd], cwd=built, env=env(), capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    status, seconds, peak_kb, stderr = done.stdout.split(" ", 3)
    assert status == "1", stderr
    assert "ppt/media/bomb.png: member inflates to 1258291200 bytes" in stderr
    assert float(seconds) < 5.0  # about 0.5 s measured (README); a read took 42 s and 5 GB
    assert int(peak_kb) < 300_000  # about 66 MB measured


# -- hostile themes -------------------------------------------------------------------------------

DEFAULT_THEME = ROOT / "src" / "deckgen" / "assets" / "themes" / "default.yaml"


def _theme_with(folder: Path, old: str, new: str) -> Path:
    text = DEFAULT_THEME.read_text(encoding="utf-8")
    assert old in text
    path = folder / "hostile-theme.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("body: {max: 20, min: 13}", "body: {max: 20, min: 30}",
         r":31:9: type\.body: min \(30\) is larger than max \(20\)"),
        ("small: {max: 12, min: 9}", "small: {max: 9, min: 12}",
         r":35:10: type\.small: min \(12\) is larger than max \(9\)"),
        ("title: {max: 30, min: 22}", "title: {max: 143, min: 22}",
         r":29:10: type\.title: .*max 143 is too large: .*1\.4 x max = 200\.2 pt"),
        ("title: {max: 30, min: 22}", "title: {max: 200, min: 22}",
         r":29:10: type\.title: max 200 is too large: .* at most 142\.8\)"),
        ("title: {max: 30, min: 22}", "title: {max: 142.8, min: 22}", ""),
    ],
    ids=["body-min-over-max", "small-min-over-max", "title-143", "title-200", "title-142.8"],
)  # fmt: skip
def test_a_theme_within_its_field_limits_builds_or_fails_located(
    built: Path, old: str, new: str, expect: str
) -> None:
    theme = _theme_with(built, old, new)
    done = deckgen("build", "good.yaml", "--theme", theme.name, "-o", "out", cwd=built, timeout=120)
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr, done.stderr
    if not expect:
        assert done.returncode == 0, done.stderr
        return
    assert done.returncode == 1, done.stderr
    assert re.search(rf"^{theme.name}{expect}", done.stderr, re.M), done.stderr


def _not_a_font(folder: Path) -> None:
    (folder / "LiberationSans-Bold.ttf").write_bytes(b"This is not a font at all.\n" * 100)


def _truncated_font(folder: Path) -> None:
    font = folder / "LiberationSans-Bold.ttf"
    font.write_bytes(font.read_bytes()[:3000])


def _cff_font(folder: Path) -> None:
    font = folder / "LiberationSans-Bold.ttf"
    font.write_bytes(b"OTTO" + font.read_bytes()[4:])


def _fifo_font(folder: Path) -> None:
    (folder / "LiberationSans-Bold.ttf").unlink()
    os.mkfifo(folder / "LiberationSans-Bold.ttf")


@pytest.mark.parametrize(
    ("spoil", "expect"),
    [
        (_not_a_font, r":6:9: fonts\.bold: LiberationSans-Bold\.ttf is not a TrueType font file"),
        (_truncated_font, r":6:9: fonts\.bold: LiberationSans-Bold\.ttf cannot be read as a font"),
        (_cff_font, r":6:9: fonts\.bold: LiberationSans-Bold\.ttf has PostScript \(CFF\) outlines"),
        (
            _fifo_font,
            r":6:9: fonts\.bold: font file 'LiberationSans-Bold\.ttf' is not a regular file",
        ),
    ],
    ids=["not-a-font", "truncated", "cff-outlines", "fifo"],
)
def test_a_bad_font_file_is_a_located_error_when_the_theme_loads(
    built: Path,
    spoil: Callable[[Path], None],
    expect: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In-process (the theme's fonts come from a copy of the fonts with one file spoilt);
    before, a .ttf that is not a font was an internal error (TTLibError, exit 2)."""
    from deckgen import fonts
    from deckgen.cli import main

    # A theme's plain font names are found beside it first: a copy of the default theme beside
    # a copy of the fonts, one of them spoilt.
    copy = built / "spoilt"
    shutil.copytree(ROOT / "src" / "deckgen" / "assets" / "fonts", copy)
    spoil(copy)
    shutil.copy(DEFAULT_THEME, copy / "default.yaml")
    fonts.load_metrics.cache_clear()
    monkeypatch.chdir(built)
    (built / "good.yaml").write_text(MINIMAL.replace("First", "Changed"), encoding="utf-8")
    before = tree(built / "out")
    theme = str(copy / "default.yaml")
    status = main(["build", "good.yaml", "-o", "out", "-j", "1", "--theme", theme])
    err = capsys.readouterr().err
    fonts.load_metrics.cache_clear()
    assert status == 1, err
    assert "internal error" not in err
    assert re.search(expect, err, re.M), err
    assert tree(built / "out") == before
