"""One job in, the deck's plan (with its pictures and template) out: shared by every deck renderer.

The PPTX, the deck PDF and the PNG previews must draw the same plan, so they all get it here:
images checked once, the template (the theme's, or ``--template``) read and checked once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckgen.images import PreparedImage, outline_images
from deckgen.model import DeckPlan
from deckgen.plan.deck import plan_deck
from deckgen.render import Job
from deckgen.template import check_template, inspect_template


@dataclass(frozen=True, slots=True)
class DeckJob:
    plan: DeckPlan
    images: dict[str, PreparedImage]
    template: Path | None


def plan_for_job(job: Job) -> DeckJob:
    """Plan ``job``'s deck; raise located errors for bad pictures or a non-conforming template."""
    images = outline_images(job.outline, job.theme)
    template_path = job.template or job.theme.template_path()
    info = None
    if template_path is not None and job.theme.template is not None:
        info = inspect_template(template_path)
        check_template(info, job.theme.template, str(template_path))
    else:
        template_path = None
    plan = plan_deck(job.outline, job.theme, job.created, images, info, job.deck)
    return DeckJob(plan, images, template_path)
