"""The `eventscout` command line."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from eventscout.flows.cli.launcher import LaunchError, run_discovery
from eventscout.flows.cli.render import out, print_probe, print_rows, print_summary, summary_line

app = typer.Typer(help="Find professional-association events and publish them as iCalendar feeds.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = Console(stderr=True)

if TYPE_CHECKING:
    from collections.abc import Callable

    from eventscout.flows.config import Config

SourcesOpt = Annotated[Path, typer.Option("--sources", "-s", help="The sources file.")]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="Folder the .ics feeds are written to.")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", help="SQLite store (default .eventscout/eventscout.db).")]


def default_db(db: Path | None) -> Path:
    from eventscout.flows.paths import data_dir

    return db if db is not None else data_dir() / "eventscout.db"


def _fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _load(sources: Path):
    from eventscout.flows.config import ConfigError, load_config

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
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's own log lines too.")]


@app.command()
def run(sources: SourcesOpt = Path("sources.yaml"), output: OutputOpt = Path("output"),
        db: DbOpt = None, dask: DaskOpt = None, verbose: VerboseOpt = False) -> None:
    """Run discovery once: fetch every source, update the store, write the feeds."""
    config = _load(sources)  # a bad file stops here, before Prefect starts
    try:
        summary = run_discovery(sources, output, default_db(db), config, dask=dask, console=console,
                                verbose=verbose)
    except LaunchError as exc:
        raise _fail(str(exc), 1) from None
    print_summary(summary, shell_line([*(["--sources", sources] if sources != Path("sources.yaml") else []),
                                       *(["--db", db] if db is not None else [])]))


@app.command()
def explain(
    feed: Annotated[str, typer.Option("--feed", "-f", help="The id of the feed to explain.")],
    event: Annotated[Optional[str], typer.Option("--event", "-e", help="Only events whose title, "
                                                 "id, UID or link contains this text.")] = None,
    sources: SourcesOpt = Path("sources.yaml"),
    db: DbOpt = None,
) -> None:
    """Show, for each stored upcoming event, whether a feed holds it and which filter decided."""
    from eventscout.flows.publishing.explain import explain_feed, render
    from eventscout.flows.store import Store, StoreError

    config = _load(sources)
    chosen = next((f for f in config.feeds if f.id == feed), None)
    if chosen is None:
        from eventscout.flows.config import nearest

        known = [f.id for f in config.feeds]
        hint = f"did you mean {nearest(feed, known)}?" if known else f"{sources} defines no feeds"
        raise _fail(f"no feed {feed!r} in {sources}; {hint}")
    path = default_db(db)
    if not path.exists():
        raise _fail(f"no store at {path}; run `eventscout run` first (or pass --db PATH)", 1)
    try:
        with Store(path) as store:
            explanations = explain_feed(config, chosen, store, event)
    except StoreError as exc:
        raise _fail(str(exc), 1) from None
    for line in render(config, chosen, explanations):
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    if not explanations:
        out.print(f"No stored upcoming event matches {event!r}." if event else
                  "The store holds no upcoming events; run `eventscout run` first.", highlight=False, markup=False)
        raise typer.Exit(1)


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
    base_url: Annotated[Optional[str], typer.Option(
        help="URL the page was saved from, to make links absolute (default for a file: the address "
             "it declares, <base>, canonical or og:url).")] = None,
    format: Annotated[str, typer.Option(help="auto, or one reader: ical, jsonld, tribe, listing, ...")] = "auto",
    fetched: Annotated[Optional[str], typer.Option(
        help="Day the file was saved (YYYY-MM-DD): dates written without a year are read near it "
             "(default: the HTTP Last-Modified of a URL, else today).")] = None,
) -> None:
    """Print the events found in one page, file or feed."""
    from eventscout.scrapers import READERS, Page, extract_page

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
    saved = _parse_day(fetched, "--fetched")
    body, url, content_type, modified_on = _read_input(file_or_url)
    page = Page(body, base_url or url, content_type, since=start, until=end, timezone=tz,
                fetched=saved or modified_on)
    if base_url is None and url.startswith("file:") and (declared := page.declared_address):
        page.url = declared  # a saved page's links resolve where it was saved from
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
        table.add_row(e.start.isoformat(), e.title, e.place_line(), e.status)
    out.print(table)


def _read_input(file_or_url: str) -> tuple[bytes, str, str | None, date | None]:
    """The bytes, address and Content-Type of a URL or a file, and the day a URL says it changed."""
    if file_or_url.startswith(("http://", "https://")):
        from eventscout.flows.reading.address_guard import allow_private_from_env
        from eventscout.flows.reading.fetch import Fetcher, FetchError, Limits

        async def fetch() -> tuple[bytes, str, str | None, date | None]:
            async with Fetcher(Limits.from_env(), allow_private=allow_private_from_env()) as f:
                r = await f.get(file_or_url, deadline=time.monotonic() + 60)
                return r.body, r.url, r.content_type, r.modified_on

        try:
            return asyncio.run(fetch())
        except FetchError as exc:
            raise _fail(f"cannot read {file_or_url}: {exc.reason}", 1) from None
    path = Path(file_or_url)
    try:
        return path.read_bytes(), path.resolve().as_uri(), None, None
    except OSError as exc:
        raise _fail(f"cannot read {file_or_url}: {exc.strerror or exc}") from None


@app.command()
def demo(
    folder: Annotated[Path, typer.Option("--folder", help="Folder for the demo's sources file, store and "
                                         "feeds.")] = Path("eventscout-demo"),
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Folder the .ics feeds are written "
                                                   "to (default: FOLDER/output).")] = None,
    keep_serving: Annotated[bool, typer.Option(help="Serve the demo's page and feeds after the run, "
                                               "until Ctrl-C.")] = False,
    verbose: VerboseOpt = False,
) -> None:
    """Run discovery against sample association sites served on this machine (no network needed).

    Leaves a folder to explore: its sources file, store and feeds, and prints
    the commands to try next, each runnable as printed from here.
    """
    from eventscout.flows.onboarding.demo import DemoSites
    from eventscout.flows.orchestration.prefect_server import free_port

    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so the exit handlers stop Prefect's server
    os.environ["EVENTSCOUT_ALLOW_PRIVATE"] = "1"
    output = output or folder / "output"
    db = folder / "eventscout.db"
    port = free_port(8000)
    page = f"http://127.0.0.1:{port}"
    with DemoSites(link_base=page) as sites:
        sources = sites.write_sources(folder / "sources.yaml")
        out.print(f"Sample association sites on {sites.base_url}; sources file {sources}", highlight=False,
                  soft_wrap=True)
        config = _load(sources)
        try:
            summary = run_discovery(sources, output, db, config, console=console, verbose=verbose)
        except LaunchError as exc:
            raise _fail(str(exc), 1) from None
    print_summary(summary, shell_line(["--sources", sources, "--db", db]))
    serve_args = ["--sources", sources, "--output", output, "--db", db, "--port", str(port)]
    out.print(f"The demo is in {_shown(folder)}/: its sources file, store and feeds. Try next, from here:",
              highlight=False, markup=False, soft_wrap=True)
    for command in (["explain", "--feed", config.feeds[0].id, "--sources", sources, "--db", db],
                    ["status", "--db", db], ["serve", *serve_args]):
        out.print(shell_line(["eventscout", *command]), highlight=False, markup=False, soft_wrap=True)
    if keep_serving:
        from eventscout.flows.web.server import Publication
        from eventscout.flows.web.server import serve as serve_site

        out.print(f"Serving the demo's page and feeds on {page}/ (Ctrl-C stops).", highlight=False)
        serve_site(Publication(sources, output, db), "127.0.0.1", port)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _shown(path: Path) -> str:
    """A path as the user would type it from here: relative when it lies below this folder."""
    resolved = path.resolve()
    return str(resolved.relative_to(Path.cwd())) if resolved.is_relative_to(Path.cwd()) else str(resolved)


def shell_line(words: list) -> str:
    """A command line, each word quoted for a POSIX shell where it needs it; paths as `_shown`."""
    import shlex

    return " ".join(shlex.quote(_shown(w) if isinstance(w, Path) else w) for w in words)


@app.command()
def serve(
    sources: SourcesOpt = Path("sources.yaml"), output: OutputOpt = Path("output"), db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    public_url: Annotated[Optional[str], typer.Option(
        "--public-url", envvar="EVENTSCOUT_PUBLIC_URL",
        help="Where people reach this server, e.g. https://feeds.example.org: subscribe links name it "
             "(default: settings.public_url, else the address listened on).")] = None,
) -> None:
    """Serve the feeds, custom feeds and a page to find them over HTTP."""
    from eventscout.flows.config import check_public_url
    from eventscout.flows.store import StoreError
    from eventscout.flows.web.server import Publication
    from eventscout.flows.web.server import serve as serve_site

    config = _load(sources)
    _check_output_holds_feeds(config, sources, output)
    if public_url is not None:
        try:
            public_url = check_public_url(public_url)
        except ValueError as exc:
            raise _fail(f"--public-url: {exc}") from None
    links = public_url or config.settings.public_url
    out.print(f"Serving {output.resolve()}/, custom feeds and the page to find events on "
              f"http://{host}:{port}/ (Ctrl-C stops)", highlight=False, soft_wrap=True)
    if links:
        out.print(f"Subscribe links name {links}", highlight=False)
    elif host not in ("127.0.0.1", "::1", "localhost"):
        out.print("Subscribe links name the address each visitor reached; behind a proxy or a domain name, "
                  "give --public-url https://your.domain (or settings.public_url)", highlight=False)
    try:
        serve_site(Publication(sources, output, default_db(db), public_url), host, port)
    except StoreError as exc:
        raise _fail(str(exc)) from None


def _check_output_holds_feeds(config, sources: Path, output: Path) -> None:
    """Refuse to serve an output folder written from another sources file; warn when it holds no feed yet."""
    if not config.feeds or any((output / f"{f.id}.ics").is_file() for f in config.feeds):
        return
    wanted = ", ".join(f.id for f in config.feeds)
    others = sorted(p.stem for p in output.glob("*.ics"))
    if not others:
        console.print(f"warning: {output} holds none of the feeds {sources} defines ({wanted}) yet; "
                      f"run `{shell_line(['eventscout', 'run', '--sources', sources, '--output', output])}` "
                      "to write them", highlight=False, markup=False, soft_wrap=True)
        return
    beside = output.parent / "sources.yaml"
    hint = (f"; it looks written from {_shown(beside)}: pass --sources {shell_line([beside])}"
            if beside.is_file() and beside.resolve() != sources.resolve() else
            "; pass --sources with the file that wrote them")
    raise _fail(f"{output} holds other feeds ({', '.join(others)}), none of those {sources} defines "
                f"({wanted}){hint}")


# --- adding and checking sources: `probe`, `sources add`, `sources check` ------------------

sources_app = typer.Typer(help="Add a source with one command; check that sources still answer.",
                          no_args_is_help=True)
app.add_typer(sources_app, name="sources")

LocationOpt = Annotated[Optional[str], typer.Option(
    "--location", help='Where the association meets, e.g. "Atlanta, GA" (sets timezone and scope).')]
IndustriesOpt = Annotated[Optional[str], typer.Option(
    "--industries", help="Industry ids, comma-separated (default: guessed from the site's own words).")]


def _probe_site(url: str, location: str | None, industries: str | None):
    from eventscout.flows.knowledge.industries import UnknownIndustry, canonical_industry
    from eventscout.flows.knowledge.places import geocode
    from eventscout.flows.onboarding.probe import probe

    if location is not None and geocode(location) is None:
        raise _fail(f"cannot place --location {location!r}; write it as 'City, ST' or 'City, Country'")
    chosen = None
    if industries is not None:
        try:
            chosen = [canonical_industry(i) for i in industries.split(",") if i.strip()]
        except UnknownIndustry as exc:
            raise _fail(f"--industries: {exc}") from None
    if not url.startswith(("http://", "https://")):
        url = "https://" + url.removeprefix("webcal://")
    with console.status(f"Probing {url}…", spinner="dots"):
        report = asyncio.run(probe(url, location=location, industries=chosen))
    print_probe(report)
    return report


@app.command("probe")
def probe_site(
    url: Annotated[str, typer.Argument(help="An association's home page, events page or feed.")],
    location: LocationOpt = None,
    industries: IndustriesOpt = None,
) -> None:
    """Find a site's events page and reader, and print its sources.yaml entry."""
    report = _probe_site(url, location, industries)
    if report.entry is None:
        raise typer.Exit(1)


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="An association's home page, events page or feed.")],
    sources: SourcesOpt = Path("sources.yaml"),
    location: LocationOpt = None,
    industries: IndustriesOpt = None,
    source_id: Annotated[Optional[str], typer.Option("--id", help="The new source's id (default: from its name).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Append without asking.")] = False,
) -> None:
    """Probe a site and append the best entry to the sources file (comments and order kept)."""
    from eventscout.flows.onboarding.sources_file import add_source

    if sources.exists():
        config = _load(sources)
        taken = next((s for s in config.sources if s.id == source_id), None) if source_id else None
        if taken:
            raise _fail(f"{sources} already has a source with id {source_id!r}; choose another --id")
    report = _probe_site(url, location, industries)
    if report.entry is None:
        raise _fail(f"nothing was added to {sources}: no reader found events (see above)", 1)
    entry = dict(report.entry)
    if source_id:
        entry["id"] = source_id
    config = confirm_and_write(f"Append {entry['id']!r} to {sources}?", yes, lambda: add_source(sources, entry))
    _warn_if_private(entry, config, sources)
    out.print(f"Added source {entry['id']!r} to {sources} ({len(config.sources)} sources). "
              f"Check it any time with: eventscout sources check {entry['id']}", highlight=False)


def confirm_and_write(question: str, yes: bool, write: Callable[[], Config]) -> Config:
    """Ask first (on a terminal, without --yes), then edit the sources file; a refused edit writes nothing."""
    from eventscout.flows.config import ConfigError
    from eventscout.flows.onboarding.sources_file import SourceExists

    if not yes and sys.stdin.isatty() and not typer.confirm(question, default=True):
        raise typer.Exit(1)
    try:
        return write()
    except SourceExists as exc:
        raise _fail(f"{exc}; nothing was written") from None
    except ConfigError as exc:
        raise _fail("the new entries would make the file invalid; nothing was written:\n  "
                    + "\n  ".join(exc.problems)) from None


def _warn_if_private(entry: dict, config, sources: Path) -> None:
    """A new source on a private network is refused by every run while allow_private is false: say so."""
    from eventscout.flows.reading.address_guard import private_address

    if config.settings.allow_private or entry.get("allow_private"):
        return
    address = private_address(entry["url"])
    if address is None:
        return
    console.print(f"warning: {entry['url']} is on a private network ({address}); runs refuse it while "
                  f"allow_private is false in {sources}: add `allow_private: true` to the {entry['id']!r} "
                  "entry (or under settings:) to read it, or set EVENTSCOUT_ALLOW_PRIVATE=1 for each run",
                  highlight=False, markup=False, soft_wrap=True)


@sources_app.command("check")
def sources_check(
    ids: Annotated[Optional[list[str]], typer.Argument(help="Source ids (default: every enabled source).")] = None,
    sources: SourcesOpt = Path("sources.yaml"),
    db: DbOpt = None,
) -> None:
    """Fetch sources now: reachable or not, reader used, events found, fewer than before?"""
    from eventscout.flows.onboarding.check import check_sources
    from eventscout.flows.reading.read import run_limits

    config = _load(sources)
    known = {s.id: s for s in config.sources}
    unknown = [i for i in ids or [] if i not in known]
    if unknown:
        raise _fail(f"no source {', '.join(map(repr, unknown))} in {sources}; known: {', '.join(known)}")
    chosen = [known[i] for i in ids] if ids else [s for s in config.sources if s.enabled]
    limits, allow_private = run_limits(config)
    with console.status(f"Reading {len(chosen)} source(s)…", spinner="dots"):
        checks = asyncio.run(check_sources(chosen, limits, allow_private=allow_private, db=default_db(db)))
    print_rows("Sources checked now", ["source", "reachable", "reader", "events", "before"],
               [[c.source, "yes" if c.reachable else "no", c.reader or "", str(c.events) if c.reachable else "",
                 "" if c.before is None else str(c.before)] for c in checks])
    for c in checks:  # notes on their own lines, whole
        note = (f"fewer than the {c.before} last stored; " if c.fewer else "") + (c.reason or "")
        if note:
            out.print(f"{c.source}: {note.removesuffix('; ')}", highlight=False, markup=False, soft_wrap=True)
    bad = [c for c in checks if not c.ok]
    out.print(f"{len(checks) - len(bad)} of {len(checks)} sources answer with events.", highlight=False)
    if bad:
        raise typer.Exit(1)


@app.command()
def schedule(sources: SourcesOpt = Path("sources.yaml"), output: OutputOpt = Path("output"),
             db: DbOpt = None, dask: DaskOpt = None,
             cron: Annotated[Optional[str], typer.Option(
                 help="When to run, as cron (default: settings.schedule in the sources file, "
                      "else '0 6 * * *').")] = None,
             tz: Annotated[Optional[str], typer.Option(
                 "--timezone", help="The zone the cron is read in (default: settings.schedule_timezone, "
                                    "else UTC).")] = None,
             now: Annotated[bool, typer.Option("--now", help="Run once at the start, then on the cron.")] = False,
             verbose: VerboseOpt = False) -> None:
    """Keep running discovery on a schedule, served by Prefect (a server is started if none is set).

    Each run's summary is printed on one line as it finishes.
    """
    from eventscout.flows.cli.launcher import quiet_prefect
    from eventscout.flows.config import zone_hint
    from eventscout.flows.orchestration.schedule import check_cron, serve_on_schedule

    config = _load(sources)
    cron = cron or config.settings.schedule or "0 6 * * *"
    zone = tz or config.settings.schedule_timezone or "UTC"
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(zone)
    except Exception:  # noqa: BLE001 - ZoneInfo raises several kinds
        raise _fail(f"unknown --timezone {zone!r}; {zone_hint(zone)}") from None
    quiet_prefect(verbose)
    try:
        check_cron(cron)
    except ValueError as exc:
        raise _fail(str(exc)) from None

    def report(summary) -> None:
        out.print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}Z run finished: {summary_line(summary)}",
                  highlight=False, markup=False, soft_wrap=True)

    serve_on_schedule(sources.resolve(), output.resolve(), default_db(db).resolve(), cron, timezone=zone, now=now,
                      dask=dask, say=lambda text: out.print(text, highlight=False, soft_wrap=True), report=report)


@app.command()
def status(db: DbOpt = None) -> None:
    """Print each source's health from the store (no Prefect needed)."""
    from eventscout.flows.store import Store

    path = default_db(db)
    if not path.exists():
        raise _fail(f"no store at {path} yet; run `eventscout run` first or pass --db PATH", 1)
    with Store(path) as store:
        rows = store.all_health()
        upcoming = {h.id: store.upcoming_count(h.id) for h in rows}
    print_rows(f"Source health ({path})", ["source", "state", "upcoming", "last success", "failures",
                                            "per run"],
               [[h.id, "flagged" if h.flagged else "failing" if h.consecutive_failures else "ok",
                 str(upcoming[h.id]), _short_time(h.last_success), str(h.consecutive_failures),
                 " ".join(str(c) for c in h.counts[-6:])] for h in rows])
    for h in rows:  # what went wrong, on its own line, whole
        if h.flagged or (h.consecutive_failures and h.last_error):
            out.print(f"{h.id}: " + (f"flagged: {h.flagged}; " if h.flagged else "")
                      + f"last error: {h.last_error or 'none recorded'}", highlight=False, markup=False,
                      soft_wrap=True)
    flagged = [h.id for h in rows if h.flagged]
    if flagged:
        out.print(f"{len(flagged)} source(s) flagged as possibly broken; their events are kept. If a site "
                  "really lists nothing now: eventscout sources confirm-empty " + flagged[0], highlight=False)


def _short_time(stamp: str | None) -> str:
    """An ISO time stamp to the minute, in UTC ("2026-12-01 09:15Z"), or "never"."""
    if not stamp:
        return "never"
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return f"{moment:%Y-%m-%d %H:%M}" + ("Z" if moment.tzinfo is not None else "")


@sources_app.command("confirm-empty")
def confirm_empty(source_id: Annotated[str, typer.Argument(help="The source id, as in sources.yaml.")],
                  db: DbOpt = None) -> None:
    """Confirm a flagged source really lists no events: withdraw its kept events from the feeds."""
    from eventscout.flows.store import Store

    with Store(default_db(db)) as store:
        try:
            withdrawn = store.confirm_empty(source_id)
        except KeyError:
            raise _fail(f"the store has no source {source_id!r}; see `eventscout status`", 1) from None
    out.print(f"{source_id}: confirmed empty; {withdrawn} event(s) withdrawn from the next feeds.",
              highlight=False)


store_app = typer.Typer(help="The store of events: put back the copy kept after the last good run.",
                        no_args_is_help=True)
app.add_typer(store_app, name="store")


@store_app.command("restore")
def store_restore(db: DbOpt = None) -> None:
    """Replace the store with the copy kept after the last good run (the replaced one is moved aside)."""
    from eventscout.flows.store import RunLocked, StoreError, backup_path, restore_backup

    path = default_db(db)
    try:
        aside = restore_backup(path)
    except (StoreError, RunLocked) as exc:
        raise _fail(str(exc), 1) from None
    out.print(f"Restored {path} from {backup_path(path).name}; the store it replaced is now {aside.name}.",
              highlight=False)


# `eventscout directory` and `eventscout init` live in their own module, registered on `app` as it loads.
from eventscout.flows.cli import directory_commands  # noqa: E402,F401
