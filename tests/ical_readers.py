"""Three independent iCalendar parsers read a feed; the tests require them to agree.

icalendar and vobject are Python libraries with separate code bases; ical.js
is the parser inside Thunderbird, run under Node (tests/js, `npm install`
there first). Each reading is reduced to what a subscriber sees: uid,
summary, start (UTC instant, or the day of an all-day event), end, the TZID
the start was written with, status and sequence.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import icalendar
import vobject

JS = Path(__file__).resolve().parent / "js"


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    assert value.tzinfo is not None, "a feed must never contain floating times"
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sorted(events: list[dict]) -> list[dict]:
    return sorted(events, key=lambda e: (e["uid"], e["start"] or ""))


def _calendar(name: object, description: object, events: list[dict]) -> dict:
    return {"name": None if name is None else str(name),
            "description": None if description is None else str(description), "events": _sorted(events)}


def read_with_icalendar(data: bytes) -> dict:
    calendar = icalendar.Calendar.from_ical(data)
    out = []
    for event in calendar.walk("VEVENT"):
        start = event["DTSTART"]
        out.append({
            "uid": str(event["UID"]), "summary": str(event["SUMMARY"]),
            "start": _when(event.decoded("DTSTART")),
            "end": _when(event.decoded("DTEND")) if "DTEND" in event else None,
            "tzid": start.params.get("TZID"),
            "status": str(event.get("STATUS")) if "STATUS" in event else None,
            "sequence": int(event.get("SEQUENCE", 0)),
        })
    return _calendar(calendar.get("X-WR-CALNAME"), calendar.get("X-WR-CALDESC"), out)


def read_with_vobject(data: bytes) -> dict:
    calendar = vobject.readOne(data.decode("utf-8"))
    out = []
    for event in calendar.contents.get("vevent", []):
        tzid = event.dtstart.params.get("X-VOBJ-ORIGINAL-TZID")  # where vobject keeps TZID once read
        out.append({
            "uid": event.uid.value, "summary": event.summary.value,
            "start": _when(event.dtstart.value),
            "end": _when(event.dtend.value) if hasattr(event, "dtend") else None,
            "tzid": tzid[0] if tzid else None,
            "status": event.status.value if hasattr(event, "status") else None,
            "sequence": int(event.sequence.value) if hasattr(event, "sequence") else 0,
        })
    name = calendar.x_wr_calname.value if hasattr(calendar, "x_wr_calname") else None
    description = calendar.x_wr_caldesc.value if hasattr(calendar, "x_wr_caldesc") else None
    return _calendar(name, description, out)


def read_with_icaljs(path: Path) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is needed for the ical.js check (apt-get install nodejs npm)"
    assert (JS / "node_modules" / "ical.js").is_dir(), "run `cd tests/js && npm install` first"
    result = subprocess.run([node, str(JS / "parse.mjs"), str(path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, f"ical.js could not read {path}: {result.stderr}"
    read = json.loads(result.stdout)
    return _calendar(read["name"], read["description"], read["events"])


def read_agreed(path: Path) -> list[dict]:
    """The feed's events as all three parsers read them; fails if any two disagree (name included)."""
    data = path.read_bytes()
    by_icalendar = read_with_icalendar(data)
    by_vobject = read_with_vobject(data)
    by_icaljs = read_with_icaljs(path)
    for name, other in (("vobject", by_vobject), ("ical.js", by_icaljs)):
        for key in ("name", "description"):
            assert by_icalendar[key] == other[key], f"icalendar and {name} read {key} differently"
        assert by_icalendar["events"] == other["events"], (
            f"icalendar and {name} disagree on {path.name}:\n" + _differences(by_icalendar["events"], other["events"]))
    return by_icalendar["events"]


def _differences(a: list[dict], b: list[dict]) -> str:
    lines = [f"{len(a)} events against {len(b)}"]
    for x, y in zip(a, b):
        if x != y:
            lines.append(f"  {x['uid']}: " + ", ".join(f"{k} {x.get(k)!r} != {y.get(k)!r}"
                                                       for k in x if x.get(k) != y.get(k)))
    return "\n".join(lines)
