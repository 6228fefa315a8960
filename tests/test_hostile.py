"""Hostile input, run as a user runs it: ``python -m deckgen build CASE -o OUT`` in a subprocess.

Every case first has a good outline built into its output folder under the case's own name (the
build is done once and copied, with the state file's paths rewritten, which is exactly what a
build at that place leaves). Then the hostile bytes replace the outline and the build runs again
in a child limited in time and address space. A bad case must exit 1 with one located
``file:line:col:`` message per problem, no traceback, no internal error, the previous outputs
byte-identical and no temporary files; a case that is legal must build and keep its text.

The small cases are files under ``tests/hostile/`` whose header comments state the expectation
(see ``tests/hostile/README.md``); large cases and image assets are generated here.
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
        assert f" {keep} " in f" {pptx} ", f"{keep!r} lost from the PPTX"
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
