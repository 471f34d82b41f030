"""Numbers read from environment variables (the reading's limits), checked with a message that says the fix."""

from __future__ import annotations

import os


class SettingError(ValueError):
    """An EVENTSCOUT_* setting that cannot be used; the message names it and the fix."""


def positive_number(name: str, default: float, kind: type = float) -> float:
    """$name as a number greater than zero, `default` when unset or empty; SettingError naming the fix."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a number; unset it or give e.g. {default:g}") from None
    if value <= 0:
        raise SettingError(f"{name}={raw!r} must be greater than zero; unset it or give e.g. {default:g}")
    return value
