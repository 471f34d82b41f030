"""Month-view calendars drawn as a table: a weekday header row, then a cell per day.

Chambers and associations often publish their calendar only as a month grid:
"January 2027" above (or in the caption of) a table whose head row is the seven
weekdays and whose cells each start with a bare day number followed by that
day's events ("Ribbon Cutting", "Coffee Connections 8:00 AM"). A bare "5" is no
date to the listing reader; here the grid gives it its month and year. Days of
the months before and after that fill the first and last weeks are dated in
those months. A cell that states its own day (`<time datetime="2025-03-10">`,
`data-date="2025-03-10"`, as Drupal, Finalsite and CivicPlus grids write) is dated so;
a grid whose cells all do needs no "Month YYYY" above it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from eventscout.scrapers.event import Event
from eventscout.scrapers.feed_fields import status_from
from eventscout.scrapers.humandates import MONTHS, MONTH_YEAR_RE, find_times
from eventscout.scrapers.links import absolute_url
from eventscout.scrapers.page import Page
from eventscout.scrapers.text import clean
from eventscout.scrapers.titles import title_problem

_WEEKDAY = re.compile(r"^(?:su|sun|sunday|mo|mon|monday|tu|tue|tues|tuesday|we|wed|weds|wednesday|th|thu|thur|thurs|"
                      r"thursday|fr|fri|friday|sa|sat|saturday)\.?$", re.I)
#: a cell's day number, not the hour of a time that starts a line ("8:00 AM Coffee", "7 pm")
_DAY_NUMBER = re.compile(r"^(\d{1,2})\b(?![:.]\d|\s*[ap]\.?m\b)\s*", re.I)
#: each cell's month is inferred from the grid, not written in it: the middling confidence the
#: listing reader gives a dated block in an events context
_CONFIDENCE = 0.7
#: how far back from the table a "Month YYYY" heading is looked for (elements), and the most
#: nodes such an element may have
_LOOK_BACK = 12
_LOOK_BACK_NODES = 200
#: a page shows a few months at most; past this many grids the rest are not read (a hostile page)
_MAX_GRIDS = 24


def read(page: Page) -> tuple[list[Event], set[int]]:
    """The events in every month grid of an HTML page, and the mem_ids of the grids read (whose
    cells' day numbers no other reader should take for dates)."""
    body = page.tree.body if page.looks_like_html else None
    if body is None or body.css_first("table") is None:
        return [], set()
    events: list[Event] = []
    read_tables: set[int] = set()
    grids = 0
    for table in body.css("table"):
        own = table.mem_id  # a layout table holding the grid is not the grid: its own rows only
        head = next((row for row in first_rows(table, 3) if closest_table(row) == own and _is_weekday_row(row)),
                    None)
        if head is None:
            continue
        grids += 1
        if grids > _MAX_GRIDS:
            break
        rows = [row for row in table.css("tr") if closest_table(row) == own]
        rows = rows[next(i for i, r in enumerate(rows) if r.mem_id == head.mem_id) + 1:]
        month = _grid_month(table) or _stated_month(rows)
        if month is not None:
            read_tables.add(own)
            events.extend(_cells(rows, *month, page))
    return events, read_tables


def first_rows(table, limit: int) -> list:
    """The table's first ``limit`` rows, in document order, without collecting all of them."""
    rows = []
    for node in table.traverse():
        if node.tag == "tr":
            rows.append(node)
            if len(rows) == limit:
                break
    return rows


def closest_table(node) -> int | None:
    """The mem_id of the table a row belongs to (not of a table around that one)."""
    while node is not None and node.tag != "table":
        node = node.parent
    return node.mem_id if node is not None else None


def _is_weekday_row(row) -> bool:
    cells = [c for c in row.iter() if c.tag in ("th", "td")]
    return len(cells) == 7 and all(_WEEKDAY.match(" ".join(c.text(deep=True).split())) for c in cells)


def _grid_month(table) -> tuple[int, int] | None:
    """(year, month) from the table's caption, else the nearest "Month YYYY" before it."""
    caption = table.css_first("caption")
    texts = [caption.text(deep=True)] if caption is not None else []
    node, steps = table, 0
    while node is not None and steps < _LOOK_BACK and not any(MONTH_YEAR_RE.search(t) for t in texts):
        previous = node.prev
        while previous is not None and not previous.is_element_node:
            previous = previous.prev
        if previous is None:
            node = node.parent
            continue
        node = previous
        steps += 1
        texts.append(" ".join(_lines_of(node))[-400:])
    for text in texts:
        found = list(MONTH_YEAR_RE.finditer(text))
        if found:
            last = found[-1]
            return int(last.group("y")), MONTHS[last.group("m").lower()[:3]]
    return None


#: a day a cell states in an attribute: ISO, maybe with a time after it
_STATED_DAY = re.compile(r"^\s*(\d{4})-(\d\d)-(\d\d)(?![\d])")
_DAY_ATTRIBUTES = ("datetime", "data-date", "data-day")


def _stated_day(cell) -> date | None:
    """The day a cell states in an attribute of its own or of an element in it, if any."""
    for node in (cell, *cell.css("[datetime], [data-date], [data-day]")):
        for name in _DAY_ATTRIBUTES:
            found = _STATED_DAY.match(node.attributes.get(name) or "")
            if found:
                try:
                    return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
                except ValueError:
                    return None
    return None


def _stated_month(rows: list) -> tuple[int, int] | None:
    """(year, month) most of the grid's cells state as their days, when they do."""
    months: dict[tuple[int, int], int] = {}
    for row in rows:
        for cell in (c for c in row.iter() if c.tag in ("td", "th")):
            day = _stated_day(cell)
            if day is not None:
                months[(day.year, day.month)] = months.get((day.year, day.month), 0) + 1
    return max(months, key=months.__getitem__) if months else None


def _lines_of(node) -> list[str]:
    """The texts of a small element before the table (a heading, a toolbar); none for a large
    one, which is no heading and would cost a walk of much of the page."""
    out: list[str] = []
    for seen, child in enumerate(node.traverse(include_text=True)):
        if seen > _LOOK_BACK_NODES:
            return []
        text = child.text_content if child.is_text_node else None
        if text and not text.isspace():
            out.append(text)
    return out


def _cells(rows: list, year: int, month: int, page: Page) -> list[Event]:
    """Each numbered cell's events. The numbers run 1, 2, ... through the month; a first number
    above 1 belongs to the month before, and a number lower than the one before it starts the
    month after."""
    events: list[Event] = []
    offset: int | None = None  # months from the grid's month
    last = 0
    for row in rows:
        for cell in (c for c in row.iter() if c.tag in ("td", "th")):
            lines = [line for line in (" ".join(part.split()) for part in
                                       cell.text(deep=True, separator="\n").split("\n")) if line]
            number = _DAY_NUMBER.match(lines[0]) if lines else None
            if number is None or not 1 <= int(number.group(1)) <= 31:
                continue
            day_number = int(number.group(1))
            stated = _stated_day(cell)
            if stated is not None and stated.day == day_number:
                offset = (stated.year * 12 + stated.month) - (year * 12 + month)
            elif offset is None:
                offset = -1 if day_number > 1 else 0
            elif day_number < last:
                offset += 1
            last = day_number
            serial = year * 12 + month - 1 + offset
            try:
                day = date(serial // 12, serial % 12 + 1, day_number)
            except ValueError:
                continue
            links = {" ".join(a.text(deep=True).split()): a.attributes.get("href") for a in cell.css("a")}
            rest = lines[0][number.end():]
            for line in _entries(([rest] if rest else []) + lines[1:]):
                event = _event(line, day, links, page)
                if event is not None:
                    events.append(event)
    return events


def _entries(lines: list[str]) -> list[str]:
    """A day's lines as its entries. A line that is only a time (a `<span>` of its own) belongs
    to the name beside it: the one after it where the day's first line is such a time ("10:00 AM"
    then "City Council"), else the one before ("City Council" then "10:00 AM")."""
    times_first = bool(lines) and _only_time(lines[0])
    entries: list[str] = []
    waiting = ""
    for line in lines:
        if not _only_time(line):
            entries.append(f"{waiting} {line}" if waiting else line)
            waiting = ""
        elif times_first or not entries:
            waiting = line
        else:
            entries[-1] = f"{entries[-1]} {line}"
    return entries


def _only_time(line: str) -> bool:
    return title_problem(line) == "a date or time" and bool(find_times(line))


def _event(line: str, day: date, links: dict[str, str | None], page: Page) -> Event | None:
    """One line of a day's cell as an event on that day, at the time it states; its title is
    what is left once the time is gone, its link the one its line or its title is the text of."""
    times = find_times(line)
    rest = line
    for found in reversed(times):
        rest = rest[:found.start] + " " + rest[found.end:]
    title = " ".join(clean(rest).split()).strip(" -–—|,:@")
    if len(title) < 3 or title_problem(title) is not None:
        return None
    href = links.get(line) or links.get(title)
    start: date | datetime = day
    end = None
    if times:
        start = datetime.combine(day, times[0].at)
        if times[0].until is not None and times[0].until > times[0].at:
            end = datetime.combine(day, times[0].until)
    return Event(title=title, start=start, end=end, url=absolute_url(page.url, href) if href else None,
                 status=status_from("", title), source_format="listing", confidence=_CONFIDENCE,
                 key=absolute_url(page.url, href) if href else None)
