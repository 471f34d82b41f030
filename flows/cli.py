"""The `eventscout` command line."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Find professional-association events and publish them as iCalendar feeds.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = Console(stderr=True)
out = Console()

SourcesOpt = Annotated[Path, typer.Option("--sources", "-s", help="The sources file.")]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="Folder the .ics feeds are written to.")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", help="SQLite store (default .eventscout/eventscout.db).")]


def default_db(db: Path | None) -> Path:
    from flows.prefect_env import data_dir

    return db if db is not None else data_dir() / "eventscout.db"


def _fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _load(sources: Path):
    from flows.config import ConfigError, load_config

    try:
        return load_config(sources)
    except ConfigError as exc:
        console.print(f"[bold red]{sources}: the sources file has {len(exc.problems)} problem(s); "
                      "nothing was fetched[/]", highlight=False)
        for problem in exc.problems:
            console.print(f"  {problem}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.command()
def validate(sources: SourcesOpt = Path("sources.yaml")) -> None:
    """Check a sources file without fetching anything."""
    config = _load(sources)
    out.print(f"{sources}: {len(config.sources)} sources and {len(config.feeds)} feeds, all valid.",
              highlight=False)


DaskOpt = Annotated[Optional[str], typer.Option(
    "--dask", help="Read sources on Dask: 'local' (worker processes here) or tcp://scheduler:8786.")]


@app.command()
def run(sources: SourcesOpt = Path("sources.yaml"), output: OutputOpt = Path("output"),
        db: DbOpt = None, dask: DaskOpt = None) -> None:
    """Run discovery once: fetch every source, update the store, write the feeds."""
    _load(sources)  # a bad file stops here, before Prefect starts
    summary = run_discovery(sources, output, default_db(db), dask=dask)
    print_summary(summary)


def run_discovery(sources: Path, output: Path, db: Path, dask: str | None = None) -> dict:
    """Run the Prefect flow in this process and return its summary."""
    from flows.store import RunLocked, StoreError

    started = time.monotonic()
    with console.status("Starting Prefect and reading sources…", spinner="dots"):
        from flows.discover import discovery

        try:
            summary = asyncio.run(discovery(str(sources), str(output), str(db), dask=dask))
        except (StoreError, RunLocked) as exc:
            raise _fail(str(exc), 1) from None
    summary["seconds"] = time.monotonic() - started
    return summary


def print_summary(summary: dict) -> None:
    table = Table(title="Sources", title_justify="left")
    for column in ("source", "status", "events", "new", "changed", "removed", "reader", "reason"):
        table.add_column(column, overflow="fold")
    colours = {"ok": "green", "not modified": "green", "suspect": "yellow"}
    for r in summary["sources"]:
        colour = colours.get(r["status"], "red")
        table.add_row(r["source"], f"[{colour}]{r['status']}[/]", str(r["events"]), str(r["new"]),
                      str(r["changed"]), str(r["removed"]), r["reader"] or "", r["reason"] or "")
    out.print(table)
    feeds = Table(title="Feeds", title_justify="left")
    for column in ("feed", "events", "file"):
        feeds.add_column(column)
    for f in summary["feeds"]:
        feeds.add_row(f["feed"], str(f["events"]), f["path"] + ("" if f["written"] else " (unchanged)"))
    out.print(feeds)
    failed = [r for r in summary["sources"] if r["status"] not in ("ok", "not modified")]
    if summary.get("unplaced"):
        out.print(f"{len(summary['unplaced'])} in-person event(s) have no place that could be resolved; "
                  "city filters leave them out: " + "; ".join(summary["unplaced"][:5]), highlight=False)
    out.print(f"{len(summary['sources']) - len(failed)} of {len(summary['sources'])} sources read, "
              f"{len(failed)} failed; feeds in place"
              + (f" ({summary['seconds']:.1f}s)" if "seconds" in summary else ""), highlight=False)


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise _fail(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


@app.command()
def extract(
    file_or_url: Annotated[str, typer.Argument(help="A saved page, feed or JSON file, or an http(s) URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of events.")] = False,
    since: Annotated[Optional[str], typer.Option(help="Expand recurring events from this day (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="...up to this day (default: a year after --since).")] = None,
    tz: Annotated[Optional[str], typer.Option("--timezone", help="Zone for times that give none.")] = None,
    base_url: Annotated[Optional[str], typer.Option(help="URL the page was saved from, to make links absolute.")] = None,
    format: Annotated[str, typer.Option(help="auto, or one reader: ical, jsonld, tribe, listing, ...")] = "auto",
) -> None:
    """Print the events found in one page, file or feed."""
    from scrapers import READERS, Page, extract_page

    if format != "auto" and format not in READERS:
        raise _fail(f"unknown --format {format!r}; use auto or one of {', '.join(READERS)}")
    if tz:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(tz)
        except Exception:  # noqa: BLE001
            raise _fail(f"unknown --timezone {tz!r}; use an IANA name such as America/New_York") from None
    start = _parse_day(since, "--since") or date.today()
    end = _parse_day(until, "--until") or start + timedelta(days=366)
    if end < start:
        raise _fail("--until is before --since")
    body, url, content_type = _read_input(file_or_url)
    page = Page(body, base_url or url, content_type, since=start, until=end, timezone=tz)
    extraction = extract_page(page, format)
    events = extraction.events
    if as_json:
        sys.stdout.write(json.dumps([e.to_json() for e in events], ensure_ascii=False, indent=1) + "\n")
        return
    if not events:
        out.print(f"No events: {extraction.reason}", highlight=False)
        return
    table = Table(title=f"{len(events)} events ({extraction.format})", title_justify="left")
    for column in ("start", "title", "place", "status"):
        table.add_column(column, overflow="fold")
    for e in events:
        place = "online" if e.online == "online" else (e.location.one_line() if e.location else "")
        table.add_row(e.start.isoformat(), e.title, place, e.status)
    out.print(table)


def _read_input(file_or_url: str) -> tuple[bytes, str, str | None]:
    if file_or_url.startswith(("http://", "https://")):
        from flows.fetch import Fetcher, FetchError, Limits, allow_private_from_env

        async def fetch() -> tuple[bytes, str, str | None]:
            async with Fetcher(Limits.from_env(), allow_private=allow_private_from_env()) as f:
                r = await f.get(file_or_url, deadline=time.monotonic() + 60)
                return r.body, r.url, r.content_type

        try:
            return asyncio.run(fetch())
        except FetchError as exc:
            raise _fail(f"cannot read {file_or_url}: {exc.reason}", 1) from None
    path = Path(file_or_url)
    try:
        return path.read_bytes(), path.resolve().as_uri(), None
    except OSError as exc:
        raise _fail(f"cannot read {file_or_url}: {exc.strerror or exc}") from None


@app.command()
def demo(
    output: OutputOpt = Path("output/demo"),
    keep_serving: Annotated[bool, typer.Option(help="Keep the sample sites up after the run.")] = False,
) -> None:
    """Run discovery against sample association sites served on this machine (no network needed)."""
    from flows.demo import DemoSites
    from flows.prefect_env import data_dir

    os.environ["EVENTSCOUT_ALLOW_PRIVATE"] = "1"
    folder = data_dir() / "demo"
    with DemoSites() as sites:
        sources = sites.write_sources(folder / "sources.yaml")
        out.print(f"Sample association sites on {sites.base_url}; sources file {sources}", highlight=False)
        summary = run_discovery(sources, output, folder / "demo.db")
        print_summary(summary)
        out.print(f"Feeds written to {output.resolve()}/ — open them in a calendar app.", highlight=False)
        if keep_serving:
            out.print("Serving the sample sites; press Ctrl-C to stop.")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass


@app.command()
def schedule(sources: SourcesOpt = Path("sources.yaml"), output: OutputOpt = Path("output"),
             db: DbOpt = None, dask: DaskOpt = None,
             cron: Annotated[Optional[str], typer.Option(
                 help="When to run, as cron (default: settings.schedule in the sources file, "
                      "else '0 6 * * *').")] = None) -> None:
    """Keep running discovery on a schedule, served by Prefect (a server is started if none is set)."""
    from flows.schedule import check_cron, serve_on_schedule

    config = _load(sources)
    cron = cron or config.settings.schedule or "0 6 * * *"
    try:
        check_cron(cron)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    serve_on_schedule(sources.resolve(), output.resolve(), default_db(db).resolve(), cron, dask=dask,
                      say=lambda text: out.print(text, highlight=False))


@app.command()
def status(db: DbOpt = None) -> None:
    """Print each source's health from the store (no Prefect needed)."""
    from flows.store import Store

    path = default_db(db)
    if not path.exists():
        raise _fail(f"no store at {path} yet; run `eventscout run` first or pass --db PATH", 1)
    with Store(path) as store:
        rows = store.all_health()
        upcoming = {h.id: store.upcoming_count(h.id) for h in rows}
    table = Table(title=f"Source health ({path})", title_justify="left")
    for column in ("source", "state", "upcoming", "last success", "failures", "events per run", "last error"):
        table.add_column(column, overflow="fold")
    for h in rows:
        state = ("[yellow]flagged: " + h.flagged + "[/]" if h.flagged else
                 "[red]failing[/]" if h.consecutive_failures else "[green]ok[/]")
        table.add_row(h.id, state, str(upcoming[h.id]), h.last_success or "never", str(h.consecutive_failures),
                      " ".join(str(c) for c in h.counts[-6:]), h.last_error or "")
    out.print(table)
    flagged = [h.id for h in rows if h.flagged]
    if flagged:
        out.print(f"{len(flagged)} source(s) flagged as possibly broken; their events are kept. If a site "
                  "really lists nothing now: eventscout sources confirm-empty " + flagged[0], highlight=False)


sources_app = typer.Typer(help="Manage sources in the store.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")


@sources_app.command("confirm-empty")
def confirm_empty(source_id: Annotated[str, typer.Argument(help="The source id, as in sources.yaml.")],
                  db: DbOpt = None) -> None:
    """Confirm a flagged source really lists no events: withdraw its kept events from the feeds."""
    from flows.store import Store

    with Store(default_db(db)) as store:
        try:
            withdrawn = store.confirm_empty(source_id)
        except KeyError:
            raise _fail(f"the store has no source {source_id!r}; see `eventscout status`", 1) from None
    out.print(f"{source_id}: confirmed empty; {withdrawn} event(s) withdrawn from the next feeds.",
              highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
