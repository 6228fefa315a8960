"""The deck's named numbers: every fixed distance and size of the slide layouts, in points.

One place for them, so a change of look is a change here (or in the theme), not a hunt through
the slide families. Sizes that fit text are not here: they come from the theme's ranges and are
chosen deck-wide by :mod:`deckgen.plan.deck.sizes`.
"""

from __future__ import annotations

# Type that is not fitted: the same on every slide.
KICKER_SIZE = 11.0  # the line above each title: section number and name
LABEL_SIZE = 11.0  # "LOOKING AHEAD" and other panel labels (bold capitals)
BADGE_SIZE = 12.0  # a judgement's confidence and sections: content, so body-sized
FURNITURE_SIZE = 9.0  # banners, footer, slide number: the floor for furniture
BODY_FLOOR = 12.0  # no body text below this (briefing.md: under 12 pt is not read)
CHART_TEXT = 12.0  # chart labels in the deck

# Slide furniture.
KICKER_GAP = 20.0  # from the top banner (or the top edge) to the kicker's top
KICKER_HEIGHT = 16.0
TITLE_LINES = 2  # an action title is at most two lines
TITLE_LEADING = 1.1
TEMPLATE_TITLE_FLOOR = 14.0  # a template's small title placeholder may set titles down to this
RULE_WIDTH, RULE_HEIGHT = 56.0, 3.0  # the accent rule under a title
RULE_GAP = 8.0  # title box to rule
BODY_GAP = 14.0  # rule to body
FOOTER_HEIGHT = 16.0
FOOTER_GAP = 8.0  # footer to the bottom banner (or edge)
BODY_FOOTER_GAP = 10.0  # body to footer
NUMBER_WIDTH = 50.0  # the slide number's box

# Columns and stacks.
LEFT_SHARE = 0.56  # the left column's share of the body width on two-column slides
COLUMN_GAP = 24.0
STACK_GAP = 12.0  # between cards and panels in a column
PARA_GAP = 0.55  # space after a paragraph, in multiples of its size
POINT_GAP = 0.7  # space after a key point's sentence
HEAD_GAP = 0.15  # space after a key point's headline

# Cards (metrics) and panels (looking ahead).
CARD_INSET = 9.0
CARD_STRIPE = 5.0
CARD_VALUE_SCALE = 1.35  # the value, relative to the card text
CARD_SMALL_SCALE = 0.9  # status word, context and source lines
VALUE_SHARE = 0.3  # the value column of an indicator row
PANEL_PAD = 14.0
PANEL_RULE = 5.0
LABEL_HEIGHT = 18.0

# Key judgements.
BADGE_WIDTH = 140.0  # the confidence column
METER_SQUARE = 9.0
METER_GAP = 3.0
JUDGEMENT_GAP = 12.0
ASIDE_SHARE = 0.3  # the folded agenda beside the judgements

# Sizing.
FALLBACK_SHARE = 0.2  # at most this share of a role's instances may use its smaller size
COMFORT = 0.5  # optional content joins a slide only if it fits at this point of the ranges
FILL_MIN = 0.5  # a content slide fills at least half its body (checked by tests)
TRACKER_WINDOW = 15  # sections shown in a divider's agenda tracker
CHART_LEAST = 100.0  # a chart alone on its slide is never drawn lower than this
SHORT_BODY = 0.4  # a template body lower than this share of the slide is warned about
FREE_GAIN = 1.25  # ...and takes the slide's free area instead when that is this much larger
