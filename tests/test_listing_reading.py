"""A listing source read over HTTP: its year-less dates read near the page's Last-Modified day,
and the run summary saying how sure the listing reader is."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from eventscout.flows.config import Source
from eventscout.flows.reading.fetch import Limits, Response
from eventscout.flows.reading.read import OK, read_sources, store_results
from eventscout.flows.store import Store

SCHEDULE = b"""<html><head><title>Board meetings</title></head><body><h1>Board of Directors</h1>
<ul><li>March 3 - Regular meeting, 6 pm</li><li>April 7 - Regular meeting, 6 pm</li>
<li>May 5 - Regular meeting, 6 pm</li><li>June 2 - Regular meeting, 6 pm</li></ul></body></html>"""


def test_last_modified_names_the_day_a_page_was_written() -> None:
    stamped = Response("https://x.example/", 200, b"", None, last_modified="Wed, 06 Mar 2019 10:00:00 GMT")
    assert stamped.modified_on == date(2019, 3, 6)
    assert Response("https://x.example/", 200, b"", None, last_modified="yesterday").modified_on is None
    assert Response("https://x.example/", 200, b"", None).modified_on is None


def test_a_listing_read_over_http_dates_its_schedule_by_last_modified_and_says_how_sure_it_is(
        loopback, tmp_path) -> None:
    loopback.serve("/board", SCHEDULE, headers={"Last-Modified": "Wed, 06 Mar 2019 10:00:00 GMT"})
    source = Source(id="board", name="Board", url=f"{loopback.url}/board")
    (result,) = asyncio.run(read_sources([source], Limits(retries=0), {}, allow_private=True))
    assert result.status == OK, result.reason
    assert [e.start.date() for e in result.events] == [date(2019, 3, 3), date(2019, 4, 7), date(2019, 5, 5),
                                                       date(2019, 6, 2)]
    assert 0.5 <= result.confidence < 1
    with Store(tmp_path / "store.db") as store:
        (report,) = store_results(store, [result])
    assert report.reader == f"listing (confidence {result.confidence:.2f})"


def test_extract_reads_a_saved_file_near_the_day_given_by_fetched(tmp_path: Path) -> None:
    page = tmp_path / "board.html"
    page.write_bytes(SCHEDULE)

    def years(*options: str) -> set[int]:
        done = subprocess.run([sys.executable, "-m", "eventscout.flows.cli", "extract", str(page), "--json",
                               *options], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return {int(e["start"][:4]) for e in json.loads(done.stdout)}

    assert years("--fetched", "2021-02-01") == {2021}
    assert years("--fetched", "2023-05-20") == {2023}
    bad = subprocess.run([sys.executable, "-m", "eventscout.flows.cli", "extract", str(page), "--fetched", "soon"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "--fetched 'soon' is not a date; use YYYY-MM-DD" in bad.stdout + bad.stderr
