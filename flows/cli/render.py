"""What the command line prints: run summaries and probe reports, as rich tables and plain lines."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table

from eventscout.flows.reading.errors import Cause

if TYPE_CHECKING:
    from eventscout.flows.orchestration.discover import RunSummary
    from eventscout.flows.reading.read import SourceReport

out = Console()


#: past this many sources read, the table lists only those whose events changed
SUMMARY_ROWS = 40


def print_summary(summary: RunSummary, where: str = "") -> None:
    """What was read (a table on a terminal, plain lines otherwise), each failure once, grouped by
    cause with its reason on its own line, then one line: read, failed, new, changed, where the feeds are.

    `where` ("--sources X --db Y") makes the commands it suggests run as printed.
    """
    read = [r for r in summary.sources if r.status.read]
    listed = read if len(read) <= SUMMARY_ROWS else [r for r in read if r.new or r.changed or r.removed]
    if read:
        _print_reads(listed, len(read))
    if summary.feeds:
        _print_feeds(summary)
    for f in summary.feeds:
        if f.unplaced:
            out.print(f"{f.feed}: left out {len(f.unplaced)} in-person event(s) whose place could not "
                      f"be resolved (see `eventscout explain --feed {f.feed}{' ' + where if where else ''}`): "
                      + "; ".join(f.unplaced[:10]) + ("; ..." if len(f.unplaced) > 10 else ""),
                      highlight=False, markup=False, soft_wrap=True)
    for f in summary.feeds:
        if f.capped:
            out.print(f"capped: feed {f.feed}: matched {f.events + f.capped:,} events, kept the soonest "
                      f"{f.events:,} (its max_events in the sources file sets the cap)",
                      highlight=False, markup=False, soft_wrap=True)
    failed = summary.failed
    for cause, reports in group_failures(failed):
        if len(failed) > 1:
            out.print(f"{len(reports)} source(s) failed: {cause}", highlight=False, markup=False, soft_wrap=True)
        for r in reports:  # one plain line each, whole however narrow the terminal: what failed and why
            out.print(f"{r.status}: {r.source}: {r.reason or 'no reason given'}", highlight=False,
                      soft_wrap=True, markup=False)
    for r in summary.sources:  # read, but not whole (capped): one plain line each too, what and why
        if r.status.read and r.reason:
            out.print(f"{r.status}: {r.source}: {r.reason}", highlight=False, soft_wrap=True, markup=False)
    if failed and len(failed) == len(summary.sources) and all(
            r.cause in (Cause.UNRESOLVED, Cause.UNREACHABLE) for r in failed):
        out.print("no source could be reached: this machine may be offline; try `eventscout demo`",
                  highlight=False, markup=False, soft_wrap=True)
    out.print(summary_line(summary), highlight=False, markup=False, soft_wrap=True)


def summary_line(summary: RunSummary) -> str:
    """One line for a whole run: read, failed, new, changed, and where the feeds are."""
    failed = len(summary.failed)
    seconds = f" ({summary.seconds:.1f}s)" if summary.seconds is not None else ""
    return (f"{len(summary.sources) - failed} of {len(summary.sources)} sources read, {failed} failed; "
            f"{summary.new} new, {summary.changed} changed events; feeds in {summary.output}{seconds}")


def group_failures(failed: list[SourceReport]) -> list[tuple[str, list[SourceReport]]]:
    """Failures by shared cause, the largest group first."""
    groups: dict[str, list[SourceReport]] = {}
    for r in failed:
        groups.setdefault(str(r.cause or Cause.OTHER), []).append(r)
    return sorted(groups.items(), key=lambda item: -len(item[1]))


def _print_reads(rows: list[SourceReport], read: int) -> None:
    if rows:
        print_rows("Sources read", ["source", "status", "events", "new", "changed", "removed", "reader"],
                   [[r.source, str(r.status), str(r.events), str(r.new), str(r.changed), str(r.removed),
                     r.reader or ""] for r in rows])
    if len(rows) < read:
        out.print(f"{read - len(rows)} more sources read with no change are not listed: `eventscout status` "
                  "shows every source", highlight=False, markup=False, soft_wrap=True)


def _print_feeds(summary: RunSummary) -> None:
    print_rows("Feeds", ["feed", "events", "file"],
               [[f.feed, str(f.events), Path(f.path).name + ("" if f.written else " (unchanged)")]
                for f in summary.feeds], label="feed ")


def print_rows(title: str, columns: list[str], rows: list[list[str]], label: str = "") -> None:
    """Short values as a table on a terminal, as one plain line per row elsewhere (pipes, logs).

    Long texts such as reasons do not belong here: print them on their own lines,
    whole, so a narrow table never wraps one over many rows. `label` starts each
    plain line ("feed "), saying what the first value names.
    """
    if not out.is_terminal:
        for row in rows:
            out.print(f"{label}{row[0]}: " + ", ".join(f"{c} {v}" for c, v in zip(columns[1:], row[1:]) if v),
                      highlight=False, markup=False, soft_wrap=True)
        return
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(columns[0], overflow="fold", min_width=min(32, max((len(r[0]) for r in rows), default=0)))
    for column in columns[1:]:
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    out.print(table)


def print_probe(report) -> None:
    """What each request found and what each reader read, then the choice or what to try."""
    from eventscout.flows.onboarding.sources_file import render_entry

    pages = Table(title=f"Pages read ({report.requests} requests)", title_justify="left")
    for column in ("page", "found as", "result"):
        pages.add_column(column, overflow="fold")
    for visit in report.visits:
        pages.add_row(visit.url, visit.why, visit.outcome)
    out.print(pages)
    if report.readings:
        readings = Table(title="Readings", title_justify="left")
        for column in ("", "reader", "page", "upcoming", "first events", "confidence"):
            readings.add_column(column, overflow="fold")
        for r in report.readings:
            first = "\n".join(_event_line(e) for e in r.events[:3]) or f"({r.found} past events only)"
            readings.add_row("[green]best[/]" if r is report.best else "", r.format, r.url,
                             str(r.upcoming), first, f"{r.confidence:.2f}")
        out.print(readings)
    for note in report.notes:
        out.print(note, highlight=False, soft_wrap=True)
    if report.entry:
        out.print(f"Best: the {report.best.format} reader, {report.best.upcoming} upcoming events on "
                  f"{report.best.url}. The sources.yaml entry (paste it under `sources:`):", highlight=False)
        out.print(render_entry(report.entry), end="", highlight=False, markup=False)
        return
    out.print(f"[bold red]Nothing works:[/] no reader found upcoming events from {report.url}.")
    if report.blocks:
        table = Table(title="Blocks that repeat on the pages read (candidates for a CSS recipe)",
                      title_justify="left")
        for column in ("selector", "count", "with dates", "first one", "page"):
            table.add_column(column, overflow="fold")
        for url, block in report.blocks:
            table.add_row(block.selector, str(block.count), str(block.dated), block.sample, url)
        out.print(table)
        url, block = report.blocks[0]
        recipe = {"id": "my-source", "name": report.site.name or "My source", "url": url,
                  "format": "recipe", "recipe": block.recipe}
        out.print("Try a recipe such as this one (check each selector against the page; `start` must "
                  "select the date text):", highlight=False)
        out.print(render_entry(recipe), end="", highlight=False, markup=False)


def _event_line(event) -> str:
    place = event.place_line()
    when = event.start.isoformat(sep=" ", timespec="minutes") if hasattr(event.start, "hour") \
        else event.start.isoformat()
    return f"{when}  {event.title}" + (f"  @ {place}" if place else "")
