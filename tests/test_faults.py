"""`eventscout run` survives the real web: sixteen sources on one host, each failing its own way.

First a good run fills the store and the feeds; then every source misbehaves
(hang, reset, 500, 429 with a long Retry-After, truncated body, gzip bomb,
huge body, redirect loop, bad bytes, broken JSON-LD, empty 200, wrong content
type, deep nesting, binary noise, slow drip, 404). On default settings the
fault run must end within 150 s, keep every process under 1 GiB, keep every
event in the feeds, exit 0 and name each failing source with its reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import icalendar
import psutil
import pytest

from tests.faults import FAULTS, FaultSite

REPO = Path(__file__).resolve().parents[1]
GIB = 1024 ** 3


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_process_rss: int  # the largest single process (eventscout or a child) at any sample
    peak_total_rss: int  # eventscout and all its children together


def eventscout_run(sources: Path, output: Path, db: Path, home: Path, timeout: float = 400) -> Run:
    """`python -m eventscout.flows.cli.commands run` in its own process, sampling its and its children's memory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTSCOUT_")}
    env.update(EVENTSCOUT_HOME=str(home), COLUMNS="250")
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "eventscout.flows.cli", "run", "--sources", str(sources),
                             "--output", str(output), "--db", str(db)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(proc.pid)
    peak_one = peak_all = 0
    out_parts: list[str] = []
    err_parts: list[str] = []
    readers = [threading.Thread(target=lambda s=s, p=p: p.append(s.read()), daemon=True)
               for s, p in ((proc.stdout, out_parts), (proc.stderr, err_parts))]
    for reader in readers:
        reader.start()
    while proc.poll() is None:
        if time.monotonic() - started > timeout:
            proc.kill()
            break
        try:
            family = [watched, *watched.children(recursive=True)]
            sizes = []
            for member in family:
                try:
                    sizes.append(member.memory_info().rss)
                except psutil.Error:
                    pass
            peak_one = max(peak_one, *sizes, 0)
            peak_all = max(peak_all, sum(sizes))
        except psutil.Error:
            pass
        time.sleep(0.1)
    proc.wait()
    for reader in readers:
        reader.join()
    return Run(proc.returncode, "".join(out_parts), "".join(err_parts), time.monotonic() - started,
               peak_one, peak_all)


def feed_events(path: Path) -> dict[str, str]:
    """UID -> SUMMARY of every event in one feed."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    with FaultSite() as site:
        sources = site.write_sources(root / "sources.yaml")
        good = eventscout_run(sources, root / "out", root / "store.db", root / "home")
        before = feed_events(root / "out" / "all.ics") if (root / "out" / "all.ics").exists() else {}
        site.faults_on = True
        bad = eventscout_run(sources, root / "out", root / "store.db", root / "home")
        after = feed_events(root / "out" / "all.ics")
    print(f"\nfault run: {bad.seconds:.1f}s wall, peak RSS {bad.peak_process_rss / 2**20:.0f} MiB "
          f"(largest process), {bad.peak_total_rss / 2**20:.0f} MiB (eventscout + children)")
    print(bad.stdout)
    yield site, good, before, bad, after


pytestmark = pytest.mark.slow


def test_the_good_run_reads_every_source(runs):
    site, good, before, *_ = runs
    assert good.returncode == 0, good.stdout + good.stderr
    assert f"{len(FAULTS)} of {len(FAULTS)} sources read" in good.stdout, good.stdout
    titles = set(before.values())
    for fault in FAULTS:
        assert set(site.titles(fault)) <= titles, fault


def test_the_fault_run_ends_in_time_within_memory_and_exits_zero(runs):
    *_, bad, _ = runs
    assert bad.returncode == 0, bad.stdout + bad.stderr
    assert bad.seconds < 150, f"the fault run took {bad.seconds:.0f}s"
    assert bad.peak_process_rss < GIB, f"a process reached {bad.peak_process_rss / 2**20:.0f} MiB"


def test_every_event_seen_before_is_still_in_the_feed(runs):
    _, _, before, _, after = runs
    assert before and set(before) <= set(after)


def test_each_failing_source_is_named_with_its_reason(runs):
    *_, bad, _ = runs
    lines = {m.group(2): m.group(0) for m in re.finditer(r"^(failed|suspect|not reached): (\S+): .*$",
                                                         bad.stdout, re.M)}
    for fault, reason in FAULTS.items():
        if reason is None:
            assert fault not in lines, f"{fault} should survive its fault: {lines.get(fault)}"
            continue
        assert fault in lines, f"{fault} is not named in the output:\n{bad.stdout}"
        assert re.search(reason, lines[fault]), lines[fault]
    assert f"1 of {len(FAULTS)} sources read, {len(FAULTS) - 1} failed" in bad.stdout
