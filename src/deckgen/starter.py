"""The starter outline that ``deckgen new`` writes: a commented, valid example of every field."""

from __future__ import annotations

STARTER = """\
# yaml-language-server: $schema=../schema/outline.schema.json
# A deckgen outline (format version 1). Every field is described in README.md.
# Text fields are plain text; **bold** and *italic* are the only markup.
schema: 1

meta:
  title: Assessment title
  subtitle: One line saying what the assessment covers
  author: Your organisation or unit
  date: 2025-01-31            # as-of date, YYYY-MM-DD
  classification: UNCLASSIFIED  # optional banner on every slide and page; delete to omit
  language: en                # optional, default en
  # theme: house              # optional: a theme from assets/themes/ or a built-in one
                              # (default, print); deckgen.toml sets the project's default

summary: |
  The executive summary: two or three sentences a minister reads first.

sections:
  - id: first-section         # unique slug: lowercase letters, digits, hyphens
    title: The first section
    lead: One sentence that frames the section.
    key_points:               # 1 to 12
      - headline: A short headline
        detail: The supporting paragraph, with **bold** or *italic* emphasis if needed.
    metrics:                  # 0 to 12
      - label: What is measured
        value: "2"            # kept as written; read as a number for charts when it is one
        unit: "% of GDP"      # optional
        context: Scope of the figure, e.g. 2014 to 2024
        source: Where the figure comes from
        status: amber         # optional: green, amber or red
        trend: up             # optional: up, down or flat
    looking_ahead: What comes next for this section.
    notes: Optional extra speaker notes.
    # image:                  # optional picture (PNG or JPEG), relative to this file
    #   path: ../assets/images/map.png
    #   alt: What the picture shows, read out by screen readers

conclusion:
  text: |
    The closing assessment.
  looking_ahead: What to watch next.

sources:
  - title: Title of a source
    publisher: Its publisher
    date: "2025"
    url: https://example.org/report   # optional: https, http or mailto
"""
