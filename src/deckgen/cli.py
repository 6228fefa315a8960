"""Command line: argv in, exit status out (0 ok, 1 bad input, 2 usage error, 70 internal error).

A thin adapter: each subcommand parses its options and makes one call into the layers below.
Heavy imports happen inside the subcommands so that quick commands stay quick.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from deckgen import __version__
from deckgen.diagnostics import InputError, UsageError

# The same numbers as deckgen.build's, which this module does not import on start-up.
EXIT_OK = 0
EXIT_INPUT = 1  # bad input: fix the file the message names
EXIT_USAGE = 2  # the command line is wrong (argparse uses 2 as well): fix the command
EXIT_INTERNAL = 70  # a bug in deckgen: EX_SOFTWARE in sysexits.h
EXIT_INTERRUPTED = 130

EXIT_STATUSES = """\
exit statuses:
  0    every target built or up to date (check: every outline is fine)
  1    bad input: an outline, theme, picture, template or deckgen.toml is invalid (the
       message says file:line:col), --strict warnings, an output could not be written,
       or --check found stale targets
  2    usage error: unknown command or option, a bad option value, no outlines found
  70   internal error: a bug in deckgen (DECKGEN_DEBUG=1 shows the traceback)
  130  interrupted
"""


def _here() -> Any:
    """The project of the working directory (its ``deckgen.toml``), or None."""
    from deckgen.project import project_here

    return project_here()


def _outlines_folder() -> Path:
    """Where outlines are looked for when none are named: the project's, else ``outlines/``."""
    here = _here()
    if here is None:
        return Path("outlines")
    return Path(os.path.relpath(here.root / here.outlines))


def _outline_paths(given: Sequence[str]) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    return sorted(_outlines_folder().glob("*.yaml"))


def _no_outlines() -> int:
    print(f"deckgen: no outlines given and none in {_outlines_folder()}/", file=sys.stderr)
    return EXIT_USAGE


def _report(err: InputError) -> None:
    for diag in err.diagnostics:
        print(diag.format(), file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    """Everything ``build`` checks before and while planning, for each outline; nothing written.

    Exit 1 on exactly the outlines ``build`` (with the same options) would refuse.
    """
    from deckgen.diagnostics import Severity
    from deckgen.preflight import plan_diagnostics, preflight

    paths, opts = _build_options(args)
    if not paths:
        return _no_outlines()
    status = EXIT_OK
    for path in paths:
        try:
            checked = preflight(
                path,
                theme=opts.theme,
                template=opts.template,
                max_sections=opts.max_sections,
                since=opts.since,
            )
            found = checked.warnings + plan_diagnostics(
                checked, opts.formats, opts.epoch, opts.deck
            )
        except InputError as err:
            _report(err)
            n = len(err.diagnostics)
            print(f"{path}: {n} problem{'s' if n != 1 else ''}", file=sys.stderr)
            status = EXIT_INPUT
            continue
        warnings = [d for d in found if d.severity is Severity.WARNING]
        notices = [d for d in found if d.severity is Severity.NOTICE]
        for diag in warnings + (notices if args.verbose else []):
            print(diag.format(), file=sys.stderr)
        outline = checked.outline
        points = sum(len(s.key_points) for s in outline.sections)
        metrics = sum(len(s.metrics) for s in outline.sections)
        summary = f"{len(outline.sections)} sections, {points} key points, {metrics} metrics"
        if warnings:
            summary += f"; {_count(len(warnings), 'warning')}"
        if notices:
            summary += f"; {_count(len(notices), 'notice')}" + ("" if args.verbose else " (-v)")
        if opts.strict and warnings:
            print(f"{path}: refused by --strict: {summary}", file=sys.stderr)
            status = EXIT_INPUT
        else:
            print(f"{path}: ok: {summary}")
    return status


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def cmd_schema(args: argparse.Namespace) -> int:
    from deckgen.outline import json_schema

    print(json.dumps(json_schema(), indent=2, sort_keys=True))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from deckgen.starter import STARTER

    path = Path(args.path)
    if path.exists() and not args.force:
        print(f"deckgen: {path} exists; use --force to overwrite", file=sys.stderr)
        return EXIT_USAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER, encoding="utf-8")
    print(f"wrote {path}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from deckgen.scaffold import init_project

    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        print(f"deckgen: {folder} exists and is not a folder", file=sys.stderr)
        return EXIT_INPUT
    done = init_project(folder, force=args.force)
    for rel, wrote in done:
        shown = folder / rel
        print(f"wrote {shown}" if wrote else f"kept  {shown} (exists; --force overwrites it)")
    go = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    print(
        f"next: {go}deckgen build   (then edit outlines/example.yaml and assets/themes/house.yaml)"
    )
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    from deckgen.plans import Job, prepare
    from deckgen.preflight import preflight
    from deckgen.reproducible import pinned_time

    path = Path(args.outline)
    checked = preflight(path, theme=args.theme, template=args.template, since=args.since)
    outline, theme, template = checked.outline, checked.theme, checked.template
    created = pinned_time(outline.meta.date)
    job = Job(outline, theme, path, created, template, args.deck, checked.previous, checked.since)
    plan = prepare(job).plan("brief" if args.brief else "deck")
    if args.diagnostics:
        for diag in plan.diagnostics:
            print(diag.format())
    else:
        print(json.dumps(plan.to_json(), indent=1, ensure_ascii=False))
    return EXIT_OK


def _run_project(paths: Sequence[Path]) -> Any:
    """The project whose ``deckgen.toml`` sets the output folder and formats of this run.

    The working directory's project; else the project every named outline belongs to, when
    they share one; else None (``build/`` here, deck and brief).
    """
    from deckgen.project import find_config, read_config

    here = _here()
    if here is not None or not paths:
        return here
    configs = {find_config(p.resolve().parent) for p in paths}
    if len(configs) == 1 and None not in configs:
        (config,) = configs
        assert config is not None
        return read_config(config)
    return None


def _build_options(args: argparse.Namespace) -> tuple[list[Path], Any]:
    from deckgen.build import DEFAULT_FORMATS, Options

    paths = _outline_paths(args.outlines)
    project = _run_project(paths)
    formats = tuple(dict.fromkeys(f.strip() for f in (args.format or "").split(",") if f.strip()))
    opts = Options(
        out_dir=Path(args.output) if args.output else _default_output(project),
        formats=formats or (project.formats if project else DEFAULT_FORMATS),
        theme=args.theme,
        template=getattr(args, "template", None),
        epoch=os.environ.get("SOURCE_DATE_EPOCH", "").strip(),
        force=getattr(args, "force", False),
        strict=args.strict,
        depfile=args.depfile,
        max_sections=args.max_sections,
        deck=getattr(args, "deck", None),
        since=getattr(args, "since", None) or (project.since if project else None),
    )
    return paths, opts


def cmd_build(args: argparse.Namespace) -> int:
    from deckgen.build import run

    paths, opts = _build_options(args)
    if not paths:
        return _no_outlines()
    if args.json:
        from deckgen.build_report import JsonReporter

        reporter: Any = JsonReporter()
    elif sys.stderr.isatty() and len(paths) > 1:
        from deckgen.build_report import RichReporter

        reporter = RichReporter(verbose=args.verbose)
    else:
        from deckgen.build_report import PlainReporter

        reporter = PlainReporter(verbose=args.verbose)
    summary = run(paths, opts, jobs=args.jobs, check=args.check, reporter=reporter)
    return summary.exit_status


def cmd_watch(args: argparse.Namespace) -> int:
    from deckgen.watch import watch

    _, opts = _build_options(args)
    if args.port is not None and not args.serve:
        raise UsageError("--port needs --serve")
    port = args.port if args.port is not None else 8000  # deckgen.serve.DEFAULT_PORT
    return watch(
        args.outlines,
        opts,
        jobs=args.jobs,
        debounce_ms=args.debounce,
        folder=_outlines_folder(),
        verbose=args.verbose,
        serve=port if args.serve else None,
        argv=args.argv,
    )


def cmd_preview(args: argparse.Namespace) -> int:
    from deckgen.build_state import write_if_changed
    from deckgen.plans import Job, prepare
    from deckgen.preflight import preflight
    from deckgen.render.png import parse_slides, preview_files
    from deckgen.reproducible import pinned_time

    paths = _outline_paths(args.outlines)
    if not paths:
        return _no_outlines()
    if not 64 <= args.width <= 8000:
        print("deckgen: --width must be between 64 and 8000 pixels", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.output) if args.output else _default_output(_run_project(paths))
    for path in paths:
        checked = preflight(path, theme=args.theme)
        outline, theme = checked.outline, checked.theme
        job = Job(outline, theme, path, pinned_time(outline.meta.date), deck=args.deck)
        prepared = prepare(job)
        plan, images = prepared.plan("deck"), prepared.images
        try:
            slides = parse_slides(args.slides, len(plan.slides)) if args.slides else None
        except ValueError as err:
            print(f"deckgen: --slides: {err}", file=sys.stderr)
            return EXIT_USAGE
        files = preview_files(
            plan, theme.faces(), path.stem, width=args.width, slides=slides, images=images
        )
        for rel, data in files.items():
            write_if_changed(out / rel, data)
        folder = out / f"{path.stem}-slides"
        if slides is None:  # the whole deck: drop pages left over from a longer one
            for old in folder.glob("*.png"):
                if f"{folder.name}/{old.name}" not in files:
                    old.unlink()
        sheet = f" and {out / (path.stem + '-slides.png')}" if slides is None else ""
        count = len(files) - (1 if slides is None else 0)
        print(f"{path}: {count} slide previews in {folder}/{sheet}")
    return EXIT_OK


def _default_output(project: Any) -> Path:
    """The project's output folder (relative to here, as messages show it), else ``build/``."""
    if project is None:
        return Path("build")
    return Path(os.path.relpath(project.root / project.output))


def cmd_export_markdown(args: argparse.Namespace) -> int:
    from deckgen.export_md import to_markdown
    from deckgen.outline import MAX_SECTIONS, load_outline

    outline = load_outline(args.outline, max_sections=args.max_sections or MAX_SECTIONS)
    text = to_markdown(outline)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return EXIT_OK


def _build_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("outlines", nargs="*", help="outline files (default: outlines/*.yaml)")
    p.add_argument(
        "-o", "--output", metavar="DIR", help="output directory (default: the project's build/)"
    )
    p.add_argument("--format", metavar="F,...", help="formats to build (default: pptx,pdf)")
    p.add_argument("--theme", help="theme name or path (default: the outline's, else default)")
    p.add_argument(
        "--template", metavar="FILE", help="build the deck on this .pptx/.potx (theme maps layouts)"
    )
    _deck_argument(p)
    _since_argument(p)
    p.add_argument("-j", "--jobs", type=_positive, metavar="N", help="processes (default: cores)")
    p.add_argument(
        "--strict", action="store_true", help="fail on warnings too (notices never fail)"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="also list notices")
    p.add_argument("--depfile", action="store_true", help="write build/<stem>.d for Make")
    _max_sections_argument(p)


def _since_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--since",
        metavar="REF",
        help="show what changed since an older version of the outline: a file, or a git "
        "revision of its repository (a tag, a branch, HEAD~3); default: deckgen.toml's since",
    )


def _deck_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--deck",
        choices=("compact", "full"),
        help="deck shape: compact (at most two slides per section) or full (adds section "
        "dividers and an agenda); default: the outline's meta.deck, else compact",
    )


def _max_sections_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-sections",
        type=_positive,
        metavar="N",
        help="allow up to N sections (default 50), with size limits scaled to match; "
        "for benchmarks",
    )


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def cmd_inspect_template(args: argparse.Namespace) -> int:
    from deckgen.template import describe, inspect_template, write_sample

    path = Path(args.file)
    print(describe(inspect_template(path)))
    if args.sample:
        out = Path(args.sample)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(write_sample(path))
        print(f"wrote {out}: one slide per layout, each placeholder labelled with its index")
    return EXIT_OK


_with_exit_statuses: dict[str, Any] = {
    "epilog": EXIT_STATUSES,
    "formatter_class": argparse.RawDescriptionHelpFormatter,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deckgen",
        description="Turn YAML assessment outlines into an editable PPTX deck and a PDF brief.",
        **_with_exit_statuses,
    )
    parser.add_argument("--version", action="version", version=f"deckgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "check",
        help="check outlines as build would (themes, pictures, templates); write nothing",
        **_with_exit_statuses,
    )
    p.add_argument("outlines", nargs="*", help="outline files (default: outlines/*.yaml)")
    p.add_argument("--format", metavar="F,...", help="formats to judge (default: pptx,pdf)")
    p.add_argument("--theme", help="theme name or path (default: the outline's, else default)")
    p.add_argument("--template", metavar="FILE", help="judge the deck on this .pptx/.potx")
    _deck_argument(p)
    _since_argument(p)
    p.add_argument(
        "--strict", action="store_true", help="fail on warnings too (notices never fail)"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="also list notices")
    _max_sections_argument(p)
    p.set_defaults(func=cmd_check, output=None, depfile=False)

    p = sub.add_parser("schema", help="print the JSON Schema of the outline format")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help="write a commented starter outline")
    p.add_argument("path", help="where to write it, e.g. outlines/my-assessment.yaml")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("init", help="write a ready project folder (deckgen.toml, outlines, assets)")
    p.add_argument("folder", nargs="?", default=".", help="the project folder (default: here)")
    p.add_argument("--force", action="store_true", help="overwrite files that exist")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("plan", help="print the slide plan of an outline as JSON")
    p.add_argument("outline", help="outline file")
    p.add_argument("--theme", help="theme name or path (default: the outline's, else default)")
    p.add_argument(
        "--diagnostics", action="store_true", help="print only the planner's diagnostics"
    )
    p.add_argument("--template", metavar="FILE", help="plan on this .pptx/.potx template")
    p.add_argument("--brief", action="store_true", help="print the brief's plan, not the deck's")
    _deck_argument(p)
    _since_argument(p)
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser(
        "build", help="build decks and briefs, skipping up-to-date targets", **_with_exit_statuses
    )
    _build_arguments(p)
    p.add_argument("--force", action="store_true", help="rebuild even up-to-date targets")
    p.add_argument("--check", action="store_true", help="build nothing; exit 1 if any is stale")
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "watch", help="build, then rebuild whenever an input is saved", **_with_exit_statuses
    )
    _build_arguments(p)
    p.add_argument("--debounce", type=int, default=300, metavar="MS", help="quiet time (ms)")
    p.add_argument(
        "--serve",
        action="store_true",
        help="also show the slides and the brief on a local page that updates after every build",
    )
    p.add_argument(
        "--port",
        type=_port,
        metavar="N",
        help="the page's port on 127.0.0.1 (default 8000; 0: any free port)",
    )
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("preview", help="draw PNG previews of slides and a contact sheet")
    p.add_argument("outlines", nargs="*", help="outline files (default: outlines/*.yaml)")
    p.add_argument("--slides", metavar="N-M,...", help="slides to draw, 1-based (default: all)")
    p.add_argument("--width", type=int, default=1280, metavar="N", help="PNG width in pixels")
    p.add_argument(
        "-o", "--output", metavar="DIR", help="output directory (default: the project's build/)"
    )
    p.add_argument("--theme", help="theme name or path (default: the outline's, else default)")
    _deck_argument(p)
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("inspect-template", help="list a .pptx/.potx template's layouts")
    p.add_argument("file", help="template file (.pptx or .potx)")
    p.add_argument("--sample", metavar="OUT", help="also write an annotated sample deck")
    p.set_defaults(func=cmd_inspect_template)

    p = sub.add_parser("export-markdown", help="write an outline as Pandoc Markdown slides")
    p.add_argument("outline", help="outline file")
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    _max_sections_argument(p)
    p.set_defaults(func=cmd_export_markdown)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # to start afresh (watch)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except InputError as err:
        _report(err)
        return EXIT_INPUT
    except UsageError as err:
        print(f"deckgen {args.command}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("deckgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # an internal error: say so plainly, trace only on request
        print(f"deckgen: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("DECKGEN_DEBUG"):
            traceback.print_exc()
        else:
            print("deckgen: set DECKGEN_DEBUG=1 for a traceback", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The console entry point: :func:`main`, then end the process at once.

    By the time :func:`main` returns every output is written and closed. Tearing the
    interpreter down would free, one by one, every object the libraries and the deck left
    behind: about a quarter of a second, a fifth of a cold build. So the streams are flushed
    and the process exits without that (as mypy does).
    """
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # reader gone, or closed
            stream.flush()
    os._exit(status)
