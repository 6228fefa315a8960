"""deckgen: YAML assessment outlines in, an editable PPTX deck and a PDF brief out."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
