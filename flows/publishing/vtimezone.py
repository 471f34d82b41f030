"""VTIMEZONE blocks from the IANA database, written so every client reads them alike.

Each yearly rule becomes one observance with an RRULE (e.g. the second Sunday
of March at 02:00), its DTSTART in the local time before the change (RFC 5545
3.6.5). RDATE lists are avoided: dateutil-based readers (vobject) apply only
the first date of such a list, and read every later summer as winter time.
Transitions that follow no rule each get their own observance.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

#: the span the blocks describe; fixed, so a feed's bytes do not change with the date it is written
FIRST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LAST = datetime(2038, 1, 1, tzinfo=timezone.utc)
_DAY = timedelta(days=1)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    onset: datetime  # naive local wall time just before the change
    before: timedelta
    after: timedelta
    name: str
    dst: bool


def _state(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, timedelta, str]:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.dst() or timedelta(0), local.tzname() or ""


def transitions(zone: ZoneInfo) -> list[Transition]:
    """Every change of offset or name between FIRST and LAST, found day by day then to the second."""
    found: list[Transition] = []
    day, state = FIRST, _state(zone, FIRST)
    while day < LAST:
        following = day + _DAY
        new = _state(zone, following)
        if new != state:
            low, high = day, following  # state at low, new at high
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            onset = (high + state[0]).replace(tzinfo=None)
            found.append(Transition(onset, state[0], new[0], new[2], new[1] != timedelta(0)))
            state = new
        day = following
    return found


def _rule(onset: datetime) -> tuple[int, str, tuple[int, int, int], frozenset[int]]:
    """(month, weekday, time, the BYDAY positions this date fits: nth and/or last)."""
    last_day = calendar.monthrange(onset.year, onset.month)[1]
    positions = {(onset.day - 1) // 7 + 1}
    if onset.day + 7 > last_day:
        positions.add(-1)
    return onset.month, _WEEKDAYS[onset.weekday()], (onset.hour, onset.minute, onset.second), frozenset(positions)


def _offset(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def _observance(first: Transition, rrule: str | None) -> list[str]:
    kind = "DAYLIGHT" if first.dst else "STANDARD"
    lines = [f"BEGIN:{kind}", f"DTSTART:{first.onset:%Y%m%dT%H%M%S}"]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    lines += [f"TZOFFSETFROM:{_offset(first.before)}", f"TZOFFSETTO:{_offset(first.after)}"]
    if first.name:
        lines.append(f"TZNAME:{_text(first.name)}")
    lines.append(f"END:{kind}")
    return lines


def _runs(items: list[Transition]) -> list[tuple[list[Transition], int | None]]:
    """Split one kind of transition into yearly runs that share a BYDAY rule."""
    runs: list[tuple[list[Transition], int | None]] = []
    current: list[Transition] = []
    shared: frozenset[int] = frozenset()
    for item in items:
        month, weekday, time, positions = _rule(item.onset)
        if current:
            prev = current[-1].onset
            fits = (_rule(prev)[:3] == (month, weekday, time) and item.onset.year == prev.year + 1
                    and shared & positions)
            if fits:
                current.append(item)
                shared &= positions
                continue
            runs.append((current, min(shared, key=abs) if len(current) > 1 else None))
        current, shared = [item], positions
    if current:
        runs.append((current, min(shared, key=abs) if len(current) > 1 else None))
    return runs


@lru_cache(maxsize=256)
def vtimezone(key: str) -> str:
    """The VTIMEZONE block for one IANA zone, CRLF-terminated."""
    zone = ZoneInfo(key)
    offset, dst, name = _state(zone, FIRST)
    initial = Transition((FIRST + offset).replace(tzinfo=None), offset, offset, name, dst != timedelta(0))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{key}", *_observance(initial, None)]
    found = transitions(zone)
    kinds: dict[tuple, list[Transition]] = {}
    for t in found:
        kinds.setdefault((t.before, t.after, t.name, t.dst), []).append(t)
    for items in kinds.values():
        for run, position in _runs(items):
            if position is None:
                lines += _observance(run[0], None)
                continue
            open_ended = run[-1] is items[-1] and run[-1].onset.year >= LAST.year - 2
            until = "" if open_ended else (
                f";UNTIL={(run[-1].onset - run[-1].before):%Y%m%dT%H%M%S}Z")
            month, weekday, _, _ = _rule(run[0].onset)
            lines += _observance(run[0], f"FREQ=YEARLY;BYMONTH={month};BYDAY={position}{weekday}{until}")
    lines.append("END:VTIMEZONE")
    return "".join(line + "\r\n" for line in lines)
