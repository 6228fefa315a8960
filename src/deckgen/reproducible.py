"""Pinned time: an outline's as-of date (or ``SOURCE_DATE_EPOCH``) in, the one timestamp out.

Every date written into an output (core properties, PDF info, zip entries) comes from here, so
identical inputs give identical bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime


def pinned_time(as_of: date, env: Mapping[str, str] | None = None) -> datetime:
    """``SOURCE_DATE_EPOCH`` when set to an integer, else midnight UTC of ``as_of``."""
    env = os.environ if env is None else env
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        return datetime.fromtimestamp(int(raw), tz=UTC)
    return datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
