"""What the command line prints: run summaries and probe reports, as rich tables and plain lines."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

out = Console()


#: past this many sources the summary table lists only those that need a look
SUMMARY_ROWS = 40


def print_summary(summary: dict) -> None:
    rows = summary["sources"]
    fine = [r for r in rows if r["status"] in ("ok", "not modified")]
    if len(rows) > SUMMARY_ROWS:
        rows = [r for r in rows if r["status"] not in ("ok", "not modified")]
    table = Table(title="Sources" if rows is summary["sources"] else
                  f"Sources needing a look ({len(fine)} read fine are not listed: `eventscout status` "
                  "shows every source)", title_justify="left")
    for column in ("source", "status", "events", "new", "changed", "removed", "reader", "reason"):
        table.add_column(column, overflow="fold")
    colours = {"ok": "green", "not modified": "green", "suspect": "yellow"}
    for r in rows:
        colour = colours.get(r["status"], "red")
        table.add_row(r["source"], f"[{colour}]{r['status']}[/]", str(r["events"]), str(r["new"]),
                      str(r["changed"]), str(r["removed"]), r["reader"] or "", r["reason"] or "")
    if rows:
        out.print(table)
    feeds = Table(title="Feeds", title_justify="left")
    for column in ("feed", "events", "unplaced", "file"):
        feeds.add_column(column)
    for f in summary["feeds"]:
        feeds.add_row(f["feed"], str(f["events"]), str(len(f.get("unplaced") or [])),
                      f["path"] + ("" if f["written"] else " (unchanged)"))
    out.print(feeds)
    failed = [r for r in summary["sources"] if r["status"] not in ("ok", "not modified")]
    for f in summary["feeds"]:
        if f.get("unplaced"):
            out.print(f"{f['feed']}: left out {len(f['unplaced'])} in-person event(s) whose place could not "
                      "be resolved (see `eventscout explain --feed " + f["feed"] + "`): "
                      + "; ".join(f["unplaced"][:10]) + ("; ..." if len(f["unplaced"]) > 10 else ""),
                      highlight=False, markup=False, soft_wrap=True)
    for f in summary["feeds"]:
        if f.get("capped"):
            out.print(f"capped: feed {f['feed']}: matched {f['events'] + f['capped']:,} events, kept the soonest "
                      f"{f['events']:,} (its max_events in the sources file sets the cap)",
                      highlight=False, markup=False, soft_wrap=True)
    limited = [r for r in summary["sources"] if r["status"] in ("ok", "not modified") and r["reason"]]
    for r in failed + limited:  # one plain line each, whole however narrow the terminal: what and why
        out.print(f"{r['status']}: {r['source']}: {r['reason'] or 'no reason given'}", highlight=False,
                  soft_wrap=True, markup=False)
    out.print(f"{len(summary['sources']) - len(failed)} of {len(summary['sources'])} sources read, "
              f"{len(failed)} failed; feeds in place"
              + (f" ({summary['seconds']:.1f}s)" if "seconds" in summary else ""), highlight=False)


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
