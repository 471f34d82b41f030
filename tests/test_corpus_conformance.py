"""The real-page corpus (shared/corpus, never copied here) read by `eventscout.scrapers.extract_page`.

Same matching as shared/tools/score_extract.py: a label matches an extracted
event with the same normalised title and the same wall-clock start (minute,
or day for all-day events); for matched events the fields the label states
(end, url, location.city, status) must agree. Run with ``-s`` to see the
per-file figures.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from eventscout.scrapers import Page, extract_page

def _find_corpus() -> Path:
    """shared/corpus beside the repo root (or beside an enclosing folder, for git worktrees)."""
    root = Path(__file__).resolve().parents[1]
    for folder in (root.parent, *root.parent.parents):
        if (folder / "shared" / "corpus" / "labels.json").is_file():
            return folder / "shared" / "corpus"
    return root.parent / "shared" / "corpus"


CORPUS = _find_corpus()
MIN_RECALL, MIN_FIELDS = 0.99, 0.97

#: files read by the feed and API readers (ical, eventbrite, meetup, localist, rss)
FEED_FILES = (
    "calagator_ical_google.ics", "chi_low_income_housing_trust_fund.ics",
    "icalendar_issue_237_non_ascii_tzid.ics", "icalevents_basic_latin1.ics",
    "icalevents_recurring_override.ics", "minn_st_paul_ps_ical.ics",
    "rie_discourse_no_dtend.ics", "rie_germany.ics",
    "eventbrite_api_org_events.json", "meetup_graphql_group.json",
)

#: labels a reference tool got wrong: (file, title, start) -> why it is not counted
LABEL_ERRORS: dict[tuple[str, str, str], str] = {
    ("icalendar_issue_237_non_ascii_tzid.ics", "", "2017-05-11T13:30"):
        "the VEVENT has no SUMMARY (and no UID); the reference tool listed it with an empty "
        "title, but an untitled event is no event to publish and extract_page drops it by design",
}


#: labels whose start a reference tool copied unnormalised: (file, title, start) -> (start, why)
LABEL_CORRECTIONS: dict[tuple[str, str, str], tuple[str, str]] = {
    ("calagator_hcal_upcoming_v1.html", "February BarCamp Portland Informal Tech Meetup", "20080228T173000"):
        ("2008-02-28T17:30", "the hCalendar dtstart title attribute copied raw (ISO basic format); "
                             "the scorer's wall-clock reader only reads YYYY-MM-DD, so no start could match"),
    ("calagator_hcal_upcoming_v2.html", "Ignite Portland 4", "20081113T190000"):
        ("2008-11-13T19:00", "the hCalendar dtstart copied raw (ISO basic format), as above"),
}


def _norm(text: object) -> str:
    text = html.unescape(html.unescape(str(text or "")))
    return re.sub(r"\s+", " ", text).strip().casefold()


def _wall(text: object) -> str:
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?", str(text or ""))
    if not m:
        return str(text or "")
    return m.group(1) + ("T" + m.group(2) if m.group(2) else "")


@dataclass
class Score:
    file: str
    hits: int
    labelled: int
    field_hits: int
    fields: int
    extracted: int

    @property
    def recall(self) -> float:
        return self.hits / self.labelled if self.labelled else 1.0

    @property
    def field_agreement(self) -> float:
        return self.field_hits / self.fields if self.fields else 1.0


def _labels() -> list[dict]:
    if not (CORPUS / "labels.json").is_file():
        return []
    return [lab for lab in json.loads((CORPUS / "labels.json").read_text())["labels"] if lab["events"]]


@cache
def _score(file: str) -> Score:
    label = next(lab for lab in _labels() if lab["file"] == file)
    since, until = (date.fromisoformat(d) for d in label["window"]) if label.get("window") else (None, None)
    page = Page((CORPUS / "pages" / file).read_bytes(), f"https://example.invalid/{file}",
                since=since, until=until)
    got = [e.to_json() for e in extract_page(page).events]
    have: dict[tuple[str, str], dict] = {}
    for event in got:
        title, start = _norm(event["title"]), _wall(event["start"])
        have.setdefault((title, start), event)
        have.setdefault((title, start[:10]), event)
    score = Score(file, 0, 0, 0, 0, len(got))
    for want in label["events"]:
        if (file, want["title"], want["start"]) in LABEL_ERRORS:
            continue
        score.labelled += 1
        start = LABEL_CORRECTIONS.get((file, want["title"], want["start"]), (want["start"],))[0]
        event = have.get((_norm(want["title"]), _wall(start)))
        if event is None:
            continue
        score.hits += 1
        location = event.get("location") or {}
        checks = {"end": lambda: _wall(event.get("end")) == _wall(want["end"]),
                  "url": lambda: str(event.get("url") or "").rstrip("/") == want["url"].rstrip("/"),
                  "city": lambda: _norm(location.get("city")) == _norm(want["city"]),
                  "status": lambda: event.get("status") == want["status"]}
        for name, agrees in checks.items():
            if name in want:
                score.fields += 1
                score.field_hits += bool(agrees())
    print(f"{file}: recall {score.hits}/{score.labelled}, fields {score.field_hits}/{score.fields}, "
          f"extracted {score.extracted}")
    return score


needs_corpus = pytest.mark.skipif(not _labels(), reason=f"no corpus at {CORPUS}")


@needs_corpus
@pytest.mark.parametrize("file", FEED_FILES)
def test_feed_and_api_files_on_their_own(file):
    score = _score(file)
    assert score.recall >= MIN_RECALL, score
    assert score.field_agreement >= MIN_FIELDS, score


@needs_corpus
def test_whole_corpus():
    scores = [_score(lab["file"]) for lab in _labels()]
    for s in scores:
        print(f"{s.file:45} recall {s.recall:6.1%} ({s.hits}/{s.labelled})  "
              f"fields {s.field_agreement:6.1%} ({s.field_hits}/{s.fields})")
    hits, labelled = sum(s.hits for s in scores), sum(s.labelled for s in scores)
    field_hits, fields = sum(s.field_hits for s in scores), sum(s.fields for s in scores)
    print(f"corpus: recall {hits}/{labelled}, fields {field_hits}/{fields}")
    assert hits / labelled >= MIN_RECALL
    assert field_hits / fields >= MIN_FIELDS


def test_label_errors_name_real_labels():
    """Every exception must point at a label that exists, or it hides nothing and should go."""
    if not _labels():
        pytest.skip(f"no corpus at {CORPUS}")
    known = {(lab["file"], e["title"], e["start"]) for lab in _labels() for e in lab["events"]}
    assert set(LABEL_ERRORS) <= known and set(LABEL_CORRECTIONS) <= known
