"""The listing reader on the real civic listing pages of ../shared/corpus/listings (City Scrapers' saved pages).

A floor under the reader, by a stricter measure than today's
/work/shared/tools/score_listings.py (which finds a meeting by its day and
scores the time apart): here a labelled meeting is found when an extracted
event starts on the same day and, where the label states a time other than
midnight, at the same minute; precision counts extracted events dated within
each page's labelled range.

One caveat the figures must carry: 24 of the files are one Grand Rapids
calendar (329 meetings of ~60 bodies) labelled 24 times, each time by a spider
that keeps one body's meetings. Reading that page right means extracting all
its meetings, so per-file precision counts ~300 "extra" meetings 24 times and
no honest reader can reach 70% on it (the ceiling is ~12%). The precision the
target is asserted on therefore merges files saved from the same address into
one page whose labels are the union of its spiders' labels (as the scorer now
pools them); the per-file figure is printed beside it.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from eventscout.scrapers import Page, extract_page
from eventscout.scrapers.listing import read as read_listing

def _corpus() -> Path:
    """../shared/corpus/listings beside the repository (or beside a folder of worktrees)."""
    for folder in Path(__file__).resolve().parents[1].parents:
        candidate = folder / "shared" / "corpus" / "listings"
        if candidate.is_dir():
            return candidate
    return Path("/nonexistent")


CORPUS = _corpus()
MIN_RECALL = 0.80
MIN_PRECISION = 0.70


def _wall(value: object) -> tuple[str | None, str | None]:
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?", str(value or ""))
    return (m.group(1), m.group(2)) if m else (None, None)


def _score(labels: list[dict], got: list[dict]) -> tuple[int, int, int]:
    """(found, labelled, extracted within the labelled range), as score_listings.py counts them."""
    minutes: Counter = Counter()
    days: Counter = Counter()
    for e in got:
        d, t = _wall(e.get("start"))
        if d:
            days[d] += 1
            minutes[(d, t)] += 1
    hit = 0
    for e in labels:
        d, t = _wall(e["start"])
        if not d:
            continue
        if t and t != "00:00":
            if minutes[(d, t)] > 0:
                minutes[(d, t)] -= 1
                days[d] -= 1
                hit += 1
        elif days[d] > 0:
            days[d] -= 1
            hit += 1
    dates = [d for d in (_wall(e["start"])[0] for e in labels) if d]
    if not dates:
        return hit, 0, 0
    lo, hi = min(dates), max(dates)
    inrange = sum(1 for e in got if lo <= (_wall(e.get("start"))[0] or "") <= hi)
    return hit, len(dates), inrange


def _extract(path: Path, url: str) -> list[dict]:
    page = Page(path.read_bytes(), url or path.resolve().as_uri())
    return [e.to_json() for e in extract_page(page).events]


def test_listing_reader_finds_the_labelled_meetings() -> None:
    if not (CORPUS / "labels.jsonl").exists():
        pytest.skip("the listings corpus is not present")
    rows = [json.loads(line) for line in (CORPUS / "labels.jsonl").read_text().splitlines() if line.strip()]
    rows = [r for r in rows if (CORPUS / "pages" / r["name"]).exists()]
    hit = total = inrange = 0
    groups: dict[str, list[dict]] = defaultdict(list)
    extracted: dict[str, list[dict]] = {}
    for r in rows:
        got = _extract(CORPUS / "pages" / r["name"], r.get("url") or "")
        extracted[r["name"]] = got
        h, n, k = _score(r["events"], got)
        hit, total, inrange = hit + h, total + n, inrange + k
        address = urlsplit(r.get("url") or r["name"])
        groups[f"{address.netloc}{address.path}" or r["name"]].append(r)
    g_hit = g_inrange = 0
    for members in groups.values():
        union = [e for r in members for e in r["events"]]
        h, _, k = _score(union, extracted[members[0]["name"]])
        g_hit, g_inrange = g_hit + h, g_inrange + k
    recall = hit / total
    precision = hit / inrange if inrange else 0.0
    page_precision = g_hit / g_inrange if g_inrange else 0.0
    print(f"\nlistings corpus: recall {recall:.3f} ({hit}/{total}); precision per file {precision:.3f} "
          f"({inrange} in range); precision per page (files of one address merged) {page_precision:.3f} "
          f"({g_hit}/{g_inrange})")
    assert recall >= MIN_RECALL
    assert page_precision >= MIN_PRECISION


STRUCTURED = CORPUS.parent
_LD_JSON = re.compile(rb"<script[^>]*ld\+json.*?</script>", re.S | re.I)
MIN_STRUCTURED_RECALL = 0.55


def _label_start(value: str) -> str:
    """`YYYY-MM-DDTHH:MM` or `YYYY-MM-DD`, from either that form or iCalendar's basic one."""
    return re.sub(r"^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d).*", r"\1-\2-\3T\4:\5", value)[:16]


def test_listing_reader_alone_reads_pages_it_was_not_built_on() -> None:
    """The HTML pages of the structured corpus, JSON-LD removed, read by the listing reader only.

    These pages (The Events Calendar, civic CMSs, hCalendar) were not used to build the
    reader; their labels come from the structured data the reader here ignores. A label
    is found by the same start (minute, or day for all-day labels).
    """
    labels_file = STRUCTURED / "labels.json"
    if not labels_file.exists():
        pytest.skip("the structured corpus is not present")
    found = total = extracted = 0
    for item in json.loads(labels_file.read_text())["labels"]:
        path = STRUCTURED / "pages" / item["file"]
        if not path.name.endswith(".html") or not item["events"] or not path.exists():
            continue
        body = _LD_JSON.sub(b"", path.read_bytes())
        events = read_listing(Page(body, "https://example.org/"))
        starts = Counter(e.start.isoformat()[:16] for e in events)
        days = Counter(e.start.isoformat()[:10] for e in events)
        for label in item["events"]:
            start = _label_start(label["start"])
            pool, key = (starts, start) if len(start) > 10 else (days, start)
            if pool[key] > 0:
                pool[key] -= 1
                found += 1
        total += len(item["events"])
        extracted += len(events)
    print(f"\nstructured pages read as plain listings: {found}/{total} labelled starts found "
          f"({found / total:.2f}), {extracted} events extracted")
    assert found / total >= MIN_STRUCTURED_RECALL
