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
  kind: Assessment            # optional: the brief cover's label, e.g. Leadership assessment
  language: en                # optional, default en; fixed words and dates follow it (en, fr)
  deck: compact               # optional: compact (default) or full (adds dividers and an agenda)
  # theme: house              # optional: a theme from assets/themes/ or a built-in one
                              # (default, print); deckgen.toml sets the project's default

summary: |
  The executive summary: two or three sentences a minister reads first, bottom line first.

key_judgements:               # optional, 3 to 6: the deck and the brief open with them
  - text: One sentence stating a judgement the assessment supports.
    confidence: moderate      # low, moderate or high: how well the evidence supports it
    sections: [first-section] # optional: ids of the sections it rests on
  - text: A second judgement.
    confidence: high
  - text: A third judgement.
    confidence: low

sections:
  - id: first-section         # unique slug: lowercase letters, digits, hyphens
    title: The first section
    lead: One sentence that frames the section.
    assessment: The section's point in one sentence (at most 120 characters); its slide title
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
        target: "2.5"         # optional: a comparison value in the same unit
      - label: The same measure a year earlier
        value: "1.8"
        unit: "% of GDP"
        context: Scope of the figure
        source: Where the figure comes from
    chart:                    # optional: drawn only where declared
      type: column            # bar, column, line or bullet
      metrics: [1, 0]         # labels or 0-based indexes of the metrics compared
      title: The sentence the chart proves, e.g. Spending rose by a third in a year
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
