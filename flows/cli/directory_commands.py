"""`eventscout directory` and `eventscout init`: from the directory of associations to a sources file.

Registered on the main app when `eventscout.flows.cli.commands` is imported.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from eventscout.flows.cli.commands import SourcesOpt, _fail, _load, app, confirm_and_write, console
from eventscout.flows.cli.render import out
from eventscout.flows.knowledge.directory import DEFAULT_RADIUS_KM, Directory, Match

DirectoryOpt = Annotated[Optional[Path], typer.Option(
    "--directory", help="Your own directory file (same format as the shipped one) instead of the shipped one.")]
CityOpt = Annotated[Optional[str], typer.Option(
    "--city", help='Regional associations within reach of this city, e.g. "Denver, CO".')]
RadiusOpt = Annotated[float, typer.Option(
    "--radius", min=1, max=20_000, help="How far from the city (km) a regional association may meet.")]

_OUTCOME_STYLE = {"added": "green", "already read": "cyan", "no events": "yellow", "unreachable": "red",
                  "no chapter": "yellow"}


def print_rows(title: str, columns: tuple[str, ...], rows: list[tuple[str | Text, ...]]) -> None:
    """A table on a terminal; otherwise one unwrapped line per row, so each can be read (or grepped) whole."""
    if out.is_terminal:
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))
        out.print(table)
        return
    out.print(title, markup=False, highlight=False, soft_wrap=True)
    for row in rows:
        out.print("  " + " | ".join(str(cell) for cell in row if str(cell)), markup=False, highlight=False,
                  soft_wrap=True)


def _directory(path: Path | None) -> Directory:
    from eventscout.flows.knowledge.directory import DirectoryError, load_directory

    try:
        directory = load_directory(path)
    except DirectoryError as exc:
        console.print(f"[bold red]{escape(exc.path)}: the directory has {len(exc.problems)} problem(s)[/]",
                      highlight=False)
        for problem in exc.problems:
            console.print(f"  {escape(problem)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    for warning in directory.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    return directory


def _industries(values: list[str], option: str) -> list[str]:
    from eventscout.flows.knowledge.industries import UnknownIndustry, canonical_industry

    try:
        chosen = [canonical_industry(v.strip()) for value in values for v in value.split(",") if v.strip()]
    except UnknownIndustry as exc:
        raise _fail(f"{option}: {exc}") from None
    return list(dict.fromkeys(chosen))


def _place(city: str):
    from eventscout.flows.knowledge.places import geocode

    place = geocode(city)
    if place is None:
        raise _fail(f"cannot place --city {city!r}; write it as 'City, ST' or 'City, Country', e.g. 'Denver, CO'")
    return place


@app.command("directory")
def directory_list(
    industry: Annotated[Optional[list[str]], typer.Option(
        "--industry", help="Industry id (repeat it, or separate with commas); default: every industry.")] = None,
    city: CityOpt = None,
    radius: RadiusOpt = DEFAULT_RADIUS_KM,
    as_json: Annotated[bool, typer.Option("--json", help="Print the entries as a JSON array.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Fetch each listed home page now and say which "
                                        "answer (the shipped entries were written unverified).")] = False,
    directory: DirectoryOpt = None,
) -> None:
    """List the associations of the directory: national ones of those industries, regional ones near the city."""
    chosen = _industries(industry or [], "--industry")
    place = _place(city) if city else None
    matches = _directory(directory).matching(chosen, place, radius)
    if as_json:
        sys.stdout.write(json.dumps([m.to_json() for m in matches], ensure_ascii=False, indent=1) + "\n")
        return
    if not matches:
        raise _fail("no association of the directory matches; try other industries or a larger --radius", 1)
    if check:
        _check_homes(matches)
        return
    rows = []
    for m in matches:
        a = m.association
        where = "" if a.region is None else a.region + ("" if m.distance_km is None else f" ({m.distance_km:.0f} km)")
        rows.append((a.name, a.scope, where, ", ".join(a.industries), a.home))
    print_rows(f"{len(matches)} associations", ("association", "scope", "where", "industries", "home"), rows)
    out.print("Entries are unverified until checked: eventscout directory --check (same filters) fetches their "
              "home pages; eventscout init --city CITY --industries IDS builds a sources file from them.",
              highlight=False, soft_wrap=True)


def _check_homes(matches: list[Match]) -> None:
    from eventscout.flows.onboarding.check import check_homes
    from eventscout.flows.reading.address_guard import allow_private_from_env
    from eventscout.flows.reading.fetch import Limits

    entries = [m.association for m in matches]
    with console.status(f"Fetching {len(entries)} home page(s)…", spinner="dots"):
        checks = asyncio.run(check_homes(entries, Limits.from_env(), allow_private=allow_private_from_env()))
    print_rows("Home pages checked now", ("association", "home", "answers", "note"), [
        (c.name, c.home, Text("yes", "green") if c.answered else Text("no", "red"),
         c.detail + (f"; now at {c.moved_to}: update its home" if c.moved_to else "")) for c in checks])
    failed = [c for c in checks if not c.answered]
    out.print(f"{len(checks) - len(failed)} of {len(checks)} home pages answer.", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command("init")
def init(
    city: Annotated[str, typer.Option("--city", help='Where you are, e.g. "Atlanta, GA".')],
    industries: Annotated[str, typer.Option("--industries", help="Industry ids, comma-separated, e.g. "
                                            "technology,marketing (see eventscout directory).")],
    sources: SourcesOpt = Path("sources.yaml"),
    directory: DirectoryOpt = None,
    radius: RadiusOpt = DEFAULT_RADIUS_KM,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write without asking.")] = False,
) -> None:
    """Build a working sources file for a city and industries: probe the directory's associations, keep those with events."""
    from eventscout.flows.onboarding.starter import survey, write_starter
    from eventscout.flows.reading.address_guard import allow_private_from_env

    chosen = _industries([industries], "--industries")
    if not chosen:
        raise _fail("--industries names no industry; give ids such as technology,marketing")
    place = _place(city)
    existing = _load(sources) if sources.exists() else None
    matches = _directory(directory).matching(chosen, place, radius)
    if not matches:
        raise _fail(f"no association of the directory is for {', '.join(chosen)} within {radius:.0f} km of "
                    f"{city}; try other industries or a larger --radius", 1)
    allow_private = allow_private_from_env() or bool(existing and existing.settings.allow_private)
    with console.status(f"Probing {len(matches)} association(s) for {city}…", spinner="dots"):
        result = asyncio.run(survey(matches, city, place, chosen, radius_km=radius, existing=existing,
                                    allow_private=allow_private))
    print_rows(f"The directory's associations for {', '.join(chosen)} around {city}",
               ("association", "scope", "outcome", "found, or why it was left out"), [
                   (f.name if f.chapter_of is None or f.chapter_of in f.name else f"{f.name} (chapter of {f.chapter_of})",
                    f.scope, Text(f.outcome, _OUTCOME_STYLE[f.outcome]), f.detail) for f in result.findings])
    added = result.entries
    feed_note = (f"feed {result.feed['id']!r} is already there and is kept as it is" if result.feed_exists
                 else f"feed {result.feed['id']!r}: {result.feed['title']}")
    if result.findings and all("cannot resolve" in f.detail for f in result.findings):
        console.print("No home page could be reached: this machine may be offline. The directory's entries are "
                      "checked where there is a network; `eventscout demo` runs without one.", highlight=False,
                      soft_wrap=True)
    if not added and (result.feed_exists or existing is None or not existing.sources):
        raise _fail(f"nothing was written to {sources}: no association answered with upcoming events (see above)", 1)
    config = confirm_and_write(f"Write {len(added)} source(s) and {feed_note} to {sources}?", yes,
                               lambda: write_starter(sources, result))
    out.print(f"Wrote {len(added)} source(s) and {feed_note} to {sources} ({len(config.sources)} source(s), "
              f"{len(config.feeds)} feed(s)). Next: eventscout run --sources {sources}", highlight=False,
              soft_wrap=True)
