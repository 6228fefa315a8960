"""Plans: an outline, its theme and the build's options in, each plan made once and the assets
every writer draws out.

The build, ``deckgen check``, ``plan`` and ``preview`` all come here: pictures are checked and
prepared once, the template (the theme's, or ``--template``) is read and checked once, and each
plan (the deck's, the brief's) is made once per outline, whatever number of formats draw it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deckgen.images import outline_images, template_images
from deckgen.model import PreparedImage, Since
from deckgen.outline import Outline
from deckgen.plan.changes import Changes, compare
from deckgen.render import FORMATS, Assets, PlanKind, Rendered
from deckgen.theme import Theme

if TYPE_CHECKING:  # read only when a theme names a template: a brief alone needs no lxml
    from deckgen.template import TemplateInfo

# How many plans of each kind were made in this process (for tests and benchmarks).
MADE: dict[str, int] = defaultdict(int)


@dataclass(frozen=True, slots=True)
class Job:
    """What one outline is built from: the validated outline, its theme, where it came from,
    the time the outputs carry, and the options that change the plans."""

    outline: Outline
    theme: Theme
    source: Path
    created: datetime
    template: Path | None = None  # overrides the theme's template file (``--template``)
    deck: str | None = None  # ``--deck compact|full``; None: the outline's ``meta.deck``
    previous: Outline | None = None  # ``--since``: the older version changes are shown against
    since: Since | None = None  # the older version, for the outputs to name


@dataclass(slots=True)
class Prepared:
    """A job with its pictures prepared and its template checked: ready to plan."""

    job: Job
    images: dict[str, PreparedImage]
    template: TemplateInfo | None
    template_path: Path | None
    changes: Changes | None = None  # what changed since ``job.previous`` (None: no --since)
    plans: dict[str, Any] = field(default_factory=dict)

    def assets(self) -> Assets:
        return Assets(self.images, self.job.theme.faces(), self.job.created, self.template_path)

    def plan(self, kind: PlanKind) -> Any:
        """The plan of ``kind``, made on first use and kept."""
        if kind not in self.plans:
            self.plans[kind] = _make(self, kind)
            MADE[kind] += 1
        return self.plans[kind]


def prepare(job: Job) -> Prepared:
    """Prepare ``job``'s pictures and template; raise located errors for bad ones.

    With a template (the theme's, or ``--template``) the layouts the theme does not map are
    chosen by their placeholders, and the job's theme becomes the template's look
    (:func:`deckgen.plan.look.templated`), so every plan and writer uses its colours and fonts.
    """
    template_path = job.template or job.theme.template_path()
    info = None
    if template_path is not None:
        from deckgen.template import check_template, inspect_template, template_spec

        info = inspect_template(template_path)
        if job.theme.template is not None:
            check_template(info, job.theme.template, str(template_path))
        spec, chosen = template_spec(info, job.theme.template, template_path)
        from deckgen.plan.look import templated

        theme = templated(job.theme.model_copy(update={"template": spec}), info)
        theme._origin = (*theme._origin, *chosen)
        job = replace(job, theme=theme)
        images = outline_images(job.outline, job.theme)
        images.update(template_images(info))
    else:
        images = outline_images(job.outline, job.theme)
    changes = None
    if job.previous is not None:
        changes = compare(job.previous, job.outline, job.since)
    return Prepared(job, images, info, template_path, changes)


def _make(prepared: Prepared, kind: PlanKind) -> Any:
    return PLANNERS[kind](prepared)


def _deck(prepared: Prepared) -> Any:
    import gc

    from deckgen.plan.deck import plan_deck

    job = prepared.job
    # The plan is hundreds of thousands of long-lived objects and no cycles; the cyclic
    # collector's passes over them would make planning grow faster than the deck.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return plan_deck(
            job.outline,
            job.theme,
            job.created,
            prepared.images,
            prepared.template,
            job.deck,
            prepared.changes,
        )
    finally:
        if enabled:
            gc.enable()


def _brief(prepared: Prepared) -> Any:
    from deckgen.plan.brief import plan_brief

    job = prepared.job
    return plan_brief(
        job.outline, job.theme, job.created, prepared.images, changes=prepared.changes
    )


# Each plan kind and the planner that makes it (a format names its kind in the registry).
PLANNERS: dict[str, Callable[[Prepared], Any]] = {"deck": _deck, "brief": _brief}


def output(job: Job | Prepared, fmt: str) -> Rendered:
    """The bytes of format ``fmt`` for ``job`` (planning what is not planned yet)."""
    prepared = job if isinstance(job, Prepared) else prepare(job)
    spec = FORMATS[fmt]
    plan = prepared.plan(spec.plan)
    return Rendered(spec.writer()(plan, prepared.assets()), list(plan.diagnostics))
