"""Events from plain HTML listings: table rows, list items, cards, dates under headings.

Most association and civic calendars carry no structured data. This reader
finds the dates written in the page, takes for each the largest element that
holds that date and no other (the row, item or card that repeats), and reads
title, link, place and status from that block's own text. A date alone in a
heading gives its title to the siblings that follow it. Dates that say when
something was posted or updated, and dates in navigation and footers, are
not events.
"""

from __future__ import annotations

import math
import re
from operator import attrgetter
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo
from urllib.parse import urldefrag, urlsplit

from selectolax.lexbor import LexborHTMLParser

from eventscout.scrapers import month_grid
from eventscout.scrapers.links import absolute_url
from eventscout.scrapers.address import split_location
from eventscout.scrapers.event import CANCELLED, HYBRID, IN_PERSON, ONLINE, POSTPONED, SCHEDULED, Event, Location
from eventscout.scrapers.feed_fields import ONLINE_WORDS
from eventscout.scrapers.humandates import (DATE_RE, DAY_FIRST_DATE, MAX_SPAN_DAYS, MONTH_FIRST_DATE, MONTH_NAME,
                                            MONTHS, MONTH_YEAR_RE, SPAN_JOIN_AFTER_TIME, TIME_RE, YEAR_RE, DateMention,
                                            TimeMention, days_apart, find_dates, find_times, infer_year,
                                            joined_pairs, loose_datetime, weekday_near)
from eventscout.scrapers.page import NO_PAGE_LINKS, Page
from eventscout.scrapers.text import clean
from eventscout.scrapers.titles import CONTROL_ROW, SCHEDULE_LABEL, title_problem

#: subtrees that never hold a page's events
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option", "nav",
                        "footer", "head", "textarea", "button", "svg", "iframe"})
_SKIP_WORDS = re.compile(r"(?:^|[\s_-])(?:footer|nav|navbar|menu|breadcrumbs?|copyright|cookie|"
                         r"comments?|sidebar-news|site-header|masthead)(?:$|[\s_-])", re.I)
#: what is skipped even on a page whose only dates sit in a menu
_SKIP_OUTSIDE_MENUS = re.compile(r"(?:^|[\s_-])(?:footer|breadcrumbs?|copyright|cookie|comments?|"
                                 r"sidebar-news)(?:$|[\s_-])", re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: lexbor's numbers for the heading and <time> tags, and for <a>: compared faster than tag names
_HEADING_OR_TIME_IDS = frozenset(node.tag_id for node in LexborHTMLParser(
    "<h1></h1><h2></h2><h3></h3><h4></h4><h5></h5><h6></h6><time></time>").body.iter())
_A_ID = LexborHTMLParser("<a></a>").css_first("a").tag_id
#: words before a date that make it a record-keeping date, not the event's
_NOT_EVENT_DATE = re.compile(
    r"(?:posted|published|updated|modified|revised|added|uploaded|created|archived|released|"
    r"last|as of|effective|deadline|due|expires?|submitted|filed|approved|adopted|©|copyright|"
    r"since|born|dated|hired (?:prior to|after|before)|prior to|before|after|by|established|founded|"
    r"formed|incorporated|enacted|ratified|chartered)\s*(?:on|:)?\s*"
    r"(?:\w+,?\s*)?$", re.I)
#: what happens at an event ("Budget Hearing", "Networking Breakfast")
_ACTIVITIES = (r"meeting|meetings|hearing|session|workshop|conference|seminar|webinar|event|"
               r"luncheon|lunch|breakfast|dinner|networking|summit|expo|"
               r"class|training|forum|gala|reception|mixer|tour|celebration|open house|"
               r"symposium|convention|meetup|happy hour|panel|talks?|lecture|fair|festival|ceremony|"
               r"socials?|brunch|roundtable|round table|boot ?camp|clinic|showcase|retreat|orientation|"
               r"fundraiser|awards|hackathon|meet (?:and|&) greet|agenda|minutes")
#: who meets, words that also name rooms ("Council Chambers", "Board Room", "Town Hall")
_BODIES = r"board|committee|council|commission|town hall|authority|trustees|directors|governing body|policy body"
#: (in the plural too: "Upcoming Workshops", "Webinars", "Classes"; not "Agendas", the documents)
_EVENT_WORDS = re.compile(rf"\b(?:(?:{_ACTIVITIES})(?:e?s)?(?<!agendas)|{_BODIES})\b")
_ACTIVITY_WORDS = re.compile(rf"\b(?:{_ACTIVITIES})(?:e?s)?(?<!agendas)\b")
_BODY_WORDS = re.compile(rf"\b(?:{_BODIES})\b")
_NEWS_WORDS = re.compile(r"\b(?:posted|read more|press release|news|announces|announced|newsletter|"
                         r"blog|comments?)\b")
_DOCUMENT_ONLY = re.compile(r"\b(?:annual report|audit|financial statement|budget|newsletter|"
                            r"press release|policy|ordinance|resolution|report)\b")
#: the word lists below are matched on lower-cased text: faster than case-insensitive alternations
#: "Cancelled", "Notice of Cancellation", "no board meeting" (not a ticket's "cancellation policy")
_CANCELLED = re.compile(r"\b(?:cancell?ed|canceled|cancellation(?!s?\s+(?:polic|fee|deadline|request|term))|"
                        r"no\s+(?!(?:charge|cost|fee)\b)(?:[a-z]+\s+){0,2}?meetings?)\b")
_POSTPONED = re.compile(r"\b(?:postponed|rescheduled to|moved to)\b")
_ONLINE = re.compile(ONLINE_WORDS)  # (on lower-cased text)
_STREET = re.compile(
    r"(?<![:.])\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?P<name>[A-Za-z0-9.' ]{2,40}?)\s(?:St|Street|Ave|Avenue|Blvd|Boulevard|"
    r"Rd|Road|Dr|Drive|Way|Ln|Lane|Pl|Place|Pkwy|Parkway|Ct|Court|Sq|Square|Hwy|Highway|Plaza)\b\.?"
    r"(?:[^\n]{0,80})", re.I)
#: the street word every address `_STREET` reads ends with: a line without one holds no address, and
#: this expression rules most lines out far faster than `_STREET` tries every number in them
_STREET_WORD = re.compile(r"\s(?:St|Street|Ave|Avenue|Blvd|Boulevard|Rd|Road|Dr|Drive|Way|Ln|Lane|Pl|Place|"
                          r"Pkwy|Parkway|Ct|Court|Sq|Square|Hwy|Highway|Plaza)\b", re.I)
_LOWER_STREET_WORD = re.compile(_STREET_WORD.pattern.lower())


def _has_street_word(text: str, lowered: str) -> bool:
    """`_STREET_WORD.search(text)`, on the lower-cased text when it is ASCII (three times faster)."""
    return bool(_LOWER_STREET_WORD.search(lowered) if text.isascii() else _STREET_WORD.search(text))


def _street(line: str) -> re.Match[str] | None:
    """The first street address in a line (`_STREET.search`), or None: not a time ending on a zone
    that reads like a street word ("2027 at 12 noon CT", "6 p.m. ST")."""
    if not _STREET_WORD.search(line):
        return None
    street = _STREET.search(line)
    while street is not None and _TIME_WORDS.search(street.group("name")):
        street = _STREET.search(line, street.start("name"))  # ("at 6 pm at 100 Main St": from the next number)
    return street


_TIME_WORDS = re.compile(r"\b(?:at|noon|midnight|[ap]\.?m\b\.?)", re.I)


#: a label on a line of its own, whose value (on the next line) is no title
_FIELD_LABEL = re.compile(r"^(?:location|where|venue|place|address|contact|phone|e-?mail|cost|price|fees?|"
                          r"host(?:ed by)?|organi[sz]er|sponsor(?:ed by)?|speakers?|presenters?)\s*(?::\s*)?$", re.I)
_PLACE_LABEL = re.compile(r"\b(?:location|where|venue|place|address)\s*:\s*([^\n]{3,200})", re.I)


def _any_of(*words: str) -> re.Pattern[str]:
    """The words an expression needs, found in lower-cased text: a plain alternation of words
    (no word boundaries, no case folding) rules a text out far faster than the expression."""
    return re.compile("|".join(map(re.escape, words)))


_PLACE_HINT = _any_of("location", "where", "venue", "place", "address")
_ONLINE_HINT = _any_of("zoom", "webex", "virtual", "online", "livestream", "teams", "google meet", "webinar",
                       "electronic meeting", "conference", "gotomeeting", "remotely")
_NEWS_HINT = _any_of("posted", "read more", "press release", "news", "announc", "blog", "comment")
_CANCELLED_HINT = _any_of("cancel", "no ")
_POSTPONED_HINT = _any_of("postponed", "rescheduled to", "moved to")
_DOC_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|mp3|mp4)(?:$|\?)", re.I)
_WEEKDAY_WORD = re.compile(r"(?<!\w)(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?(?!\w)", re.I)
_MONTH_WORD = rf"{MONTH_NAME}\b"
_WEEKDAY_BEFORE_WHEN = re.compile(_WEEKDAY_WORD.pattern + rf"(?=[\s,.]*(?:(?:at|@|from|on)\s+)?(?:\d|{_MONTH_WORD}))",
                                  re.I)
_WEEKDAY_AFTER_WHEN = re.compile(r"(?<=[\d(,])\s*" + _WEEKDAY_WORD.pattern, re.I)
_DIGIT = re.compile(r"\d")
_THREE_LETTERS = re.compile(r"(?:[^A-Za-z]*[A-Za-z]){3}")
_YEAR_WORD = re.compile(r"\b(?:19|20)\d\d\b")
#: what a removed date leaves behind: "will be held on , at", "Agenda - .pdf"
_FILE_SUFFIX = re.compile(r"\s*[-–_]*\s*\.(?:pdf|docx?|xlsx?|pptx?)$", re.I)
_DANGLING = re.compile(r"(?:[\s,]*\b(?:on|at|from|to|until|held|of|the|is|will be|be)\b)+[\s,.:;-]*$", re.I)
#: a line of a paragraph broken off mid-sentence ("The committee is comprised of"): no name ends so
_BROKEN_OFF = re.compile(r"\s(?:of|the|and|or|a|an|is|are|was|as|by|with|its|their|our|for|to|in|at|from|that|"
                         r"which|who|following)$", re.I)
#: a sentence ending inside a line or at its end ("... and property. The ANC offers", "the urban
#: area."), or a line that goes on a sentence ("representatives with an interest in"): prose, not a name
#: a sentence saying when meetings are held ("All meetings begin at 6:00 p.m. at City Hall"): no name
_SAYS_WHEN_HELD = re.compile(r"\b(?:meets?|held|begins?|starts?|convenes?)\s+(?:promptly\s+)?(?:at|from)\s+\d", re.I)
_SENTENCE_INSIDE = re.compile(r"[a-z]{4}[.!?]\s+[A-Z]|[a-z]{3}\.$|^[a-z]+(?:\s+\S+){3}")
#: a day the offices close, listed on an events calendar ("Memorial Day Holiday", "City Hall
#: Closed"): no one meets ("Holiday Mixer" is an event)
_CLOSURE = re.compile(r"\bholiday(?:\s+observed)?\s*$|\b(?:offices?|city hall|courthouse|library|libraries)\s+"
                      r"(?:is\s+|are\s+|will be\s+)?closed\b|\bclosed (?:for|in observance)\b|\bno school\b", re.I)
#: a status written into a place ("Council Chambers NOTICE OF CANCELLATION"): the event's, not the place's
_PLACE_STATUS = re.compile(r"\s*[-–—(]*\s*\b(?:notice of cancell?ation|cancell?ed|canceled|meeting cancell?ed)\b\s*\)?",
                           re.I)
#: the longest name read as wrapped over two lines
_MAX_WRAPPED = 80
#: the word that joined a date to its time, left before the separator that joined them to the name:
#: "January 15, 2025 at 5:00 PM - Board of Commissioners" leaves "at - Board of Commissioners"
_LEADING_JOIN = re.compile(r"^(?:at|on|@)\s*(?=[-–—|:,])", re.I)
#: what a time taken out of brackets leaves: "(Budget Hearing at )", "( - )"
_DANGLING_IN_BRACKETS = re.compile(r"(?:[\s,]*\b(?:on|at|from|to|until|begins|starts)\b)+[\s,.:;-]*(?=[)\]])", re.I)
#: separators a date or time stood between: "Regular Meeting – 7:00 PM – Council Chambers" leaves "– –"
_SEPARATOR_RUN = re.compile(r"(\s[–—|-])(?:\s+[–—|-])+(?=\s|$)")
#: commas a date or time stood between: "Regular Meeting, 7:00 p.m., Council Chambers" leaves ", ,"
_COMMA_RUN = re.compile(r",(?:\s*,)+")
_EMPTY_BRACKETS = re.compile(r"\s*[(\[][\s,.:;@–—-]*[)\]]")
#: a time's zone, written right after it ("6:00 PM – 8:00 PM EST"): no part of a title ("Helena, MT" is a place)
_ZONE_WORD = re.compile(r"(?<=[\dmM.])\s*\b(?:[ECMP][SD]?T|AK[SD]T|H[SD]T|UTC|GMT)\b")
#: the same after "noon" ("12 noon CT"), looked for only where "noon" is written
_ZONE_AFTER_NOON = re.compile(r"(?:(?<=[nN]oon)|(?<=NOON))\s*\b(?:[ECMP][SD]?T|AK[SD]T|H[SD]T|UTC|GMT)\b")
_WHEN_HINT = re.compile(r"\d|noon|midday|midnight", re.I)
#: the zone each US abbreviation names, standard or daylight alike ("EST" is written all year)
_ZONE_NAMES = {"E": "America/New_York", "C": "America/Chicago", "M": "America/Denver", "P": "America/Los_Angeles",
               "AK": "America/Anchorage", "H": "Pacific/Honolulu", "UTC": "UTC", "GMT": "UTC"}


def _stated_zone(text: str) -> str | None:
    """The zone the block's times are written in ("11:30 - 1:00 PM ET"), when it names one only."""
    if "T" not in text:
        return None
    zones = {_ZONE_NAMES.get(word if word in ("UTC", "GMT") else word[:2] if word.startswith("AK") else word[0])
             for word in (m.group(0).strip() for m in (*_ZONE_WORD.finditer(text), *(
                 _ZONE_AFTER_NOON.finditer(text) if "noon" in text.lower() else ())))}
    return zones.pop() if len(zones) == 1 else None
_MAX_BLOCK_TEXT = 1500
_MAX_TITLE = 200
_MAX_DESCRIPTION = 1000


@dataclass(slots=True)
class _Mention:
    """One date written in one text node, with what the page says around it."""

    node: object
    date: DateMention
    #: the year in force where the mention stands (a heading or an earlier dated line)
    year: int | None = None
    #: the weekday written beside it (Monday 0): it tells the year when the page does not
    weekday: int | None = None
    resolved: date | None = None
    #: the last <h1> before it: what a schedule under a bare label ("2027 Meeting Dates") is of
    h1: object = None
    #: its text states the day only; the month is the heading's or the row's ("<h4>January</h4> 12 – ...")
    day_only: bool = False
    #: the date is in the address of the document link it stands in ("Minutes" -> minutes-1-14-27.pdf)
    linked: bool = False


_CARDS = frozenset({"article", "li", "tr", "section"})


class _Regions:
    """Which elements are navigation, footers, forms or scripts, or a page header not inside a
    card: memoised per element, and per class/id/role marker (rows repeat theirs)."""

    def __init__(self, *, in_menus: bool = False) -> None:
        self._states: dict[int, tuple[bool, bool]] = {}
        self._markers: dict[str, bool] = {}
        # a drop-down of dates ("<select><option>January 13, 2027</option>", one agenda each) lists
        # meetings; a menu does only on a page whose dates all sit in one
        self._tags = _SKIP_TAGS - {"nav", "select", "option"} if in_menus else _SKIP_TAGS - {"select", "option"}
        self._words = _SKIP_OUTSIDE_MENUS if in_menus else _SKIP_WORDS
        self._headers = not in_menus

    def skipped(self, node) -> bool:
        """In navigation, a page header, footer or script: not where a page lists events."""
        parent = node.parent
        return parent is not None and any(self._state(parent))

    def _state(self, element) -> tuple[bool, bool]:
        """(in navigation/footer/forms/scripts, in a page header not inside a card)."""
        states = self._states
        path = []
        n = element
        state = (False, False)
        while n is not None:
            key = n.mem_id
            known = states.get(key)
            if known is not None:
                state = known
                break
            tag = n.tag
            if tag in ("body", "html", "main"):
                break
            path.append((key, tag, n))
            n = n.parent
        for key, tag, n in reversed(path):
            skip, header = state
            if not skip:
                if tag in self._tags:
                    skip = True
                elif attrs := n.attributes:
                    skip = self._skip_marker(f"{attrs.get('class') or ''} {attrs.get('id') or ''} "
                                             f"{attrs.get('role') or ''}")
            if tag == "header" and self._headers:
                header = True
            elif tag in _CARDS:
                header = False  # a card's own header holds its date
            state = (skip, header)
            states[key] = state
        return state

    def _skip_marker(self, marker: str) -> bool:
        skip = self._markers.get(marker)
        if skip is None:
            skip = self._markers[marker] = bool(marker.strip()) and bool(self._words.search(marker))
        return skip


#: the label of a field holding an event's end ("<dt>End</dt><dd>01/15/2025-12:00 PM</dd>")
_END_LABEL = re.compile(r"\s*(?:ends?|end date|end time|end date/time|until|finish(?:es)?)\s*:?\s*$", re.I)


def _ends_the_rows_event(started: _Mention, node, end: DateMention) -> bool:
    """Whether a date under an "End Date" column ends the event its row's start date began: then the
    start takes it as its last day (a later day, within a span's length, of the same row)."""
    row, started_row = _row_of(node), _row_of(started.node)
    if row is None or started_row is None or started_row.mem_id != row.mem_id:
        return False
    first = started.date
    if first.last_day is None and (days := days_apart(first, end)) is not None and 0 < days <= MAX_SPAN_DAYS:
        started.date = replace(first, last_month=end.month, last_day=end.day)
    return True


def _row_of(node):
    for _ in range(6):
        if node is None or node.tag == "tr":
            return node
        node = node.parent
    return None


def _in_prose(text: str, mention: DateMention) -> bool:
    """Whether a date stands in a long sentence that names no meeting or event: a notice's or a
    story's date, not a schedule's."""
    start = text.rfind(". ", 0, mention.start) + 1  # (a text node's line breaks are its source's wrapping)
    stop = text.find(". ", mention.end)
    sentence = " ".join(text[start:stop if stop >= 0 else None].split())
    return len(sentence) > 150 and not _EVENT_WORDS.search(sentence.lower())


def _is_record_date(text: str, start: int) -> bool:
    return bool(_NOT_EVENT_DATE.search(text[max(0, start - 40):start]))


def _text_before(node) -> str:
    """The words just before a node, in the sibling before it or before its parent
    ("<span>Posted</span> <span>Jan 19, 2024</span>"): the element's own text only."""
    n = node
    for _ in range(3):
        prev = n.prev
        while prev is not None and prev.is_text_node and not (prev.text_content or "").strip():
            prev = prev.prev
        if prev is not None:
            return (prev.text_content if prev.is_text_node else prev.text(deep=False)) or ""
        n = n.parent
        if n is None:
            return ""
    return ""


#: a stamp saying when a document was posted or changed: "Posted Jan 5, 2024 4:15 PM"
_STAMP_WORDS = ("posted", "published", "updated", "modified", "revised", "amended", "uploaded", "added", "created")
_STAMP_WORD = re.compile(rf"\b(?:{'|'.join(_STAMP_WORDS)})\b\s*(?:on|:)?\s*", re.I)
_STAMP_HINT = _any_of(*_STAMP_WORDS)


def _without_stamps(lines: list[str]) -> list[str]:
    """The block's lines with its "Posted <date> <time>" stamps taken out: that date and time
    say when a file was put up, not when the meeting is (and "Posted" is no title)."""
    joined = "\n".join(lines)
    if joined.isascii() and not _STAMP_HINT.search(joined.lower()):
        return lines  # no stamp (the words are ASCII, and lower-casing ASCII is exact)
    out: list[str] = []
    pending = False  # a line that was only the stamp's word: its date is on the next line
    for line in lines:
        word = _STAMP_WORD.search(line)
        if word is None and not pending:
            out.append(line)
            continue
        at = 0 if pending and word is None else word.start()
        after = line[at if pending and word is None else word.end():]
        pending = False
        dates = find_dates(after)
        if dates and dates[0].start <= 2:
            end = dates[0].end
            times = find_times(after[end:end + 16])
            if times and times[0].start <= 5:
                end += times[0].end
            line = (line[:at] + after[end:]).strip(" -—–|,")
        elif not after.strip(" -—–|:"):
            pending = True
            line = line[:at].strip(" -—–|,")
        if line:
            out.append(line)
    return out


_RECORD_COLUMN = re.compile(r"\b(?:deadline|posted|filing|filed|submitted|due|published|updated|received|"
                            r"approved|adopted|uploaded)\b", re.I)


def _column_header(node, cache: dict[int, list[str]]) -> str:
    """The header of the table column a text node sits in, or ""."""
    cell = node.parent
    for _ in range(6):
        if cell is None or cell.tag in ("td", "th"):
            break
        cell = cell.parent
    if cell is None or cell.tag not in ("td", "th"):
        return ""
    row = cell.parent
    if row is None or row.tag != "tr":
        return ""
    index = 0
    sib = cell.prev
    while sib is not None:
        if sib.is_element_node:
            index += 1
        sib = sib.prev
    headers = _table_headers(row, cache)
    return headers[index] if index < len(headers) else ""


def _table_headers(row, cache: dict[int, list[str]]) -> list[str]:
    """The texts of the header row of the table a row is in (empty when it has none)."""
    table = row.parent
    while table is not None and table.tag != "table":
        table = table.parent
    if table is None:
        return []
    if table.mem_id not in cache:
        cells = []
        for head in month_grid.first_rows(table, 3):
            found = head.css("th, td")
            if len(found) >= 2 and (head.css_first("th") is not None or not find_dates(head.text(deep=True))):
                cells = found
                break
        cache[table.mem_id] = [" ".join(c.text(deep=True).split()) for c in cells]
    return cache[table.mem_id]


_PLACE_COLUMN = re.compile(r"^(?:location|venue|where|place|address|meeting location)s?\b", re.I)


def _end_cell(node, cache: dict[int, list[str]]) -> str | None:
    """The text of the row's cell under an "End Time" (end, ends, until) header, if any."""
    return _cell_under(node, cache, _END_LABEL)


def _place_cell(node, cache: dict[int, list[str]]) -> str | None:
    """The text of the row's cell under a "Location" (venue, where, place) header, if any."""
    return _cell_under(node, cache, _PLACE_COLUMN)


def _cell_under(node, cache: dict[int, list[str]], header: re.Pattern[str]) -> str | None:
    """The text of the cell of the node's row under the first header `header` matches, if any."""
    row = node
    for _ in range(4):
        if row is None or row.tag == "tr":
            break
        row = row.parent
    if row is None or row.tag != "tr":
        return None
    headers = _table_headers(row, cache)
    index = next((i for i, h in enumerate(headers) if header.match(h)), None)
    if index is None:
        return None
    cells = [c for c in row.iter() if c.tag in ("td", "th")]
    if index >= len(cells):
        return None
    text = " ".join(cells[index].text(deep=True, separator=" ").split())
    return text or None


_TIME_WORDS_CELL = r"times?|hours?"
_PLACE_WORDS_CELL = r"locations?|place|venue|where|address"
#: a label-value table's cell that labels the time or the place ("Time", "Meeting Location:")
_TIME_LABEL = re.compile(rf"^(?:meeting\s+)?(?:{_TIME_WORDS_CELL})\s*:?$", re.I)
_PLACE_LABEL_CELL = re.compile(rf"^(?:meeting\s+)?(?:{_PLACE_WORDS_CELL})\s*:?$", re.I)
#: such a cell in the page's bytes ("<td><strong>Time</strong></td>"): pages without one need no lookup
_LABEL_CELL = re.compile(rf"<t[dh]\b[^>]*>\s*(?:<[^>]*>\s*){{0,3}}(?:meeting\s+)?(?:{_TIME_WORDS_CELL}|"
                         rf"{_PLACE_WORDS_CELL})\s*:?\s*<".encode(), re.I)


def _labelled_row(node, label: re.Pattern[str], cache: dict[tuple[int, str], str | None]) -> str | None:
    """The value of the row of the node's table whose first cell `label` matches, when the node
    stands in the table's other, label-value rows ("Schedule | March 4 ..." / "Time | 10:00 AM")."""
    cell = node
    for _ in range(6):
        if cell is None or cell.tag in ("td", "th"):
            break
        cell = cell.parent
    row = cell.parent if cell is not None and cell.tag in ("td", "th") else None
    table = row.parent if row is not None else None
    if table is not None and table.tag in ("tbody", "thead"):
        table = table.parent
    if table is None or table.tag != "table":
        return None
    key = (table.mem_id, label.pattern)
    if key not in cache:
        cache[key] = None
        for tr in table.css("tr")[:12]:
            cells = [c for c in tr.iter() if c.tag in ("td", "th")]
            if len(cells) == 2 and label.match(" ".join(cells[0].text(deep=True).split())):
                cache[key] = "\n".join(_lines(cells[1])) or None
                break
    return cache[key]


#: an element's class that says it holds the event's place ("event-location", "tribe-venue", "em-address")
_PLACE_CLASS = re.compile(r"(?:^|[\s_-])(?:location|venue|address|where|loc)(?:$|[\s_-])", re.I)
_PLACE_MARKED = '[class*="location" i],[class*="venue" i],[class*="address" i],[class*="where" i],[class*="loc" i]'


def _marked_place(node) -> str | None:
    """The text of the block's one element whose class marks it as the place, if any: a template's
    venue line, which names no venue word ("<span class='loc'>Oakdale Bank</span>")."""
    if node.tag in ("td", "th") or node.css_first(_PLACE_MARKED) is None:
        return None
    marked = next((m for m in node.css(_PLACE_MARKED) if _PLACE_CLASS.search(m.attributes.get("class") or "")), None)
    if marked is None:
        return None
    lines = (" ".join(line.split()) for line in marked.text(deep=True, separator="\n").split("\n"))
    text = _PLACE_FIELD_NAME.sub("", ", ".join(line for line in lines if line), count=1).lstrip(", ")
    return text if 3 <= len(text) <= 200 and not find_dates(text) and not find_times(text) else None


#: the label a place's element may open with ("Location(s): ", "Where:"), no part of the place
_PLACE_FIELD_NAME = re.compile(r"^(?:locations?(?:\(s\))?|venue|where|place|address)\s*:\s*", re.I)


def _first_headings(headings: list) -> dict[int, object]:
    """For each element a few levels above a heading, the first heading inside it (from the
    headings the walk met: a CSS query of the whole page costs a third of its parse)."""
    found: dict[int, object] = {}
    for heading in headings:
        n = heading.parent
        for _ in range(6):
            if n is None:
                break
            found.setdefault(n.mem_id, heading)
            n = n.parent
    return found


def _marked_title(node, marked: dict[int, object], line_reader: _LineReader) -> str:
    """The title of the block's first heading, when it reads as one, or ""."""
    element = marked.get(node.mem_id)
    return "" if element is None else line_reader.title_from([" ".join(element.text(deep=True, separator=" ").split())])


def _table_context(node, cache: dict[int, list[str]]) -> str:
    """The header row of the table the block sits in ("Date | Meeting | Location"), or ""."""
    row = node
    for _ in range(4):
        if row is None or row.tag == "tr":
            break
        row = row.parent
    return " ".join(_table_headers(row, cache)) if row is not None and row.tag == "tr" else ""


@dataclass(slots=True)
class _YearHints:
    """What a page says about the year of the dates it writes without one, about the order of
    its numeric dates, and where its headings are: what the walk over it gathers besides dates."""

    #: the year most of its dated lines state
    stated: int | None = None
    #: a copyright or "updated" year: the year the page was written, a weak prior
    written: int | None = None
    #: numeric dates only a day-first reading makes dates ("15/01/2025"), and only a month-first one
    day_first_dates: int = 0
    month_first_dates: int = 0
    #: its headings below <h1>, met on the same walk (a card's title is its heading)
    headings: list = field(default_factory=list)


#: a link's text that names only a meeting's document ("Agenda", "View Minutes", "Agenda Packet (PDF)")
_MEETING_DOCUMENT = re.compile(r"^(?:(?:view|download|read|see)\s+)?(?:the\s+)?(?:(?:draft|approved|final|amended|"
                               r"revised)\s+)?(?:meeting\s+)?(?:agenda(?:\s+packet)?|minutes|packet|notice|video|"
                               r"audio|recording)s?\s*(?:\(pdf\))?$", re.I)
#: the date a document's address gives it: "Minutes-1-14-27.pdf", "Agenda_03_11_2027.pdf",
#: "agenda04082027.pdf", "/2027/01/14/board"
_FILE_DATE = re.compile(r"(?<!\d)(?:(?P<y1>20\d\d)[-_./](?P<m1>[01]?\d)[-_./](?P<d1>[0-3]?\d)|"
                        r"(?P<m2>[01]?\d)[-_.](?P<d2>[0-3]?\d)[-_.](?P<y2>20\d\d|\d\d)|"
                        r"(?P<m3>[01]\d)(?P<d3>[0-3]\d)(?P<y3>20\d\d))(?!\d)")


def _file_date(node, text: str) -> str | None:
    """The date a document link's address names, written out ("January 14, 2027"), when its text
    names only the document ("Minutes"): a list of agendas and minutes whose dates are only in
    their file names. None for any other text."""
    link = node.parent
    for _ in range(2):
        if link is None or link.tag == "a" or link.tag not in _INLINE_TAGS:
            break
        link = link.parent
    if link is None or link.tag != "a" or len(text) > 40 or not _MEETING_DOCUMENT.match(text.strip()):
        return None
    found = _FILE_DATE.search(urlsplit(link.attributes.get("href") or "").path)
    if found is None:
        return None
    year, month, day = next((found.group(f"y{i}"), found.group(f"m{i}"), found.group(f"d{i}")) for i in (1, 2, 3)
                            if found.group(f"y{i}"))
    year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(year, int(month), int(day)).strftime("%B %d, %Y")
    except ValueError:
        return None


def _collect(page: Page, *, in_menus: bool = False, day_first: bool = False, file_dates: bool = False
             ) -> tuple[list[_Mention], _YearHints, object]:
    """The event-looking dates in document order, what the page says about years, and its first
    <h1> (met on the way, None when it has none).

    ``in_menus`` also reads navigation menus and drop-down lists: for pages whose only dates sit in one.
    ``day_first`` reads numeric dates day before month ("15/01/2025").
    ``file_dates`` reads the dates in the addresses of links that name only a meeting's document:
    for pages that date their agendas and minutes nowhere else.
    """
    hints = _YearHints()
    body = page.tree.body
    first_h1 = None
    if body is None:
        return [], hints, first_h1
    mentions: list[_Mention] = []
    lone_numeric: list[_Mention] = []
    years: Counter[int] = Counter()
    context_year = _address_year(page.url)
    headers: dict[int, list[str]] = {}
    regions = _Regions(in_menus=in_menus)
    columns: dict[int, str] = {}
    # a page with no table has no column headers: the walk up to a cell is skipped
    has_tables = body.css_first("table") is not None
    last_h1 = None
    leaves: dict[int, str | None] = {}
    month_rows: dict[int, str | None] = {}
    month_lists: dict[int, str | None] = {}
    year_choices: dict[int, int] = {}
    pickers: dict[int, bool] = {}
    for node in body.traverse(include_text=True, skip_empty=True):  # blank text nodes skipped in C
        text = node.text_content  # None for elements
        if text is None:
            if node.tag_id not in _HEADING_OR_TIME_IDS:  # a number, read faster than the name
                continue
            tag = node.tag
            if tag in _HEADINGS:
                if tag == "h1":
                    first_h1 = first_h1 or node
                    last_h1 = node
                else:
                    hints.headings.append(node)
                # a heading whose year is split over elements ("20" "24") still gives it
                heading = _heading_year(node)
                if heading is not None and not regions.skipped(node):
                    context_year = heading
            elif tag == "time" and (stamp := _time_element(node, mentions)) is not None:
                if not regions.skipped(node):
                    mentions.append(stamp)
                    if stamp.date.year:
                        years[stamp.date.year] += 1
            continue
        if (len(text) < 3 and not (has_tables and text.isdigit())) or text.isspace():
            continue  # (a one- or two-digit number may be a day in a schedule table's cell)
        linked = None  # the text of a document link, when its date is in its address
        if file_dates and not _DIGIT.search(text) and (dated := _file_date(node, text)) is not None:
            linked, text = text, dated
        if not _DIGIT.search(text):
            # a calendar leaf: "09" and "Jan" in sibling elements make one date
            if len(text) <= 14 and _MONTH_ONLY.match(text) and not (has_tables and _month_of_row(
                    node, month_rows)) and (leaf := _leaf_date(node, leaves)) is not None:
                node, text = leaf
            else:
                continue
        elif len(text) <= 6 and _DATE_FRAGMENT.match(text) and (leaf := _split_date(node, text, leaves)):
            node, text = leaf  # "01/" and "22" in sibling elements
        day_only: tuple[int, int] | None = None  # where the day stands, for a date whose month is outside its text
        if len(text) <= 300 and (lead := _DAY_LEAD.match(text) or _WEEKDAY_DAY.fullmatch(text)) \
                and (month := _month_of_list(node, month_lists)):
            # "<h4>January</h4><ul><li>12 – Regular Meeting</li>": the day of the month the list is under
            day_only, text = lead.span(1), month.format(lead.group(1))
        elif has_tables and len(text) <= 24 and _DAY_NUMBERS.match(text) and (month := _month_of_row(
                node, month_rows)):
            # a schedule table: a row per month, a column per body, its days in the cells (a
            # column of counts, "Permits Issued", names no event: its confidence keeps it out)
            day_only, text = (0, len(text)), ", ".join(f"{month} {day}" for day in _DAY_NUMBER.findall(
                text.split("(", 1)[0]))
        parent = node.parent
        if parent is not None and parent.tag in ("script", "style", "noscript", "template"):
            continue
        if parent is not None and parent.tag == "option" and _long_picker(parent, pickers):
            continue  # a day picker lists every day, not meetings
        found = find_dates(text, day_first)
        if ("/" in text or "." in text) and len(text) <= 300:
            hints.day_first_dates += len(DAY_FIRST_DATE.findall(text))
            hints.month_first_dates += len(MONTH_FIRST_DATE.findall(text))
        if day_only is not None:
            # the date as the node's own text has it: later steps read the text around it there
            found = [replace(f, start=day_only[0], end=day_only[1]) for f in found]
            text = node.text_content or ""
        elif linked is not None:
            found, text = [replace(f, start=0, end=len(linked)) for f in found[:1]], linked
        if not found and len(text) <= 40 and parent is not None and _DATE_CLASS.search(
                parent.attributes.get("class") or ""):
            found = _loose_mention(text)
        if not found:
            if parent is not None and parent.tag == "option":
                continue  # a picker's "March 2027" or "2026" sets no year for the page
            if (written := _WRITTEN_YEAR.search(text)) is not None:
                hints.written = max(hints.written or 0, int(written.group(1)))
                continue
            heading = MONTH_YEAR_RE.search(text) or (len(text.strip()) <= 40 and YEAR_RE.search(text))
            if heading and (not regions.skipped(node) or _on_a_toggle(node, regions)) and not (
                    len(text) <= 12 and _other_years_choice(node, year_choices)):
                context_year = int(heading.group("y") if heading.re is MONTH_YEAR_RE else heading.group(0))
            continue
        skipped = None
        for mention in found:
            if mention.year:
                years[mention.year] += 1
            lone = False
            if mention.numeric and mention.year is None and not _time_follows(text, mention.end) \
                    and weekday_near(text, mention.start, mention.end) is None:
                # "3/4" alone is a fraction or a score more often than a date, unless the page
                # lists several such dates, each on its own
                if len(text.strip()) > mention.end - mention.start + 2:
                    continue
                lone = True
            if len(text) > 150 and _in_prose(text, mention):
                continue  # "... the Plan announced on November 17, 2020, all operations are suspended ..."
            if _is_record_date(text, mention.start) or (
                    mention.start < 3 and (_is_record_date(before := _text_before(node), len(before))
                                           or _END_LABEL.match(before))):
                continue  # (a date labelled "End" is where the event before it ends, no event of its own)
            if skipped is None:
                parent_key = parent.mem_id if parent is not None else 0
                column = columns.get(parent_key)
                if column is None:
                    column = columns[parent_key] = _column_header(node, headers) if has_tables else ""
                skipped = regions.skipped(node) or bool(_RECORD_COLUMN.search(column))
            if skipped:
                break
            if column and _END_LABEL.match(column) and mentions and _ends_the_rows_event(mentions[-1], node, mention):
                break  # an "End Date" column's date is where the row's event ends, no event of its own
            year = mention.year
            if year is None:
                column_year = YEAR_RE.search(column)
                year = int(column_year.group(0)) if column_year else context_year
            found_mention = _Mention(node, mention, year, weekday_near(text, mention.start, mention.end), h1=last_h1,
                                     day_only=day_only is not None, linked=linked is not None)
            mentions.append(found_mention)
            if lone:
                lone_numeric.append(found_mention)
            if mention.year:
                context_year = mention.year
    if 0 < len(lone_numeric) < 3:
        dropped = {id(m) for m in lone_numeric}
        mentions = [m for m in mentions if id(m) not in dropped]
    hints.stated = years.most_common(1)[0][0] if years else None
    return mentions, hints, first_h1


#: "© 2019", "Copyright 2019", "Last updated: 03/02/2019" (the date form is read by find_dates)
_WRITTEN_YEAR = re.compile(r"(?:©|\(c\)|copyright|updated|modified)\s*(?:on\s*)?:?\s*((?:19|20)\d\d)(?!\d)", re.I)
#: the first piece of a date split over elements: "01/" (then "22")
_DATE_FRAGMENT = re.compile(r"\s*(?:1[0-2]|0?[1-9])\s*[/.-]\s*$")
_URL_YEAR = re.compile(r"(?<![\d])(?:19|20)\d\d(?![\d])")
_STAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::\d\d(?:\.\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?)?")


_PICKER_TAGS = frozenset({"a", "li", "option", "button"})
_ACTIVE_CLASS = re.compile(r"(?<![\w-])(?:active|selected|current|is-active|is-selected|ui-state-active|on)(?![\w-])",
                           re.I)


def _on_a_toggle(node, regions: _Regions) -> bool:
    """Whether a text is an accordion's toggle outside navigation ("<button>2026 Meetings</button>"
    over its panel): controls are no listing, but a toggle's year dates what it opens."""
    element = node.parent
    for _ in range(3):
        if element is None:
            return False
        if element.tag == "button":
            return not regions.skipped(element)
        element = element.parent
    return False


def _other_years_choice(node, year_choices: dict[int, int]) -> bool:
    """Whether a year is one choice of a picker of years (tabs, an archive's links, a drop-down)
    that is not the one shown: "2027 | 2026 | 2025" says nothing of the dates below, save the
    choice marked active. A year that heads its own list ("2019" over a menu of that year's
    dates) is no choice: a choice's siblings are other years."""
    choice = node.parent
    for _ in range(3):
        if choice is None or choice.tag in _PICKER_TAGS:
            break
        choice = choice.parent
    if choice is None or choice.tag not in _PICKER_TAGS:
        return False
    if choice.tag == "a" and choice.parent is not None and choice.parent.tag == "li":
        choice = choice.parent
    parent = choice.parent
    if parent is None or len(choice.text(deep=True).strip()) > 12:
        return False
    years = year_choices.get(parent.mem_id)
    if years is None:  # counted once for all the choices of one picker (`year_choices`)
        years = year_choices[parent.mem_id] = sum(
            1 for sib in parent.iter() if len(text := sib.text(deep=True).strip()) <= 12
            and YEAR_RE.fullmatch(text.strip(" |/()[]")))
    if years < 2:
        return False
    for element in (node.parent, choice, choice.css_first("a")):
        attrs = element.attributes if element is not None else {}
        if (_ACTIVE_CLASS.search(attrs.get("class") or "") or attrs.get("aria-selected") == "true"
                or "aria-current" in attrs or "selected" in attrs):
            return False
    return True


def _address_year(url: str) -> int | None:
    """A year in the page's own address ("?year=2023", "/meetings/2023/"): the year of its dates."""
    address = url.split("#")[0]
    if address.startswith("file:"):
        return None
    years = {int(y) for y in _URL_YEAR.findall(address.split("//", 1)[-1].partition("/")[2])}
    return years.pop() if len(years) == 1 else None


def _heading_year(node) -> int | None:
    text = node.text(deep=True, separator="")
    if len(text) > 60 or find_dates(text):
        return None
    month_year = MONTH_YEAR_RE.search(text)
    if month_year:
        return int(month_year.group("y"))
    if len(text.strip()) <= 40:
        year = YEAR_RE.search(text)
        return int(year.group(0)) if year else None
    year = _SCHEDULE_YEAR.search(text)
    return int(year.group("y") or year.group("y2")) if year else None


#: a longer heading's year that dates a schedule ("Historic Preservation Commission — 2027 Schedule")
_SCHEDULE_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?!\d)(?=(?:\W+\w+){0,2}?\W+(?:schedule|meetings?|calendar|"
                            r"agendas?|events|hearings)\b)|\b(?:schedule|meetings?|calendar|agendas?|events|hearings)"
                            r"(?:\W+\w+){0,2}?\W+(?P<y2>(?:19|20)\d\d)(?!\d)", re.I)


def _time_element(node, mentions: list[_Mention]) -> _Mention | None:
    """A `<time datetime="...">` whose own text states no date ("9:00 AM"): its date, read from the
    attribute. A UTC stamp is moved to the page's wall clock by the time the text shows."""
    stamp = _STAMP.match((node.attributes.get("datetime") or "").strip())
    text = node.text(deep=True)
    if stamp is None or find_dates(text):
        return None
    try:
        day = date(int(stamp.group(1)), int(stamp.group(2)), int(stamp.group(3)))
    except ValueError:
        return None
    shown = find_times(text)
    if stamp.group(6) == "Z" and stamp.group(4) and shown:
        utc = datetime.combine(day, time(int(stamp.group(4)), int(stamp.group(5))))
        offset = (utc - datetime.combine(day, shown[0].at)).total_seconds() / 3600 % 24
        day = (utc - timedelta(hours=offset if offset <= 14 else offset - 24)).date()
    previous = node.prev
    while previous is not None and previous.is_text_node and not (previous.text_content or "").strip():
        previous = previous.prev
    if previous is not None and previous.is_text_node and _is_record_date(
            previous.text_content or "", len(previous.text_content or "")):
        return None  # "Posted <time>"
    last = mentions[-1] if mentions else None
    if last is not None and last.node.tag == "time" and last.resolved == day and last.node.parent is not None \
            and node.parent is not None and last.node.parent.mem_id == node.parent.mem_id:
        return None  # the end of the event the time element before it starts
    mention = _Mention(node, DateMention(0, len(text), day.month, day.day, day.year, numeric=True), day.year)
    mention.resolved = day
    return mention


_DATE_CLASS = re.compile(r"date", re.I)
_NUMBERS = re.compile(r"\d+")
_MONTH_ONLY = re.compile(rf"\s*{MONTH_NAME}\.?\s*$", re.I)
#: a line that only says a meeting is not held ("December - No Meeting", "Cancelled"): a notice, no name
_NOTICE_ONLY = re.compile(rf"^(?:{MONTH_NAME}\.?(?:\s+\d{{4}})?\s*[-–—:,]?\s*)?(?:(?:there\s+will\s+be\s+)?"
                          r"no\s+(?:[a-z]+\s+){0,2}?meetings?(?:\s+(?:scheduled|held|planned|this\s+month))?|"
                          r"(?:meeting\s+)?(?:cancell?ed|canceled))[\s.!]*$", re.I)


#: a table cell's days of the month: "14", "9th", "7 & 21", "7, 21"
_DAY_NUMBERS = re.compile(r"\s*(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?:\s*(?:,|&|and)\s*(?:0?[1-9]|[12]\d|3[01])"
                          r"(?:st|nd|rd|th)?)*\s*\*?(?:\s*\([^()\d]{0,30}\))?\s*$", re.I)
_DAY_NUMBER = re.compile(r"\d+")


#: a list item that starts with a day of the month and then says what: "12 – Regular Meeting", "9th: Work Session"
_DAY_LEAD = re.compile(r"\s*([12]\d|3[01]|0?[1-9])(?!\d)(?![:.]\d|\s*[aApP]\.?[mM]\b)(?:st|nd|rd|th)?\s*"
                       r"(?:[–—:.-]\s*|\s+(?=[A-Z]))\S")  # and not a time's hour: "6:00 PM", "7 pm"
_DAY_LEAD_PREFIX = re.compile(r"^\s*(?:[12]\d|3[01]|0?[1-9])(?!\d)(?:st|nd|rd|th)?\s*[–—:.-]?\s*")
_MONTH_HEADING = re.compile(rf"\s*({MONTH_NAME})\.?(?:,?\s+(\d{{4}}))?\s*:?\s*$", re.I)
#: a table cell's weekday and day under a month's heading: "Tue 14", "Thursday 23rd"
_WEEKDAY_DAY = re.compile(r"\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s*",
                          re.I)


def _month_of_list(node, cache: dict[int, str | None]) -> str | None:
    """The month a list item or table cell is of, when its list or table stands right under a
    heading that is only a month ("<h4>January</h4><ul><li>12 – Regular Meeting</li>...", or
    the list first in the panel under it, as accordions have it): the date's text with a place
    for the day ("January {}", "January {}, 2027")."""
    item = node.parent
    if item is not None and item.tag not in ("li", "p", "dd", "dt", "td"):
        item = item.parent
    if item is None or item.tag not in ("li", "p", "dd", "dt", "td"):
        return None
    group = item.parent if item.tag in ("li", "dd", "dt") else item
    if item.tag == "td":  # the cell's table: its row, the row group, the table
        group = item.parent
        while group is not None and group.tag != "table":
            group = group.parent if group.tag in ("tr", "tbody", "thead") else None
    if group is None:
        return None
    key = group.mem_id
    if key not in cache:
        heading = None
        for _ in range(3):  # a list first in its panel: the heading is the panel's ("<h3>January</h3><div><ul>")
            heading = group.prev
            while heading is not None and not heading.is_element_node:
                heading = heading.prev
            if heading is not None or group.parent is None or group.parent.tag not in ("div", "section"):
                break
            group = group.parent
        found = None
        if heading is not None and (heading.tag in _HEADINGS or heading.tag in (
                "p", "strong", "b", "dt", "button", "summary")):  # (an accordion's toggle, a <details>' summary)
            found = _MONTH_HEADING.fullmatch(" ".join(heading.text(deep=True).split())[:30])
        cache[key] = None if found is None else (
            f"{found.group(1)} {{}}" + (f", {found.group(2)}" if found.group(2) else ""))
    return cache[key]


_YEAR_CELL = re.compile(r"\s*(?:19|20)\d\d\s*$")


def _month_of_row(node, cache: dict[int, str | None]) -> str | None:
    """The month a table row is of, when its first cell names only a month and another of its
    cells holds only days ("January | 14 | 7"): a year's schedule of several bodies. The text
    may stand in styling or a link within its cell ("<td><strong>Jan.</strong></td>", "<a>21</a>")."""
    cell = node.parent
    for _ in range(3):
        if cell is None or cell.tag not in _INLINE_TAGS:
            break
        cell = cell.parent
    if cell is None or cell.tag not in ("td", "th"):
        return None
    row = cell.parent
    if row is None or row.tag != "tr":
        return None
    key = row.mem_id
    if key not in cache:
        cells = [" ".join(c.text(deep=True).split()) for c in row.iter() if c.tag in ("td", "th")]
        # the month's cell may follow a year's ("2027 | March | 4, 18")
        first = next((i for i, text in enumerate(cells[:3]) if not _YEAR_CELL.match(text)), 0)
        cache[key] = cells[first] if len(cells) >= first + 2 and _MONTH_ONLY.match(cells[first]) and any(
            _DAY_NUMBERS.match(text) for text in cells[first + 1:]) else None
    return cache[key]


def _leaf_date(node, cache: dict[int, str | None]):
    """The small element whose text, read as one, is a date split over several elements."""
    element = node.parent
    for _ in range(3):
        if element is None or element.tag in ("body", "html"):
            return None
        key = element.mem_id
        if key not in cache:  # each element read once: many leaves may share a large ancestor
            text = " ".join(element.text(deep=True, separator=" ").split())
            cache[key] = text if len(text) <= 60 else None
        text = cache[key]
        if text is None:
            return None
        if _DIGIT.search(text) and find_dates(text):
            return element, text
        element = element.parent
    return None


def _split_date(node, fragment: str, cache: dict[int, str | None]):
    """The element whose text, read without separators, starts with a date split over several
    elements ("01/" then "22"), or None."""
    element = node.parent
    for _ in range(3):
        if element is None or element.tag in ("body", "html"):
            return None
        key = element.mem_id
        if key not in cache:
            text = element.text(deep=True, separator="")
            cache[key] = text[:300] if len(text) <= 300 else None
        text = cache[key]
        if text is None:
            return None
        head = text.lstrip()
        if head.startswith(fragment.strip()) and len(head) > len(fragment.strip()):
            found = find_dates(head[:40])
            if found and found[0].start == 0 and found[0].end > len(fragment.strip()):
                return element, head[:found[0].end]
        element = element.parent
    return None


def _loose_mention(text: str) -> list[DateMention]:
    """A date in an element marked as one that the expressions cannot read ("25.01.2024"); a
    day, a month and a year written as numbers, so a piece of a date split over elements ("9, 2027"
    after <span>April</span>) is not filled in from defaults."""
    if len(_NUMBERS.findall(text)) < 3:
        return []
    when = loose_datetime(text.strip())
    if when is None or when.year == 1900:
        return []
    return [DateMention(0, len(text), when.month, when.day, when.year)]


def _time_follows(text: str, end: int) -> bool:
    return bool(find_times(text[end:end + 30]))


def _reference_day(page: Page, hints: _YearHints) -> date:
    """The day a year-less date is read near: when the page was fetched or saved, else the year
    it says it was written (a copyright line) when that is not this year, else today."""
    if page.fetched is not None:
        return page.fetched
    today = date.today()
    if hints.written and hints.written < today.year:
        return date(hints.written, 7, 1)
    return today


def _resolve_years(mentions: list[_Mention], hints: _YearHints, reference: date) -> None:
    """Each mention's date. A year the text leaves out comes from the heading or column above it,
    else from the year the page states most, else from the dates before it and the reference
    day; weekdays written beside the dates then correct a guessed year."""
    previous: date | None = None
    previous_context: int | None = None
    guessed: list[_Mention] = []
    descending = _newest_first([m.date for m in mentions if m.date.year is None])
    for m in mentions:
        d = m.date
        if d.year is not None:
            year = d.year
        else:
            context = m.year if m.year is not None else hints.stated
            # a new heading year outranks the rolling guess from the previous date
            prior = previous if previous is not None and context == previous_context else None
            year = infer_year(d.month, d.day, context, prior, reference, descending)
            if m.year is None:
                guessed.append(m)
        try:
            m.resolved = date(year, d.month, d.day)
        except ValueError:
            m.resolved = None
            continue
        previous = m.resolved
        previous_context = m.year if m.year is not None else hints.stated
    _agree_with_weekdays(guessed, reference)


def _newest_first(dates: list[DateMention]) -> bool:
    """Whether dates written without a year mostly go back in time, one after another (an archive
    of agendas, the latest on top): most steps between neighbours go back, and within a year."""
    back = ahead = 0
    for a, b in zip(dates, dates[1:]):
        step = (b.month, b.day) > (a.month, a.day)
        if (b.month, b.day) != (a.month, a.day):
            back, ahead = back + (not step), ahead + step
    return back >= 3 and back > 2 * ahead


def _agree_with_weekdays(guessed: list[_Mention], reference: date) -> None:
    """Shift guessed years by the whole number of years that makes the written weekdays true
    ("Apr 22 Mon" is 2024 or 2030, not 2027), the nearest to the reference day on a tie."""
    checked = [m for m in guessed if m.weekday is not None and m.resolved is not None]
    if not checked:
        return

    def shifted(m: _Mention, years: int) -> date | None:
        try:
            return m.resolved.replace(year=m.resolved.year + years)
        except ValueError:
            return None

    def agreement(years: int) -> tuple[int, int]:
        days = [shifted(m, years) for m in checked]
        right = sum(1 for m, d in zip(checked, days) if d is not None and d.weekday() == m.weekday)
        distance = sum(abs((d - reference).days) for d in days if d is not None)
        return -right, distance

    best = min(range(-7, 8), key=agreement)
    right = -agreement(best)[0]
    if best == 0 or right * 2 <= len(checked) or right <= -agreement(0)[0]:
        return
    for m in guessed:
        if m.resolved is not None:
            m.resolved = shifted(m, best)


class _Ancestors:
    """The nodes below <html> that hold the given nodes, read from the tree once, deepest first:
    how many of those nodes, or of any subset of them, each holds."""

    def __init__(self, nodes: list) -> None:
        depths: dict[int, int] = {}
        self._parents: dict[int, int | None] = {}
        for node in nodes:
            path = []
            n = node
            while n is not None and n.mem_id not in depths and n.tag != "html":
                path.append(n.mem_id)
                n = n.parent
            if not path:
                continue
            known = n is not None and n.tag != "html"
            above = n.mem_id if known else None
            depth = depths[above] + 1 if known else 0
            for key in reversed(path):
                self._parents[key] = above
                depths[key] = depth
                above = key
                depth += 1
        self._deepest_first = sorted(depths, key=depths.__getitem__, reverse=True)

    def holders(self, nodes: list) -> Counter[int]:
        """How many of ``nodes`` (all among those given at first) each node holds, itself included."""
        counts: Counter[int] = Counter(node.mem_id for node in nodes)
        parents = self._parents
        for key in self._deepest_first:
            held = counts.get(key)  # .get: a Counter's default for a missing key is a Python call
            if held and (parent := parents[key]) is not None:
                counts[parent] = counts.get(parent, 0) + held
        return counts


def _stands_alone(m: _Mention) -> bool:
    """The date is (nearly) all its text says: a date cell, a calendar leaf, a date line."""
    if not m.node.is_text_node:
        return True
    text = m.node.text_content or ""
    return len(text.strip()) - (m.date.end - m.date.start) <= 16


def _drop_references(mentions: list[_Mention], counts: Counter[int], ancestors: _Ancestors) -> list[_Mention]:
    """A date inside a title ("Rules Committee – January 3rd cancelled") beside the card's own
    date cell refers to another day; the card's event is on its own date. ``counts`` is
    updated for the dates dropped."""
    if all(_stands_alone(m) for m in mentions):
        return mentions
    alone = ancestors.holders([m.node for m in mentions if _stands_alone(m)])
    kept = []
    dropped = []
    for m in mentions:
        if not _stands_alone(m) and not m.day_only and not _own_line(m.node):  # a bare day refers to no other date
            n = m.node.parent
            for _ in range(6):
                if n is None or counts[n.mem_id] > 1:
                    break
                n = n.parent
            # a date with nothing but its time beside it names no other day: it is a card's own
            # (two cards, "Thu, March 4, 2027 6:00 PM" and "Sat, March 20 - Sun, March 21")
            if n is not None and counts[n.mem_id] == 2 and alone[n.mem_id] == 1 \
                    and _THREE_LETTERS.match(_strip_when(m.node.text_content or "")):
                dropped.append(m)
                continue
        kept.append(m)
    for m in dropped:
        n = m.node
        while n is not None and n.tag != "html":
            counts[n.mem_id] -= 1
            n = n.parent
    return kept


def _own_line(node) -> bool:
    """Whether a text stands on a line of its own between <br>s ("February 12<br>April 9 – Library
    Auditorium<br>"): a date there heads its own line, as its neighbours' do, and names no other day."""
    if not node.is_text_node:
        return False
    for sibling in (node.prev, node.next):
        if sibling is not None and sibling.tag == "br":
            return True
    return False


def _cell_of(node):
    """The table cell a text node sits in (a few levels up), or None."""
    n = node.parent
    for _ in range(8):
        if n is None or n.tag in ("body", "html", "table", "tr"):
            return None
        if n.tag in ("td", "th"):
            return n
        n = n.parent
    return None


def _one_per_row(mentions: list[_Mention], counts: Counter[int]) -> list[_Mention]:
    """A table row that states its day in several cells (the meeting's date, then its agenda's
    and its minutes' links dated the same) is one meeting: the later cells' dates go.
    ``counts`` is updated for the dates dropped."""
    kept: list[_Mention] = []
    last_cell = None
    for m in mentions:
        cell = _cell_of(m.node)
        if cell is not None and last_cell is not None and kept[-1].resolved == m.resolved \
                and cell.mem_id != last_cell.mem_id and cell.parent is not None \
                and last_cell.parent is not None and cell.parent.mem_id == last_cell.parent.mem_id:
            n = m.node
            while n is not None and n.tag != "html":
                counts[n.mem_id] -= 1
                n = n.parent
            continue
        kept.append(m)
        last_cell = cell
    return kept


def _unit_of(m: _Mention, counts: Counter[int]):
    """The largest node holding this date and no other: the row, item, card or line (of at most
    `_MAX_BLOCK_TEXT` characters)."""
    own = counts[m.node.mem_id]
    chain = []  # the ancestors holding no other date, nearest first
    n = m.node
    while True:
        parent = n.parent
        if parent is None or parent.tag in ("body", "html") or counts.get(parent.mem_id, 0) != own:
            break
        chain.append(parent)
        n = parent
    # a node's text holds its children's: when the highest is short enough, so are all below it
    if not chain or len(chain[-1].text(deep=True)) <= _MAX_BLOCK_TEXT:
        return chain[-1] if chain else m.node
    unit = m.node
    for parent in chain:
        if len(parent.text(deep=True)) > _MAX_BLOCK_TEXT:
            break
        unit = parent
    return unit


#: a line that starts lower-case: where a word split over two text nodes may go on ("Pack" "et").
#: (A literal first: the scan for it runs in C, several times faster than a look-behind's.)
_LOWER_AFTER_BREAK = re.compile(r"\n[a-z]")
#: the elements that style text within a line: a word split over two of them is still one word
_INLINE_TAGS = frozenset({"span", "a", "b", "strong", "em", "i", "u", "font", "small", "mark", "sup", "sub",
                          "abbr", "s", "strike", "ins", "del", "cite", "q", "wbr"})


def _lines(node, limit: int | None = None) -> list[str]:
    """The node's lines of text, blanks squeezed; with ``limit``, only the first lines that
    joined by line breaks reach that many characters. Each text node starts a line, except
    the rest of a word that inline styling split off ("<span>Pack</span><span>et</span>")."""
    out = []
    size = 0
    text = node.text(deep=True, separator="\n")
    if _may_split_a_word(text):
        text = _join_split_words(node)
    for line in text.split("\n"):
        if line and not line.isspace():  # most are the blanks between elements: skipped in C
            line = " ".join(line.split())
            out.append(line)
            if limit is not None:
                size += len(line) + 1
                if size > limit:
                    break
    return out


def _may_split_a_word(text: str) -> bool:
    """Whether a letter ends a line that the next line goes on from lower-case, or a line goes
    on from a comma (an empty styled element inside a date: "April 14<b></b>, 2022")."""
    if "\n," in text:
        return True
    found = _LOWER_AFTER_BREAK.search(text)
    while found is not None:
        at = found.start()
        if at and text[at - 1].isalpha():
            return True
        found = _LOWER_AFTER_BREAK.search(text, at + 1)
    return False


def _join_split_words(node) -> str:
    """The node's text with a line break between its text nodes, except between the parts of a
    word that only inline elements part (site builders style a word's letters apart)."""
    lines: list[list[str]] = []  # each line's parts, joined once at the end (no quadratic growth)
    previous = None  # the text node before, while only inline elements have opened since
    for n in node.traverse(include_text=True):
        if not n.is_text_node:
            if n.tag not in _INLINE_TAGS:
                previous = None  # a block, a line break or an image parts what is either side
            continue
        text = n.text_content or ""
        if previous is not None and (text[:1] == "," and lines[-1][-1][-1:].isalnum()
                                     or text[:1].islower() and lines[-1][-1][-1:].isalpha()) \
                and _inline_between(previous, n):
            lines[-1].append(text)
        else:
            lines.append([text])
        previous = n
    return "\n".join("".join(parts) for parts in lines)


def _inline_between(first, second) -> bool:
    """Whether only inline elements close between two text nodes: the second's inline ancestors
    reach one of the first's, or the block the first's inline ancestors stand in."""
    own = set()
    n = first.parent
    while n is not None:
        own.add(n.mem_id)
        if n.tag not in _INLINE_TAGS:
            break  # the nearest block around the first: the furthest the two may share
        n = n.parent
    n = second.parent
    while n is not None:
        if n.mem_id in own:
            return True
        if n.tag not in _INLINE_TAGS:
            return False
        n = n.parent
    return False


#: the days a date lists after its own ("May 6 & 7", "Jan. 12, 19 and 26"), left where the date was cut
_LISTED_DAYS_LEFT = re.compile(r"\x00(?:\s*(?:,|&|and)\s*(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
                               r"(?![\d:.]|\s*(?:[ap]\.?m\b|noon|o'clock)))*", re.I)


def _strip_when(line: str) -> str:
    """A line without its dates, times and weekday names: what is left may be a title."""
    reclose = False
    if _WHEN_HINT.search(line):
        reclose = line.count("(") == line.count(")") and line.count("[") == line.count("]")
        # the weekday of a date or time goes with it; "Monday Night Brewing" keeps its own
        line = _ZONE_WORD.sub(" ", _WEEKDAY_AFTER_WHEN.sub(" ", _WEEKDAY_BEFORE_WHEN.sub(" ", line)))
        line = _SEPARATOR_RUN.sub(r"\1", TIME_RE.sub(" ", _LISTED_DAYS_LEFT.sub(" ", DATE_RE.sub("\x00", line))))
        if "," in line:
            line = _COMMA_RUN.sub(",", line)
        if "/" in line or "." in line:
            line = DAY_FIRST_DATE.sub(" ", line)  # "15/01/2025", which the month-first forms leave
        if len(line) < 30:
            line = _YEAR_WORD.sub(" ", line)
        line = _DANGLING.sub("", _FILE_SUFFIX.sub("", _EMPTY_BRACKETS.sub("", _DANGLING_IN_BRACKETS.sub(
            "", line)).rstrip()))
        line = _LEADING_JOIN.sub("", line.lstrip(" ,;"))
    return _trimmed(" ".join(line.split()), reclose)


def _trimmed(line: str, reclose: bool = False) -> str:
    """A line without the separators at its ends, and without brackets there that close nothing
    or open nothing: "(Cancelled) Board Meeting" keeps its brackets. `reclose`: the line's brackets
    were balanced before its times were cut, so a bracket left open lost its end with them."""
    while True:
        line = line.strip(" ,;:-–—|/@*")  # "*": a footnote's mark beside a date taken out
        for opening, closing in ("()", "[]"):
            if line.endswith(opening):
                line = line[:-1]
            elif line.startswith(closing):
                line = line[1:]
            elif line.endswith(closing) and line.count(opening) < line.count(closing):
                line = line[:-1]
            elif line.startswith(opening) and line.count(opening) > line.count(closing):
                line = line[1:]
            elif line.startswith(opening) and line.endswith(closing) and line.count(opening) == 1 \
                    and line.count(closing) == 1:
                line = line[1:-1]  # "(Special)": the words are the title, as the status check reads them
            elif reclose and line.count(opening) > line.count(closing) and not line.endswith(closing):
                line += closing  # "(Budget Hearing at 5:30 PM)" without its time
            else:
                continue
            break
        else:
            return line


class _LineReader:
    """What a line of the page says, read once: lines repeat block after block ("Agenda", "Minutes")."""

    def __init__(self) -> None:
        self._titles: dict[str, str] = {}
        self._generic: dict[str, bool] = {}

    def title_from(self, lines: list[str]) -> str:
        """The first line that is more than a date, a time or an interface word ("Agenda", "Details"),
        and is not the value of a label on the line before ("Location:" / "Microsoft Technology Center")."""
        broken = False
        fallback = ""
        for i, line in enumerate(lines):
            if i and len(lines[i - 1]) <= 24 and _FIELD_LABEL.match(lines[i - 1]):
                continue
            if broken:  # the rest of the name the line before broke off
                broken = False
                continue
            if _BROKEN_OFF.search(line) and i + 1 < len(lines) \
                    and len(joined := f"{line} {lines[i + 1]}") <= _MAX_WRAPPED:
                # a name wrapped onto the next line ("Closed Session - Board of" / "Trustees Meeting")
                broken = True
                line = joined
            title = self._titles.get(line)
            if title is None:
                title = self._titles[line] = self._title(line)
            if title and line.endswith(")") and line.endswith(f"({title})"):
                # only a note in brackets beside the date ("January 16, 2027 (Lansing)"): a later
                # line may name the meeting
                fallback = fallback or title
            elif title:
                return title
        return fallback

    def generic(self, line: str) -> bool:
        verdict = self._generic.get(line)
        if verdict is None:
            verdict = self._generic[line] = title_problem(line) is not None
        return verdict

    def _title(self, line: str) -> str:
        """The title a line states once its dates and times are gone, or ""."""
        if self.generic(line) or _SAYS_WHEN_HELD.search(line):
            return ""
        candidate = _without_venue(_strip_when(line))
        if (bare := _without_documents(candidate)) != candidate and _THREE_LETTERS.match(bare):
            candidate = bare  # "Regular Meeting Agenda" links the regular meeting's agenda
        if _THREE_LETTERS.match(candidate) and not self.generic(candidate) \
                and not _MONTH_ONLY.match(candidate) and not _NOTICE_ONLY.match(candidate) \
                and not _PLACE_LABEL.match(candidate) \
                and not _BROKEN_OFF.search(candidate) and not _SENTENCE_INSIDE.search(candidate) \
                and not (_STREET_WORD.search(candidate) and _STREET.match(candidate)):
            return clean(candidate)[:_MAX_TITLE]
        return ""


#: the document a link's text names after its meeting: "Regular Meeting Agenda", "Work Session – Minutes (PDF)".
#: One word at a time (`_without_documents`): a repeated group here backtracks exponentially on a run of them
_DOCUMENT_END = re.compile(r"[\s,:|–—-]*(?:(?:&|and|/)\s+)?(?:\(pdf\)|\b(?:(?:draft|approved|amended|revised|final|"
                           r"action|special|supplemental)\s)?(?:agendas?\s(?:packet|&\sminutes|and\sminutes)|agendas?|minutes|packet|"
                           r"notice|cancellation|pdf|transcripts?)\b)$", re.I)


def _without_documents(title: str) -> str:
    """A title without the document words it ends on ("Regular Meeting Agenda (PDF)" -> "Regular Meeting")."""
    for _ in range(4):
        bare = _DOCUMENT_END.sub("", title, count=1)
        if bare == title:
            break
        title = bare
    return title


#: the most options a drop-down of meetings holds; past this it is a day picker
_MAX_PICKER_MEETINGS = 100


def _long_picker(option, cache: dict[int, bool]) -> bool:
    """Whether an option's drop-down holds more options than a list of meetings does."""
    select = option.parent
    while select is not None and select.tag not in ("select", "datalist", "body"):
        select = select.parent
    if select is None or select.tag == "body":
        return False
    if select.mem_id not in cache:
        cache[select.mem_id] = len(select.css("option")) > _MAX_PICKER_MEETINGS
    return cache[select.mem_id]


#: a class or data attribute that marks an entry cancelled ("cancel_event", "event--canceled", "is-cancelled")
_CANCEL_MARK = re.compile(r"cancel", re.I)


def _marked_cancelled(node) -> bool:
    """Whether the entry's markup, not its text, says it is cancelled: a class on it or on one of the
    few elements around it (EventON's "cancel_event", The Events Calendar's "tribe-event-cancelled")."""
    for _ in range(4):
        if node is None or node.tag in ("body", "html", "table", "ul", "ol"):
            return False
        if node.is_element_node:
            attributes = node.attributes
            if _CANCEL_MARK.search(attributes.get("class") or "") or _CANCEL_MARK.search(
                    attributes.get("data-event_status") or attributes.get("data-status") or ""):
                return True
        node = node.parent
    return False


def _names_a_venue(title: str) -> bool:
    """Whether a title is only a venue's name ("Hyatt Regency Ballroom", "Student Union, Gardner
    Theatre"): a venue word at its end, and no word of who meets or what happens."""
    return len(title) <= 60 and _VENUE_END.search(title) is not None and not _EVENT_WORDS.search(title.lower()) \
        and not _SPACED_DASH.search(title)  # "Park Cleanup Day – Riverside Park" names what, then where


def _name_then_venue(text: str) -> tuple[str, str] | None:
    """(who meets or what happens, where) of a text that names them in that order after a comma:
    "Regular Meeting, Council Chambers", "Board of Trustees Meeting, Main Library, Francis Auditorium"."""
    at = text.find(",")
    while at > 0:
        name, venue = text[:at].rstrip(" ,;:|"), text[at + 1:].strip(" ,")
        # (a room may be named after who meets there: "Council Chambers", "Board Room")
        if len(venue) <= 60 and _VENUE_END.search(venue) and not _ACTIVITY_WORDS.search(venue.lower()) \
                and not _SPACED_DASH.search(venue) and _EVENT_WORDS.search(name.lower()):
            return name, venue
        at = text.find(",", at + 1)
    return None


def _without_venue(title: str) -> str:
    """A title without the venue it ends on after a dash ("Regular Meeting – City Hall, 2nd Floor"),
    a comma before a street address ("Networking Breakfast, Hyatt Place, 200 Peachtree St") or a
    comma before a venue's name ("Regular Meeting, Council Chambers"):
    the venue is the event's place, read from the same line."""
    if "," in title and (street := _street(title)) is not None and street.start() > 0 \
            and "," in title[:street.start()]:
        name = title.split(",", 1)[0].strip(" ,;:-–—|")
        if _THREE_LETTERS.match(name) and len(name) <= 80 and _street(name) is None and not _STATES_WHEN.search(name):
            return name  # (not a sentence that goes on to where: "The board will meet at ..., 1 Main St")
    if "," in title and (named := _name_then_venue(title)) is not None:
        return named[0]
    dashes = list(_SPACED_DASH.finditer(title)) if "-" in title or "–" in title or "—" in title else []
    if not dashes:
        return title
    name, venue = title[:dashes[-1].start()].rstrip(" ,;:|"), title[dashes[-1].end():]
    if not _EVENT_WORDS.search(name.lower()) or (end := _VENUE_END.search(venue)) is None:
        return title
    # the word before the venue's kind says which room it is ("Conference Room B", "Council Chambers"):
    # before that, a venue names no activity ("Town Hall – Budget Hearing" is no venue)
    before = venue[:end.start()].rsplit(None, 1)[0] if " " in venue[:end.start()].strip() else ""
    return title if _ACTIVITY_WORDS.search(before.lower()) else name


def _timed_items(lines: list[str], line_reader: _LineReader) -> list[tuple[str, list[TimeMention], str]]:
    """(title, times, line) for each line under a bare date that states a time and a title, when
    at least two such lines start at different times ("8:00 AM – Breakfast", "6:00 PM – Social")."""
    times_of = [find_times(line) for line in lines]
    timed = sum(1 for times in times_of if times)
    if not timed or timed == 1 and not any(_ALL_DAY_LINE.match(line) for line in lines):
        return []  # (most blocks: no two timed lines, nor one beside an "All Day" line)
    titles = [line_reader.title_from([line]) for line in lines]
    items = []
    i = 0
    while i < len(lines):
        line, times, title = lines[i], times_of[i], titles[i]
        if i + 1 < len(lines):
            after, named = times_of[i + 1], titles[i + 1]
            if _ALL_DAY_LINE.match(line) and not after and named:
                items.append((named, [], f"{line} {lines[i + 1]}"))  # "All Day" / "Offices Closed"
                i += 2
                continue
            if bool(times) != bool(title) and bool(after) != bool(times) and (title or named) \
                    and not (after and named):
                # the time and the name in elements of their own ("<span>9:00 AM</span> <a>Board</a>"), either first
                title, times, line = title or named, times or after, f"{line} {lines[i + 1]}"
                i += 1
        if times and title:
            items.append((title, times, line))
        i += 1
    return items if len({times[0].at if times else None for _, times, _ in items}) >= 2 else []


_ALL_DAY_LINE = re.compile(r"^\s*all[\s-]day\s*$", re.I)


#: a line that ends naming a kind of venue is a place, even with a meeting word in it ("Board Room")
_VENUE_END = re.compile(r"\b(?:room|hall|cent(?:er|re)|library|office|offices|chambers?|building|auditorium|"
                        r"ballroom|campus|school|church|park|plaza|suite|annex|lounge|hotel|inn|club|clubhouse|"
                        r"theat(?:re|er))"
                        r"(?:\s+(?:[a-z]|\d+[a-z]?|[a-z]\d+))?"  # "Room B", "Room 201A"
                        r"(?:,\s*(?:\d+(?:st|nd|rd|th)|ground|first|second|third|top)\s+floor)?\s*$", re.I)
_SPACED_DASH = re.compile(r"\s[–—-]\s")
_AT_FIRST = re.compile(r"^(?:(?:at|in)\s+)+", re.I)


def _lone_event_name(shared: _SharedContext) -> str:
    """The <h1> of a page that dates one event only, when it reads as a title."""
    h1 = shared.names["h1"]
    return h1[:_MAX_TITLE] if h1 and _THREE_LETTERS.match(h1) and title_problem(h1) is None else ""


def _title_before(block, counts: Counter[int], line_reader: _LineReader, after: str,
                  leads: dict[int, bool]) -> str:
    """The title of a bare date: `after` (the first title below it), unless that names no event
    or a venue, and the short line just before the date names an event ("Regular Board Meeting" /
    the date / "District Office Board Room"): cards that put the name above the date and the
    venue below it. Where the run of names and dates starts with a name and ends with a date
    (`_names_lead`), each name is the date's after it."""
    if named := _name_before(block, counts, line_reader, leads):
        return named
    if after and _EVENT_WORDS.search(after.lower()) and not _VENUE_END.search(after):
        return after
    before = _sibling_before(block)
    if before is not None and before.is_element_node and before.tag == "br":
        # the line before a break: one element or text alone on it ("<strong>Regular Meeting</strong><br>
        # date"), not the last part of a line of several ("Minutes / Board Report<br>date")
        before = _sibling_before(before)
        if before is not None and (prev := _sibling_before(before)) is not None \
                and not (prev.is_element_node and prev.tag == "br"):
            return after
    if before is None or counts.get(before.mem_id) or before.is_element_node and (
            before.tag in _HEADINGS or before.tag in _SKIP_TAGS):
        return after
    # in a run of date, name, date, name (a <dl> of <dt> dates), the line before a date is the
    # name of the date before it
    earlier = _sibling_before(before)
    if earlier is not None and counts.get(earlier.mem_id):
        return after
    lines = _node_lines(before)
    title = line_reader.title_from(lines) if len(lines) == 1 and len(lines[0]) <= 80 else ""
    return title if title and _EVENT_WORDS.search(title.lower()) else after


def _name_before(block, counts: Counter[int], line_reader: _LineReader, leads: dict[int, bool]) -> str:
    """The name standing just before a date, in a run whose names lead their dates, or ""."""
    before = _sibling_before(block)
    if before is None or not before.is_element_node or counts.get(before.mem_id) \
            or not _names_lead(block, counts, leads):
        return ""
    lines = _node_lines(before)
    return line_reader.title_from(lines) if len(lines) == 1 and len(lines[0]) <= 80 else ""


def _shape(node) -> tuple[str, ...]:
    """An element's tag and its child elements' tags: how a run of siblings tells names from dates."""
    return (node.tag, *(child.tag for child in node.iter()))


def _names_lead(block, counts: Counter[int], leads: dict[int, bool]) -> bool:
    """Whether the block's siblings run name, date, name, date ... and end on a date
    ("<p><strong>Chapter Luncheon</strong></p><p>January 22 ...</p>"): the first date has a name of
    the run's shape before it, and the last date none after it."""
    parent = block.parent
    if parent is None:
        return False
    if parent.mem_id not in leads:
        children = [c for c in parent.iter() if c.is_element_node]
        dated = [i for i, c in enumerate(children) if counts.get(c.mem_id)]
        lead = False
        if len(dated) >= 2 and dated[0] > 0:
            name = children[dated[0] - 1]
            last = dated[-1]
            lead = name.tag not in _HEADINGS and not counts.get(name.mem_id) and all(
                _shape(child) != _shape(name) for child in children[last + 1:]) and any(
                not counts.get(children[i - 1].mem_id) and _shape(children[i - 1]) == _shape(name)
                for i in dated[1:])
        leads[parent.mem_id] = lead
    return leads[parent.mem_id]


def _sibling_before(node):
    """The sibling before a node, past blank text."""
    before = node.prev
    while before is not None and not before.is_element_node and not (before.text_content or "").strip():
        before = before.prev
    return before


def _following_run(block, counts: Counter[int], limit: int = 6) -> list:
    """The siblings after a date heading, up to the next one that holds a date, or the next
    heading. A heading straight after the block is the next section's when the block follows
    a heading of its kind or another dated sibling ("<h2>A</h2><p>date</p><p>date</p><h2>B</h2>")."""
    run = []
    n = block.next
    while n is not None and len(run) < limit:
        if counts.get(n.mem_id):
            break
        if n.is_element_node:
            if n.tag in _HEADINGS and (run or ((before := _sibling_before(block)) is not None and (
                    counts.get(before.mem_id) or before.is_element_node and before.tag == n.tag))):
                break
            run.append(n)
        elif n.is_text_node and (n.text_content or "").strip():
            run.append(n)
        n = n.next
    return run


_HEADING_LIKE = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "caption", "strong", "b", "dt", "legend"})


#: a line that states when a series of meetings happens ("All meetings are held at 3:00 PM")
_SCHEDULE_TIME = re.compile(r"\b(?:meet|meets|meeting|meetings|held|begin|begins|start|starts|when|convene|"
                            r"session|hearings?|scheduled|at)\b", re.I)
_OFFICE_HOURS = re.compile(r"\b(?:office hours|hours\s*:|opens?\s+(?:at|from)|closed|deadline|received|"
                           r"submit\w*|filing|due)\b", re.I)


def _heading_text(node, text: str) -> bool:
    if len(text) > 120 or node.tag == "thead" or (node.tag == "tr" and node.css_first("th") is not None):
        return False  # a table's head row names its columns, not the meetings in them
    if _BROKEN_OFF.search(text.rstrip(" :")):
        return False  # "Meetings will be held on the following": a sentence leading into the list
    if node.tag in _HEADING_LIKE or node.css_first("h1, h2, h3, h4, h5, h6") is not None:
        return True
    # a short line naming a body or an activity heads what follows, unless it is a sentence
    # that states their time ("Meetings begin at 9:00 am in Room 514, City Hall.")
    return len(text) <= 60 and bool(_EVENT_WORDS.search(text.lower())) and not _ENDS_A_SENTENCE.search(text) \
        and not (_STATES_WHEN.search(text) and find_times(text))


#: the verb of a sentence that says when meetings are held: "All meetings begin at 1:00 p.m."
_STATES_WHEN = re.compile(r"\b(?:meet|meets|held|begin|begins|start|starts|convenes?)\b", re.I)


#: the end of a sentence: a word of three letters or more, then a full stop ("p.m." is none)
_ENDS_A_SENTENCE = re.compile(r"[a-z]{3}\.\s*$", re.I)


def _names_a_document(heading: str) -> bool:
    """Whether a heading names only the documents below it ("2027 Agenda", "Minutes"), not who meets."""
    bare = " ".join(_YEAR_WORD.sub(" ", heading).split()).strip(" :")
    return len(bare) <= 40 and bool(_THREE_LETTERS.match(bare)) and not _THREE_LETTERS.match(_without_documents(bare))


def _heading_just_before(block, counts: Counter[int], known: dict[int, int], steps: int = 12) -> int:
    """The id of the heading among the few siblings before a block, 0 when there is none. A sibling
    before it that holds a date stands under the same heading: its answer, when `known` has it, is
    this block's ("<h2>Finance</h2>Jan 16<br>Mar 20<hr><h2>Policy</h2>Feb 6<br>Apr 3": Apr 3 is Policy's)."""
    sib = block.prev
    found = 0
    while sib is not None and steps > 0:
        if counts.get(sib.mem_id):
            found = known.get(sib.mem_id, 0)
            break
        if sib.is_element_node and (sib.tag in _HEADINGS or sib.tag == "hr"):
            found = sib.mem_id  # (a rule between sections parts them as a heading does)
            break
        sib = sib.prev
        steps -= 1
    known[block.mem_id] = found
    return found


#: where one sentence ends: not after the "p.m." of a time ("meets at 5:30 p.m. in Room 104")
_SENTENCES = re.compile(r"(?<=[.!?])(?<![aApP]\.[mM]\.)\s+|\n")


#: the words a heading over a body's schedule ends on: "... Meeting Schedule", "... Calendar", "... Meeting Dates"
_SCHEDULE_END = re.compile(r"[\s:–—-]*\b(?:regular\s)?(?:meetings?\s)?(?:schedule|calendar|dates)$"
                           r"|\s+[:–—-]\s*(?:regular\s)?meetings?$", re.I)  # "Library Board - 2027 Meetings"


def _caption_row(row) -> str:
    """The first line of a table row that is one cell spanning the table ("Stationary Engineers 2024
    Meeting Schedule<br>12:00 p.m. - Room 1210"), when it names a body or its schedule; else ""."""
    cells = [c for c in row.iter() if c.tag in ("td", "th")]
    if len(cells) != 1 or not (cells[0].attributes.get("colspan") or "1").strip().isdigit() \
            or int((cells[0].attributes.get("colspan") or "1").strip()) < 2:
        return ""
    lines = _lines(cells[0], 200)
    first = lines[0] if lines else ""
    return first if len(first) <= 120 and _EVENT_WORDS.search(first.lower()) else ""


def _bold_name(node) -> str:
    """The body a paragraph opens with in bold ("<strong>Design Review Committee</strong> meets ..."), or ""."""
    first = node.child
    while first is not None and first.is_text_node and not (first.text_content or "").strip():
        first = first.next
    if first is None or first.tag not in ("strong", "b"):
        return ""
    name = " ".join((first.text() or "").split()).strip(" :")
    return name if 3 <= len(name) <= 60 and _BODY_WORDS.search(name.lower()) else ""


#: a note in brackets ("Meeting Date (4th Monday of the month)")
_BRACKETED = re.compile(r"\s*\([^()]*\)")


def _body_heading_above(node) -> str:
    """The nearest heading before a subheading, of a higher level, when it names a body or an
    activity ("Community Corrections Advisory Board" over "2024 Meetings"), or ""."""
    if node is None or node.tag not in _HEADINGS or node.tag == "h1":
        return ""
    level = node.tag
    n = node
    for _ in range(80):
        n = n.prev if n.prev is not None else n.parent
        if n is None or n.tag in ("body", "html"):
            return ""
        if n.tag in _HEADINGS and n.tag < level:
            text = " ".join((n.text() or "").split())
            return text if len(text) <= 120 and _EVENT_WORDS.search(text.lower()) and title_problem(text) is None \
                else ""
    return ""


def _section_context(block, counts: Counter[int], cache: dict[tuple[int, int], tuple[str, str]],
                     headings: dict[int, int], page_title: str, h1_title: str = "") -> tuple[str, str]:
    """What a schedule of bare dates shares: the heading above it and the line that states its time.

    Walks back through earlier siblings (skipping ones that hold dates) and up
    the ancestors, reading at most a few kilobytes.
    """
    parent = block.parent
    # blocks of one parent share their section, unless a heading stands between them
    # ("<h3>Chapter Meeting</h3><p>Date: ...</p><hr><h3>Lunch & Learn</h3><p>Date: ...</p>")
    key = (parent.mem_id if parent is not None else 0, _heading_just_before(block, counts, headings))
    if key in cache:
        return cache[key]
    heading = ""
    heading_node = None
    when = ""
    size = 0
    n = block
    for _level in range(8):
        # text between this block and an earlier dated sibling belongs to that sibling's event
        texts: list[tuple[object, str]] = []
        sib = n.prev
        steps = 0
        ruled = False
        while sib is not None and steps < 40 and size < 3000:
            steps += 1
            if sib.tag == "hr":
                ruled = True  # a rule closes the section above: what lies past it is another's
                break
            if counts.get(sib.mem_id):
                # what stands between belongs to that earlier event, except a heading of its own
                # and what follows that heading ("<h3>Board</h3><p>It meets at 11:30</p>...")
                heads = [i for i, (node, _) in enumerate(texts) if node.tag in _HEADINGS]
                texts = texts[:heads[-1] + 1] if heads else []
            elif sib.is_element_node and sib.tag not in _SKIP_TAGS:
                text = "\n".join(_lines(sib, 800))[:800]
                size += len(text)
                texts.append((sib, text))
            elif sib.is_text_node and (sib.text_content or "").strip():
                texts.append((sib, " ".join(sib.text_content.split())))
            sib = sib.prev
        for node, text in texts:
            if not heading and node.is_element_node and _heading_text(node, text) and not _names_a_document(text):
                heading, heading_node = " ".join(text.split()), node
                if not when and find_times(heading) and not _OFFICE_HOURS.search(heading):
                    when = heading  # "Main Street Board, 8:30 a.m." over its dates: their time too
            elif not heading and node.tag == "tr" and (caption := _caption_row(node)):
                heading = caption  # a first row of one cell across the table titles it
                if not when and find_times(text) and not _OFFICE_HOURS.search(text):
                    when = text
            elif not heading and node.is_element_node and (bold := _bold_name(node)):
                heading = bold  # "<p><strong>Design Review Committee</strong> meets 1st Thursdays ...</p>"
            if not when and find_times(text):
                for line in _SENTENCES.split(text):
                    times = find_times(line)
                    if times and not _OFFICE_HOURS.search(line) and (
                            _SCHEDULE_TIME.search(line) or times[0].start == 0) and not find_dates(line):
                        when = line  # (a line naming its own day, "at 11:01pm on November 19", is that day's)
                        break
        if (heading and when) or size >= 3000 or ruled:
            break
        n = n.parent
        if n is None or n.tag in ("body", "html"):
            break
    title = _strip_when(heading) if heading else ""
    title = _YEAR_WORD.sub(" ", title)
    title = clean(_trimmed(" ".join(title.split())))[:_MAX_TITLE]  # "Advisory Committee (CAC)" keeps its ")"
    if (named := _SCHEDULE_END.sub("", title)) != title and _THREE_LETTERS.match(named) \
            and _EVENT_WORDS.search(named.lower()):
        title = named  # "Zoning Board Meeting Schedule" heads the Zoning Board's meetings
    problem = title_problem(title) if _THREE_LETTERS.match(title) else "no title"
    # a heading flagged for a page word may still name meetings ("Board Meeting Agendas"); the
    # label over a schedule ("2027 Meeting Dates") names none
    if problem == SCHEDULE_LABEL or problem and title.casefold() in ("meeting", "meetings"):
        # the heading the schedule stands under names its meetings: the section's own ("<h3>Advisory
        # Board</h3> ... <h4>2024 Meetings</h4>"), else the page's
        title = _body_heading_above(heading_node) or h1_title or page_title
    elif problem == CONTROL_ROW or (problem and not _EVENT_WORDS.search(title.lower())) \
            or _BROKEN_OFF.search(title):  # "Meetings will be held on the following (dates)"
        title = h1_title or page_title  # tabs ("Agendas Minutes") name no meetings, though their words may
    cache[key] = (title, when)
    return cache[key]


#: a meeting word with a number soon after it in the same sentence: where a schedule states its
#: time (matched on lower-cased text: a case-insensitive alternation is ten times slower)
_MEETS = re.compile(r"(?<![a-z])(?:meet|conven|session|hearing|(when\s*:|time\s*:))[^.\n]{0,100}?\d")
#: the words `_MEETS` starts with: found by `str.find`, far faster than the expression's own scan
_MEETS_WORDS = ("meet", "conven", "session", "hearing", "when", "time")


def _meeting_word_matches(text: str):
    """`_MEETS.finditer(text)`, tried only where one of its words starts."""
    starts = []
    for word in _MEETS_WORDS:
        at = text.find(word)
        while at >= 0:
            starts.append(at)
            at = text.find(word, at + 1)
    free_from = 0
    for at in sorted(starts):
        if at >= free_from and (m := _MEETS.match(text, at)) is not None:
            free_from = m.end()
            yield m


def _page_schedule_time(page: Page) -> str:
    """A sentence anywhere in the page that says when its meetings are held, or "". A "Time:"
    field the page writes more than once is each event's own, none the page's."""
    body = page.tree.body
    if body is None:
        return ""
    written = body.text(deep=True, separator="\n")
    text = written.lower()
    if len(text) != len(written):
        written = text  # (lower-casing changed a length: the sentence is given lower-cased)
    fields: dict[str, int] = {}
    for m in _meeting_word_matches(text):
        if (label := m.group(1)) is not None:
            label = "".join(label.split())  # "time:"
            if fields.setdefault(label, text.count(label)) > 1:
                continue
        lo, hi = max(0, m.start() - 300), min(len(text), m.end() + 300)
        head = max(text.rfind(".", lo, m.start()), text.rfind("\n", lo, m.start()), lo - 1)
        line_end = min(x for x in (text.find("\n", m.end(), hi), hi) if x >= 0)
        tail = min(x for x in (text.find(". ", m.end(), line_end), line_end) if x >= 0)
        sentence = text[head + 1:tail + 1]
        if len(sentence) < 400 and find_times(sentence) and not _OFFICE_HOURS.search(sentence) \
                and not find_dates(sentence):
            if text[tail - 3:tail] in ("a.m", "p.m"):
                # "... begin at 6:00 p.m. at City Hall, 200 Main St.": the rest names the place,
                # unless it goes on to a date of its own
                rest = text[tail + 1:min(x for x in (text.find(". ", tail + 2, line_end), line_end) if x >= 0) + 1]
                if not find_dates(rest) and len(sentence) + len(rest) < 400:
                    tail += len(rest)
            return " ".join(written[head + 1:tail + 1].split())  # as written: it may name the place too
    return ""


@dataclass(slots=True)
class _Draft:
    block: _Block
    title: str
    #: the block's own text, with the siblings that follow a date heading
    text: str
    #: the times the block states, and else the ones its section or page states for it
    times: list[TimeMention]
    shared_times: list[TimeMention]
    links: list[str]
    #: the title is its section's heading: the block names nothing itself (a bare date)
    borrowed: bool = False


class _SharedContext:
    """What several blocks share, computed once: section headings and times, the page's."""

    def __init__(self, page: Page, counts: Counter[int], h1) -> None:
        self._page = page
        self._counts = counts
        self._h1 = h1
        self._names: dict[str, str | None] | None = None
        self._lists_events: dict[tuple[int, int], bool] = {}
        self._sections: dict[tuple[int, int], tuple[str, str]] = {}
        self._headings: dict[int, int] = {}  # each block's heading, for `_heading_just_before`
        self._page_title: str | None = None
        self._page_names: str | None = None
        self._page_time: str | None = None
        self._times: dict[str, list[TimeMention]] = {}
        self._places: dict[str, Location | None] = {}

    @property
    def names(self) -> dict[str, str | None]:
        """The text of the page's <title> and first <h1> (None when it has none), each read once."""
        if self._names is None:
            title = _first_title(self._page)
            self._names = {"title": None if title is None else clean(title.text(deep=True)),
                           "h1": None if self._h1 is None else clean(self._h1.text(deep=True))}
        return self._names

    @property
    def page_names(self) -> str:
        """The page's <title> and first <h1>: what the page says it is."""
        if self._page_names is None:
            self._page_names = " ".join(text for text in (self.names["title"], self.names["h1"]) if text is not None)
        return self._page_names

    def context_lists_events(self, node, column_heads: dict[int, list[str]]) -> bool:
        """Whether the node's section heading, its table's header row or the page's title say
        it lists events; the same for the siblings of one parent (and for the rows of one table)."""
        parent = node.parent
        key = (parent.mem_id if parent is not None else 0, node.mem_id if node.tag == "tr" else 0)
        says = self._lists_events.get(key)
        if says is None:
            context = " ".join((self.section(node)[0], _table_context(node, column_heads), self.page_names)).lower()
            says = self._lists_events[key] = bool(_EVENT_WORDS.search(context) or _SCHEDULE_WORDS.search(context))
        return says

    def section(self, node, h1=None) -> tuple[str, str]:
        """The heading a node's schedule stands under and the line that states its time; `h1`: the
        last <h1> before it."""
        if self._page_title is None:
            self._page_title = _page_title(self.names)
        return _section_context(node, self._counts, self._sections, self._headings, self._page_title,
                                self._h1_title(h1))

    def _h1_title(self, h1) -> str:
        """The text of an <h1> when it reads as a title."""
        if h1 is None:
            return ""
        text = clean(h1.text(deep=True))
        return text[:_MAX_TITLE] if _THREE_LETTERS.match(text) and title_problem(text) is None else ""

    def place(self, node) -> Location | None:
        """Where the sentence that states the section's time, or else the page's, says its meetings
        are ("meets at 5:30 p.m. in Room 104 of the Municipal Building"), or None."""
        when = self.section(node)[1]
        if not when:
            if self._page_time is None:
                self._page_time = _page_schedule_time(self._page)
            when = self._page_time
        if not when:
            return None
        if when not in self._places:
            self._places[when] = _place(when, when.lower())[0]
        return self._places[when]

    def times(self, node) -> list[TimeMention]:
        """The times stated once for the node's section, or else for the whole page."""
        when = self.section(node)[1]
        if not when:
            if self._page_time is None:
                self._page_time = _page_schedule_time(self._page)
            when = self._page_time
        if when not in self._times:
            self._times[when] = find_times(when)
        return self._times[when]


def _time_line(d: _Draft) -> str:
    """The line of the draft's text its first time stands on."""
    at = d.times[0]
    start = d.text.rfind("\n", 0, at.start) + 1
    end = d.text.find("\n", at.end)
    return d.text[start:end if end >= 0 else None]


def _share_the_one_stated_time(drafts: list[_Draft]) -> None:
    """A board's schedule: when every dated block that states a time states the same one,
    the blocks that state none (and have no section or page time) take it; a span of days
    (a conference) does not, as it is no meeting of that board."""
    stating = [d for d in drafts if d.times]
    stated = {d.times[0].at for d in stating}
    # one block alone shares its time when it states it on a line of its own ("9:00 a.m." under the
    # next meeting's date), not inside a notice's sentence ("... effective at 11:01pm on ...")
    if len(stated) == 1 and (len(stating) >= 2 or len(_time_line(stating[0])) <= 60):
        shared = [stating[0].times[0]]
        for d in drafts:
            if not d.times and not d.shared_times and d.block.mention.date.last_day is None:
                d.shared_times = shared


def _without_other_months_notices(lowered: str, mention: _Mention) -> str:
    """The block's text without the notices about another month beside its date ("November 18" /
    "December - No Meeting" in one list): December's notice does not cancel November's meeting."""
    day = mention.resolved
    if day is None or not _CANCELLED_HINT.search(lowered):
        return lowered
    kept = []
    for line in lowered.split("\n"):
        stripped = line.strip()
        if _NOTICE_ONLY.match(stripped) and (month := MONTHS.get(stripped.split()[0].rstrip(".,:"))) \
                and month != day.month:
            continue
        kept.append(line)
    return "\n".join(kept)


def _status(lowered: str, mention: _Mention) -> str:
    """Cancelled, postponed, or scheduled — "rescheduled to" the block's own date is scheduled."""
    if _CANCELLED_HINT.search(lowered) and _CANCELLED.search(lowered):
        return CANCELLED
    moved = _POSTPONED.search(lowered) if _POSTPONED_HINT.search(lowered) else None
    if moved is None:
        return SCHEDULED
    day = mention.resolved
    after = find_dates(lowered[moved.end():moved.end() + 40].split("\n", 1)[0])  # (its own line's new date)
    if after and day is not None and (after[0].month, after[0].day) == (day.month, day.day):
        return SCHEDULED  # this block is the new date
    return POSTPONED


def _merge_restatements(drafts: list[_Draft]) -> list[_Draft]:
    """One meeting told several times in a row ("Board Meeting – Jan 12", "will be held on
    January 12 at 10 a.m.", "Agenda – January 12.pdf") is one event. Rows of a table or items
    of a list that share a start are different events (same tag under the same parent), unless
    one of them names nothing but its day (a day's date box beside its meeting's entry)."""
    kept: list[_Draft] = []
    for d in drafts:
        if kept:
            last = kept[-1]
            a, b = last.block.node, d.block.node
            same_start = (last.block.mention.resolved == d.block.mention.resolved
                          and _first_time(last) == _first_time(d))
            siblings = a.parent is not None and b.parent is not None \
                and a.parent.mem_id == b.parent.mem_id and a.tag == b.tag
            # (two bare dates under different sections' names are two bodies' meetings)
            apart = last.borrowed and d.borrowed and last.title != d.title
            if same_start and not apart and (not siblings or last.borrowed != d.borrowed):
                if last.borrowed and d.title and not d.borrowed:
                    last.title, last.borrowed = d.title, False
                last.title = last.title or d.title
                last.links.extend(h for h in d.links if h not in last.links)
                last.text = f"{last.text}\n{d.text}"
                continue
        kept.append(d)
    return kept


def _without_second_copy(drafts: list[_Draft]) -> list[_Draft]:
    """A page that shows its whole list twice (a menu for phones and one for desks, a
    printable copy) lists each meeting once: the second half goes when it repeats the first."""
    half = len(drafts) // 2
    if half < 3 or len(drafts) % 2:
        return drafts
    starts = [(d.block.mention.resolved, _first_time(d)) for d in drafts]
    return drafts[:half] if starts[:half] == starts[half:] else drafts


def _first_time(d: _Draft):
    times = d.times or d.shared_times
    return times[0].at if times else None


def _page_title(names: dict[str, str | None]) -> str:
    """The page's first <h1>, else its <title>: what untitled dates under no heading are."""
    for text in (names["h1"], names["title"]):
        # the first part that names something: "Agendas and Minutes - Union School District"
        for part in _TITLE_PARTS.split(text or ""):
            if _THREE_LETTERS.match(part) and title_problem(part) is None:
                return part[:_MAX_TITLE]
    return ""


#: what separates the parts of a page's <title> ("Board Meetings | City of X", "Agendas – Y")
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")


def _first_title(page: Page):
    """The page's first <title> element (the head's, else one in the body)."""
    tree = page.tree
    head = tree.head
    node = head.css_first("title") if head is not None else None
    return node if node is not None else tree.css_first("title")


@dataclass(slots=True)
class _Block:
    """One event's share of the page: its node, the siblings that follow it, its text."""

    node: object
    mention: _Mention
    lines: list[str]
    #: whether the siblings after the node belong to this block (not for a date listed mid-line)
    follow: bool = True


def _node_lines(node) -> list[str]:
    if node.is_text_node:
        text = " ".join((node.text_content or "").split())
        return [text] if text else []
    return _lines(node)


def _pieces(mentions: list[_Mention]) -> dict[int, list[str]]:
    """Dates listed in one line of text ("Jan 16, Feb 13, March 13"): each its own piece, the line's
    label first, then its words up to the next date (the last date's: the rest of its sentence)."""
    groups: dict[int, list[_Mention]] = {}
    for m in mentions:
        groups.setdefault(m.node.mem_id, []).append(m)
    pieces: dict[int, list[str]] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        text = group[0].node.text_content or ""
        # what the line says before its dates ("Budget Hearings, 6 pm: Jan. 12, 19 and 26") is said of each
        lead, when = " ".join(text[:group[0].date.start].split()), ""
        if not (len(lead) <= 80 and lead.endswith((":", "-", "–", "—"))) or _GENERAL_LEAD.match(lead):
            # a sentence leading to the dates ("The board meets at 5:30 pm on ..."), or a label about the
            # year's meetings: only its time is said of each (as the date's own), not a file's "updated" time
            sentence = lead[max((e.end() for e in _SENTENCE_END.finditer(lead)), default=0):]
            when = "" if _STAMP_WORD.search(sentence) else " ".join(t.group(0) for t in TIME_RE.finditer(sentence))
            lead = ""
        last = group[-1]  # its words are the rest of its sentence
        end = _SENTENCE_END.search(text, last.date.end)
        stops = [m.date.start for m in group[1:]] + [end.start() if end else len(text)]
        words = [" ".join(text[_piece_start(text, m):stop].split()) for m, stop in zip(group, stops)]
        for i in range(len(group) - 2, -1, -1):
            # dates listed with nothing but "," "&" or "and" between them ("May 6 & 7, 2027 Budget
            # Workshop", "April 6, May 4, June 1 Regular Meeting") share the words after the last
            if _JOINER.fullmatch(text, group[i].date.end, group[i + 1].date.start) and \
                    not _NOTE_OF_ONE.search(words[i + 1]):
                words[i] = words[i + 1]
        for i, m in enumerate(group):
            piece = f"{when} {words[i]}".strip()
            pieces[id(m)] = [lead, piece] if lead else [piece]
    return pieces


_GENERAL_LEAD = re.compile(r"^(?:(?:19|20)\d\d\b|(?:(?:all|the|our|regular|board|upcoming)\s+)*meetings?\b)", re.I)
_BARE_DAY = re.compile(r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?")
_JOINER = re.compile(r"\s*(?:,|&|and|\+)\s*", re.I)
#: words after a list of dates that speak of its last date alone: a bracketed note, a change of plan
_NOTE_OF_ONE = re.compile(r"^[(\[]|\b(?:cancell?ed|postponed|rescheduled|moved|no meeting)\b", re.I)
_YEAR_AFTER = re.compile(r"[\s,]*(?:19|20)\d\d\b")


def _piece_start(text: str, m: _Mention) -> int:
    """Where a listed date's own words start: after a day listed beside its month's date ("May 6 & 7,
    2027 Agenda": "7" and its year are that date, no words of a title)."""
    if not _BARE_DAY.fullmatch(text, m.date.start, m.date.end):
        return m.date.start
    year = _YEAR_AFTER.match(text, m.date.end)
    return year.end() if year else m.date.end


#: where a sentence ends and the next begins ("... Apr. 20 (7 pm). All meetings are in ...")
_SENTENCE_END = re.compile(r"[.;!?](?=\s+[A-Z])|;")


def _blocks(mentions: list[_Mention], counts: Counter[int]) -> list[_Block]:
    pieces = _pieces(mentions)
    groups_last = {m.node.mem_id: m for m in mentions if id(m) in pieces}  # (mentions come in text order)
    blocks: list[_Block] = []
    seen: set[int] = set()
    for m in mentions:
        if m.day_only and id(m) in pieces:  # "2027 | March | 4, 18": each day listed is a meeting of the row
            node = _unit_of(m, counts)
            days = " ".join((m.node.text_content or "").split())
            blocks.append(_Block(node, m, [line for line in _node_lines(node) if line != days], follow=False))
            continue
        if id(m) in pieces and m is not groups_last.get(m.node.mem_id):
            blocks.append(_Block(m.node, m, pieces[id(m)], follow=False))
            continue
        if id(m) in pieces:  # the last date of a line: the rest of its sentence and what follows
            blocks.append(_Block(m.node, m, pieces[id(m)]))
            continue
        node = _unit_of(m, counts)
        if node.mem_id in seen:
            continue  # a second date in the same block: the block's first date is its event
        seen.add(node.mem_id)
        blocks.append(_Block(node, m, _node_lines(node), follow=not m.linked))  # (the next link is another's)
        if node.tag == "tr":
            blocks.extend(_rows_spanned(node, m, counts))
    return blocks


def _rows_spanned(row, m: _Mention, counts: Counter[int]) -> list[_Block]:
    """The rows below a row whose date cell spans them (`rowspan`): each of their meetings is on
    that date ("<td rowspan=2>January 12</td><td>Work Session</td>" / "<td>Regular Meeting</td>")."""
    cell = m.node
    while cell is not None and cell.parent is not None and cell.parent.mem_id != row.mem_id:
        cell = cell.parent
    span = (cell.attributes.get("rowspan") or "").strip() if cell is not None and cell.is_element_node else ""
    if not span.isdigit() or int(span) < 2:
        return []
    spanned: list[_Block] = []
    below = row.next
    while below is not None and len(spanned) < min(int(span), 50) - 1:
        if below.is_element_node:
            if below.tag != "tr" or counts.get(below.mem_id):
                break  # (a row with a date of its own starts another day)
            spanned.append(_Block(below, m, _node_lines(below), follow=False))
        below = below.next
    return spanned


def _run_lines(run: list) -> list[str]:
    out: list[str] = []
    for n in run:
        if n.is_text_node:
            text = " ".join((n.text_content or "").split())
            if text:
                out.append(text)
        elif n.tag not in _SKIP_TAGS:
            out.extend(_lines(n))
    return out


def _named_links(nodes: list) -> list[tuple[str, str]]:
    """(href, text) of each link in the nodes that has a text: which of a day's meetings it is for."""
    found = []
    for n in nodes:
        if n.is_element_node:
            for a in (n,) if n.tag_id == _A_ID else (a for a in n.traverse() if a.tag_id == _A_ID):
                href, text = (a.attrs.get("href") or "").strip(), " ".join(a.text(deep=True).split())
                if href and text and not href.startswith(NO_PAGE_LINKS):
                    found.append((href, text))
    return found


def _links(nodes: list) -> list[str]:
    """The hrefs in a block, as written (resolved only for the ones an event keeps).

    A block is small: walking it is cheaper than a CSS query, which is compiled per call."""
    found = []
    for n in nodes:
        if not n.is_element_node:
            continue
        anchors = (n,) if n.tag_id == _A_ID else (a for a in n.traverse() if a.tag_id == _A_ID)
        for a in anchors:
            href = (a.attrs.get("href") or "").strip()
            if href and not href.startswith(NO_PAGE_LINKS):
                found.append(href)
    return found


#: words that name a kind of venue ("Grand Hotel Ballroom", "Town Hall", "Room 201")
_VENUE_WORD = re.compile(
    r"\b(?:hotel|inn|hall|cent(?:er|re)|room|library|office|ballroom|club|clubhouse|church|chapel|building|"
    r"auditorium|chambers?|campus|restaurant|brewery|brewing|museum|theat(?:er|re)|park|school|university|"
    r"college|headquarters|courthouse|arena|pavilion|lodge|caf[eé]|grill|tavern|winery|gallery|plaza|"
    r"tower|suite|annex|stadium|lounge|marriott|hilton|hyatt|sheraton|westin)\b", re.I)
#: the same on lower-cased text, without case folding: most blocks name no venue, and are ruled out by it fast
_LOWER_VENUE_WORD = re.compile(_VENUE_WORD.pattern)
_VENUE_LINE_WORDS = 8


def _venue_line(text: str, title: str) -> str | None:
    """What a line of the block says besides its title, dates and times, when that is short and
    names a venue: where a card gives its place without a street or a "Where:" label, on a line
    of its own or after the time."""
    for line in text.split("\n"):
        if not _LOWER_VENUE_WORD.search(line.lower()):
            continue  # most lines name no venue: ruled out before any other work
        if title and title in line:
            line = line.replace(title, " ", 1)
        # what a line says besides the title and the time: "Board Meeting – January 5, 6:00 p.m., Town Hall"
        stripped = _strip_when(line.strip())
        line = _AT_FIRST.sub("", stripped)
        if "," in line and (named := _name_then_venue(line)) is not None:
            line = named[1]  # the rest of a title broken over two lines: "Trustees Meeting, Main Library"
        if line == title:  # the title's own words, with the time they stood around taken out
            continue
        if (not 3 <= len(line) <= 80 or len(line.split()) > _VENUE_LINE_WORDS or line.endswith((".", "!", "?"))
                or not _VENUE_WORD.search(line)):
            # a sentence that says where: "Next meeting: ... at 6:30 PM at City Hall, Conference Room A."
            named = [] if len(stripped) > 400 else [
                m.group(1).rstrip(" ,") for m in _AT_VENUE.finditer(stripped) if _VENUE_WORD.search(m.group(1))]
            if not named:
                continue
            line = named[0]
        if find_dates(line) or TIME_RE.search(line) or title_problem(line) is not None:
            continue
        return line
    return None


_BULLETS = re.compile(r"\s*(?:[•·|]|&bull;)\s*")
_CAPITALISED_WORDS = re.compile(r"[A-Z0-9][\w.'&-]*(?:\s+(?:of|the|at|on|and|&|[A-Z0-9][\w.'&-]*)){0,5}")


def _bulleted_place(text: str, title: str) -> str | None:
    """The last part of a date's line of bulleted parts that is neither when, the title, a price nor
    a way to attend: a card's venue with no venue word ("Feb 2, 2027 • 5:30 PM ET • Monday Night Garage")."""
    if "•" not in text and "|" not in text and "·" not in text:
        return None
    for line in text.split("\n"):
        if "•" not in line and "|" not in line and "·" not in line or not find_dates(line):
            continue
        parts = [part for part in _BULLETS.split(line) if part and not find_dates(part) and not TIME_RE.search(part)
                 and part != title and _CAPITALISED_WORDS.fullmatch(part) and not _PRICE_WORD.search(part)
                 and not _ONLINE.search(part.lower()) and title_problem(part) is None]
        if parts:
            return parts[-1]
    return None


_PRICE_WORD = re.compile(r"[$€£]|\bfree\b|\bmembers?\b|\bguests?\b", re.I)


#: "at City Hall, Conference Room A", "in Room 104 of the Municipal Building": capitalised words after
#: "at" or "in" in a sentence
_AT_VENUE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?([A-Z][\w.'&-]*(?:,?\s+(?:of|the|[A-Z0-9][\w'&-]*)){0,7})")


_TOWN = re.compile(r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}")


#: a line that may be a town and its state alone ("Savannah, GA"), checked before it is split
_TOWN_AND_STATE = re.compile(r"[A-Z][\w.' -]{1,30},\s*[A-Z]{2}\.?")


def _town_line(text: str, title: str) -> str | None:
    """A short line that names a place, its town and its state or province ("Ponce City Market,
    Atlanta, GA"), or a town and its state alone ("Savannah, GA"): a card's place with no street
    and no venue word. The place is a few words and the town a name (capitalised words), so a
    sentence with commas in it is no place."""
    for line in text.split("\n"):
        if len(line) <= 40 and _TOWN_AND_STATE.fullmatch(line) and line != title \
                and (town := split_location(line)) is not None and town.city and town.region \
                and not town.name and not town.street and _TOWN.fullmatch(town.city) and not find_dates(line):
            return line  # a town and its state alone ("Savannah, GA"): where a conference is
        if line.count(",") < 2 or len(line) > 100 or line == title or len(line.split()) > 10:
            continue
        loc = split_location(line)
        if (loc is not None and loc.city and loc.region and loc.name and not loc.name[:1].islower()
                and "," not in loc.name and len(loc.name.split()) <= 6 and _TOWN.fullmatch(loc.city)
                and not find_dates(line) and not TIME_RE.search(line)):
            return line
    return None


#: the line under a street that finishes its address: "Example City, MO 64000"
_TOWN_STATE = re.compile(r"[A-Z][\w.' -]{1,40},\s*[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?")
#: the line over a street that names the venue: a few capitalised words ("Example City Hall")
_VENUE_NAME = re.compile(r"[A-Z0-9][\w.'&-]*(?:\s+(?:of|the|at|and|&|[A-Z0-9][\w.'&-]*)){0,6}")


def _address_lines(lines: list[str], at: int, place: str, title: str) -> str:
    """A street line with the lines of its address around it, when the block writes one per line:
    the venue's name above ("Example City Hall") and the town below ("Example City, MO 64000")."""
    if "," not in place and at + 1 < len(lines) and _TOWN_STATE.fullmatch(lines[at + 1].strip()):
        place = f"{place}, {lines[at + 1].strip()}"
    if at > 0 and (name := lines[at - 1].strip()) != title and len(name) <= 60 and _VENUE_NAME.fullmatch(name) \
            and not _DIGIT.search(name) and title_problem(name) is None and not (title and name in title) \
            and (_VENUE_END.search(name) or not _EVENT_WORDS.search(name.lower())):  # "Board of Trustees" meets
        place = f"{name}, {place}"
    return place


def _place(text: str, lowered: str, column: str | None = None, title: str = "") -> tuple[Location | None, str]:
    """Where the block says its event is (its row's "Location" cell, a "Where:" line, a street
    address or a line naming a venue), and how to attend."""
    online = bool(_ONLINE_HINT.search(lowered) and _ONLINE.search(lowered))
    place = None
    if column:
        place = column
    elif ":" in lowered and (not text.isascii() or _PLACE_HINT.search(lowered)) \
            and (label := _PLACE_LABEL.search(text)):
        place = label.group(1)
    elif _has_street_word(text, lowered):
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if _DIGIT.search(line) and (street := _street(line)):
                place = line if len(line) <= 160 else street.group(0)
                if street.start() > 40 or (street.start() and (_STATES_WHEN.search(before := line[:street.start()])
                                                                or TIME_RE.search(before))):
                    # a sentence ending on its address: "... at the District Office, 4100 Lake Rd",
                    # "Meetings begin at 8:30 a.m. at 1100 W 9th St."
                    named = [m.group(1).rstrip(" ,") for m in _AT_VENUE.finditer(line, 0, street.start())
                             if _VENUE_WORD.search(m.group(1)) or m.end() == line.rfind(",", 0, street.start())]
                    # (a name right before its street is the venue's: "at The Roof, 99 Ponce Ave")
                    if not named and (venue := _venue_before(line[:street.start()])):
                        named = [venue]  # "... 2027 (Branch Library, 40 Elm Rd)"
                    place = (f"{named[-1]}, " if named else "") + street.group(0).rstrip(" .")
                if title and place.startswith(f"{title},"):
                    place = place[len(title) + 1:].strip()  # "Networking Breakfast, Hyatt Place, 200 ..."
                place = _address_lines(lines, i, place, title)
                break
    if place is None and _LOWER_VENUE_WORD.search(lowered):
        place = _venue_line(text, title)
    if place is None and "," in lowered:
        place = _town_line(text, title)
    if place and _CANCELLED_HINT.search(lowered_place := place.lower()):
        place = _PLACE_STATUS.sub("", place).strip(" ,;:-–—") if _CANCELLED.search(lowered_place) else place
    # (the separator that stood between the date and the venue goes with the date: "· Savannah Center")
    location = split_location(clean(_strip_when(place)).strip(" ·•|,;:–—-")[:300]) if place else None
    if location is not None and online and not _street(place or ""):
        return None, ONLINE  # "Where: Zoom" names no place
    if location is None:
        return None, ONLINE if online else IN_PERSON
    return location, HYBRID if online else IN_PERSON


_VENUE_OPENER = re.compile(r".*(?:\(|\s[–—|-]\s|;)")


def _venue_before(text: str) -> str | None:
    """The venue's name a bracket or a dash opens right before a street ("(Branch Library, 40 Elm Rd)")."""
    text = text.rstrip(" ,")
    opened = _VENUE_OPENER.match(text)
    name = text[opened.end():].strip() if opened else ""
    return name if 3 <= len(name) <= 60 and _VENUE_WORD.search(name) and not _DIGIT.search(name) else None


def _when(mention: _Mention, times: list[TimeMention]) -> tuple[datetime | date, datetime | date | None]:
    """Start and end of an event on the mention's day at the first of ``times`` (if any)."""
    day = mention.resolved
    assert day is not None
    last: date | None = None
    d = mention.date
    if d.last_day is not None and d.last_month is not None:
        try:
            last = date(day.year + (1 if d.last_month < day.month else 0), d.last_month, d.last_day)
        except ValueError:
            last = None
        if last is not None and last <= day:
            last = None
    if not times:
        return day, last  # all day; a span states its last day
    first = times[0]
    start = datetime.combine(day, first.at)
    if first.until is None:
        if last is not None and len(times) > 1:  # "January 30 9:00 AM - January 31 5:00 PM"
            stop = datetime.combine(last, times[1].at)
            return start, stop if stop > start else None
        return start, None
    stop = datetime.combine(last or day, first.until)
    if stop <= start and last is None and first.until.hour < 6:
        stop += timedelta(days=1)  # "from 7 pm to 12:30 am": it ends after midnight
    return start, stop if stop > start else None


@dataclass(slots=True)
class _Evidence:
    """What a block shows for and against being a meeting or event (read the same whatever
    address the page is read against: links count as written, not as resolved)."""

    own_time: bool
    shared_time: bool
    event_title: bool
    event_context: bool
    repeated: bool
    in_event_list: bool
    own_link: bool
    year_stated: bool
    news: bool
    document: bool


#: log-odds each piece of evidence adds: set by hand with the signs any listing shows. Not yet
#: calibrated: on the developers' pages no piece separates real meetings from the rest, and a fit
#: there calibrates worse on pages it did not see (`benchmarks/listing_confidence.py --cross-check`)
_WEIGHTS = {"own_time": 0.6, "shared_time": 0.4, "event_title": 0.4, "event_context": 1.2, "repeated": 0.5,
            "in_event_list": 0.8, "own_link": 0.0, "year_stated": 0.2, "news": -1.5, "document": -1.5}
_BIAS = -1.4
_WEIGHT_VALUES = tuple(_WEIGHTS.values())
#: the evidence in the order of `_WEIGHTS`, read in one call
_weighed = attrgetter(*_WEIGHTS)


#: words in a section heading, a table's header row or the page's title that say it lists events
_SCHEDULE_WORDS = re.compile(r"\b(?:events|calendar|schedule|upcoming|agendas)\b")


#: a link of the block's own to an event's page ("/events/2027/1/14/laser-cutting-101", "/event/123")
_EVENT_PATH = re.compile(r"/(?:events?|calendar|meetings?)/[^/?#]*[\w-]{3}", re.I)


def _evidence(d: _Draft, lowered: str, parent_sizes: Counter[int], link_uses: Counter[str],
              column_heads: dict[int, list[str]], shared: _SharedContext) -> _Evidence:
    head = lowered[:400]
    title = d.title.lower()
    event_title = bool(_EVENT_WORDS.search(title))
    parent = d.block.node.parent
    return _Evidence(
        own_time=bool(d.times), shared_time=not d.times and bool(d.shared_times), event_title=event_title,
        event_context=bool(_EVENT_WORDS.search(head)) or shared.context_lists_events(d.block.node, column_heads)
        or any(link_uses[h] == 1 and _EVENT_PATH.search(h) for h in d.links),
        repeated=parent is not None and parent_sizes[parent.mem_id] >= 3,
        in_event_list=False,
        own_link=any(link_uses[h] == 1 and not _DOC_LINK.search(h) for h in d.links),
        year_stated=d.block.mention.date.year is not None,
        news=not d.times and bool(_NEWS_HINT.search(head) and _NEWS_WORDS.search(head)),
        document=bool(_DOCUMENT_ONLY.search(title)) and not event_title)


def _list_evidence(drafts: list[_Draft], evidence: list[_Evidence]) -> list[_Evidence]:
    """Blocks repeated under one parent, most of them titled as meetings or events: the
    others there ("Zoning Appeals") are more likely events too."""
    titled: Counter[int] = Counter()
    sizes: Counter[int] = Counter()
    for d, e in zip(drafts, evidence):
        parent = d.block.node.parent
        if parent is not None:
            sizes[parent.mem_id] += 1
            titled[parent.mem_id] += e.event_title
    out = []
    for d, e in zip(drafts, evidence):
        parent = d.block.node.parent
        key = parent.mem_id if parent is not None else 0
        if not e.event_title and sizes[key] >= 3 and titled[key] * 2 > sizes[key]:
            e = replace(e, in_event_list=True)
        out.append(e)
    return out


def _confidence(evidence: _Evidence) -> float:
    """The chance the block is a real event, from its evidence (a logistic model)."""
    score = _BIAS + sum(w for w, shown in zip(_WEIGHT_VALUES, _weighed(evidence)) if shown)
    return 1 / (1 + math.exp(-score))


_MIN_CONFIDENCE = 0.5
#: a meeting's kind standing alone for its name ("Regular", "Special" under a "Meeting" column)
_MEETING_KIND = re.compile(r"^(?:regular|special|annual|emergency|organizational|quarterly|monthly|joint|closed)$",
                           re.I)
_WEB_URL = re.compile(r"https?://", re.I)


def _own_link(links: list[str], link_uses: Counter[str], base: str, page_url: str) -> str | None:
    """The block's first web link that no other block uses and that is neither a document nor this page."""
    web_base = bool(_WEB_URL.match(base))
    for href in links:
        if link_uses[href] != 1 or _DOC_LINK.search(href):
            continue
        if not web_base and not _WEB_URL.match(href):
            continue  # against a file:// base a relative link resolves to no web address
        url = absolute_url(base, href)
        if url and urldefrag(url)[0] != page_url and url.startswith(("http://", "https://")):
            return url
    return None


def read(page: Page) -> list[Event]:
    """The events a plain HTML listing states, each with a confidence: its dated blocks, and the
    days of any month-view grid (`eventscout.scrapers.month_grid`) those do not already give."""
    if not page.looks_like_html:
        return []
    grid, grid_tables = month_grid.read(page)
    events = _dated_blocks(page, grid_tables)
    if grid:
        known = {(_day_of(e.start), e.title.casefold()) for e in events}
        events.extend(e for e in grid if (_day_of(e.start), e.title.casefold()) not in known)
    return events


def _day_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


#: languages that write numeric dates month first: American English (and a page that names none)
_MONTH_FIRST_LANGUAGES = ("", "en", "en-us", "en-ca", "en-ph")


def _writes_day_first(page: Page) -> bool:
    """Whether the page's language writes numeric dates day first ("15/01/2025"): British and
    most other English, and nearly every other language (ISO dates read the same either way)."""
    root = page.tree.root
    lang = ((root.attributes.get("lang") or "") if root is not None else "").strip().lower().replace("_", "-")
    return lang not in _MONTH_FIRST_LANGUAGES and not lang.startswith(("en-us", "x-", "und"))


#: what stands between the two ends of a span written on lines of their own: a time, a dash, a weekday
_SPAN_ACROSS = re.compile(SPAN_JOIN_AFTER_TIME, re.I)


def _spans_across_lines(mentions: list[_Mention]) -> list[_Mention]:
    """A span whose ends stand on lines of their own ("January 30, 2027 9:00 AM -<br>Friday<br>
    January 31, 2027 5:00 PM"): one mention of its first day, with its last day."""
    def span(i: int) -> _Mention | None:
        m, later = mentions[i], mentions[i + 1]
        if m.resolved is not None and later.resolved is not None and m.node.mem_id != later.node.mem_id \
                and m.date.last_day is None and later.date.last_day is None and not m.day_only \
                and not later.day_only and 0 < (later.resolved - m.resolved).days <= MAX_SPAN_DAYS \
                and (between := _text_between(m, later)) is not None and _SPAN_ACROSS.fullmatch(between):
            return replace(m, date=replace(m.date, last_month=later.resolved.month, last_day=later.resolved.day))
        return None

    return joined_pairs(mentions, span)


def _text_between(first: _Mention, second: _Mention) -> str | None:
    """The text from the end of one date to the start of the next, when the second's text follows
    the first's a few siblings on (line breaks and short texts between), else None."""
    parts = [(first.node.text_content or "")[first.date.end:]]
    n = first.node.next
    for _ in range(4):
        if n is None:
            return None
        if n.mem_id == second.node.mem_id:
            parts.append((second.node.text_content or "")[:second.date.start])
            return "".join(parts)
        if n.is_text_node:
            parts.append(n.text_content or "")
        elif n.tag != "br":
            return None
        n = n.next
    return None


#: a container beside a page's main content: a sidebar, a widget, a rail of other news and events
_SIDE = re.compile(r"(?:^|[\s_-])(?:sidebar|side-bar|widget|widgets|rail|secondary|aside)(?:$|[\s_-])", re.I)


_MAIN_MARKS = (b"<main", b"main\"", b"main'", b"content\"", b"content'", b"primary")
_SIDE_MARKS = (b"<aside", b"side", b"widget", b"rail", b"secondary")
#: the ids a page's main content goes by where it has no <main> ("<div id='main-content'>")
_MAIN_IDS = frozenset({"main", "main-content", "maincontent", "main_content", "content", "primary", "page-content"})


def _region(node, memo: dict[int, str]) -> str:
    """Where a node stands: "main" (in <main>, role=main or an element with a main content's id),
    "side" (in an <aside> or a sidebar or widget outside main), or "" (elsewhere). `memo` keeps
    each ancestor's answer: the events of one page share most of theirs."""
    chain = []
    n = node.parent
    above = ""
    while n is not None and n.tag not in ("body", "html"):
        if (known := memo.get(n.mem_id)) is not None:
            above = known
            break
        chain.append(n)
        n = n.parent
    for n in reversed(chain):  # from the highest down: main anywhere above wins, then a side container
        if above != "main":
            attrs = n.attributes
            if n.tag == "main" or attrs.get("role") == "main" or (attrs.get("id") or "").lower() in _MAIN_IDS:
                above = "main"
            elif n.tag == "aside" or _SIDE.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
                above = "side"
        memo[n.mem_id] = above
    return above


def _without_side_widgets(events: list[Event], regions: list[str]) -> list[Event]:
    """The events of a page's main content without those of the widgets beside it (a sidebar's
    "Upcoming Events" of the whole city beside the Planning Commission's own schedule); all of
    them when the main content gives none (its news posts, say, and the events in the sidebar)."""
    if "main" not in regions or "side" not in regions:
        return events
    return [e for e, region in zip(events, regions) if region != "side"]


def _dated_blocks(page: Page, grid_tables: set[int]) -> list[Event]:
    """The events of the blocks around the dates the page writes out, outside the month grids
    read already (`grid_tables`: a grid's day cells are `month_grid`'s to date)."""
    day_first = _writes_day_first(page)
    mentions, hints, first_h1 = _collect(page, day_first=day_first)
    if not day_first and hints.day_first_dates > hints.month_first_dates:
        day_first = True  # "15/01/2025": the page's "04/02/2025" is the 4th of February
        mentions, hints, first_h1 = _collect(page, day_first=True)
    if not mentions:
        mentions, hints, first_h1 = _collect(page, in_menus=True, day_first=day_first)
    if not mentions:
        mentions, hints, first_h1 = _collect(page, day_first=day_first, file_dates=True)
        days = {(m.date.year, m.date.month, m.date.day): m for m in reversed(mentions)}  # the first of each
        mentions = [m for m in mentions if days[(m.date.year, m.date.month, m.date.day)] is m]  # (agenda, minutes)
    if grid_tables:
        mentions = [m for m in mentions if month_grid.closest_table(m.node) not in grid_tables]
    if not mentions:
        return []
    _resolve_years(mentions, hints, _reference_day(page, hints))
    mentions = _spans_across_lines([m for m in mentions if m.resolved is not None])
    ancestors = _Ancestors([m.node for m in mentions])
    counts = ancestors.holders([m.node for m in mentions])  # how many dates each node holds
    mentions = _drop_references(_one_per_row(mentions, counts), counts, ancestors)
    blocks = _blocks(mentions, counts)
    parent_sizes: Counter[int] = Counter()
    for b in blocks:
        parent = b.node.parent
        if parent is not None:
            parent_sizes[parent.mem_id] += 1
    link_uses: Counter[str] = Counter()
    drafts: list[_Draft] = []
    shared = _SharedContext(page, counts, first_h1)
    line_reader = _LineReader()
    column_heads: dict[int, list[str]] = {}
    # a cell that only labels a value ("<td>Time</td>"): a scan of the bytes spares the walk up from every block
    # (and, on most pages, a query of the whole tree for a table)
    has_labels = _LABEL_CELL.search(page.body) is not None or (
        not page.plain_utf8 and page.tree.body is not None and page.tree.body.css_first("table") is not None)
    labels: dict[tuple[int, str], str | None] = {}  # each label-value table's "Time" and "Location" rows
    place_cells: dict[int, str | None] = {}  # each block's row's "Location" cell, read once
    leads: dict[int, bool] = {}  # per parent: whether its names stand before their dates
    headed: dict[int, object] | None = None  # each element's first heading inside it: found once, when needed
    for b in blocks:
        b.lines = _without_stamps(b.lines)
        if b.mention.day_only and b.lines:  # "12 – Regular Meeting": the day is no part of the title
            # (the first line led by a day: a block may start with its month's heading)
            at = next((i for i, line in enumerate(b.lines[:3]) if _DAY_LEAD.match(line)), 0)
            b.lines[at] = _DAY_LEAD_PREFIX.sub("", b.lines[at], count=1)
        # a row's "Location" cell says where, not what: it is no title
        place_cell = place_cells[b.node.mem_id] = _place_cell(b.node, column_heads)
        title = line_reader.title_from([line for line in b.lines if line != place_cell] if place_cell else b.lines)
        if title and not place_cell and _names_a_venue(title) and (named := shared.section(b.node, b.mention.h1)[0]) \
                and _BODY_WORDS.search(named.lower()) and not _names_a_venue(named):
            # "May 22 – Hyatt Regency Ballroom" under "Board of Directors": the line says where, the section who
            place_cells[b.node.mem_id], title = title, named
        if title and b.node.tag not in ("td", "th", "tr") and len(b.lines) > 2:
            if headed is None:
                headed = _first_headings(hints.headings)
            if (named := _marked_title(b.node, headed, line_reader)) and named != title and named in b.lines:
                title = named  # a card's heading, not the category label above it ("Chapter Meeting" / "Agile at Scale")
        own_text = "\n".join(b.lines)
        times = find_times(own_text)
        run: list = []
        items: list[tuple[str, list[TimeMention], str]] = []
        if len(blocks) > 1 and len(b.lines) >= 3 and not line_reader.title_from(b.lines[:1]):
            # a date line over its day's meetings, one a line ("Board of Trustees – 6:00 PM<br>
            # Finance Committee – 7:30 PM"): each is an event
            items = _timed_items(b.lines[1:], line_reader)
        if b.follow and not items and (not title or not times):
            run = _following_run(b.node, counts)
            run_lines = _without_stamps(_run_lines(run))
            if not title and len(blocks) > 1:  # (one date alone heads a single event's own programme)
                items = _timed_items(run_lines, line_reader)
            if run_lines and not items:
                own_text = "\n".join([*b.lines, *run_lines])
                times = times or find_times("\n".join(run_lines))
                if not title:
                    title = _title_before(b.node, counts, line_reader, line_reader.title_from(run_lines), leads)
                    if len(blocks) == 1 and (named := _lone_event_name(shared)):
                        title = named  # one date under a page's <h1>: the page is that event's own
        if not title and b.node.tag in ("td", "th") and b.node.parent is not None \
                and _POSTPONED_HINT.search(lowered_own := own_text.lower()) and _POSTPONED.search(lowered_own):
            # "Rescheduled to February 19" in a row's notes: the new date of the row's meeting
            title = line_reader.title_from([line for line in _lines(b.node.parent) if line not in b.lines])
        if not title:
            # a date column headed by the meeting's name ("Board of Trustees", "Finance Committee")
            header = _column_header(b.mention.node, column_heads)
            if "(" not in header or title_problem(_BRACKETED.sub("", header)) is None:
                title = line_reader.title_from([header])  # "Meeting Dates (Second Tuesday ...)" names no body
        if not title and b.follow:
            title = _name_before(b.node, counts, line_reader, leads)  # the last date of a names-first run
        borrowed = not title
        if not title:
            # a bare date in a schedule: the section's heading names it (or, untitled, it may
            # still be the restatement of the event before it, merged below)
            title = shared.section(b.node, b.mention.h1)[0]
            if (bare := _without_documents(title)) != title and _THREE_LETTERS.match(bare):
                title = bare  # "Board of Trustees Minutes" heads the minutes of the board's meetings
        # a time the block leaves out may be stated once for its section or its page
        shared_times = [] if times else shared.times(b.node)
        if not times and not shared_times and has_labels and (labelled := _labelled_row(b.node, _TIME_LABEL, labels)):
            shared_times = find_times(labelled)  # "Schedule | March 4 ... / Time | 10:00 AM": the table's time
        links = _links([b.node, *run])
        for href in set(links):
            link_uses[href] += 1
        if items:  # a date heading over several meetings of that day, each at its own time, with its own link
            named = [(href, text) for href, text in _named_links([b.node, *run])
                     if any(text in line for _, _, line in items)]
            shared_links = [href for href in links if href not in {h for h, _ in named}]  # the day's (its video)
            drafts.extend(_Draft(b, item_title, line, item_times, [],
                                 [href for href, text in named if text in line] + shared_links)
                          for item_title, item_times, line in items)
            continue
        if _MEETING_KIND.match(title):
            title = f"{title} Meeting"  # "Regular": the regular meeting
        drafts.append(_Draft(b, title, own_text, times, shared_times, links, borrowed))
    _share_the_one_stated_time(drafts)
    drafts = [d for d in _merge_restatements([d for d in _without_second_copy(drafts) if not _CLOSURE.search(d.title)])
              if d.title]
    events: list[Event] = []
    regions: list[str] = []  # where each event's block stands: main content, a side widget, elsewhere
    region_memo: dict[int, str] = {}
    # (scans of the bytes: most pages name no main content or no side widget, and need no walk up)
    beside_main = any(map(page.may_contain, _MAIN_MARKS)) and any(map(page.may_contain, _SIDE_MARKS))
    page_url = urldefrag(page.url)[0]
    lowered_texts = [d.text.lower() for d in drafts]
    evidence = _list_evidence(drafts, [_evidence(d, lowered, parent_sizes, link_uses, column_heads, shared)
                                       for d, lowered in zip(drafts, lowered_texts)])
    marks_places: bool | None = None  # whether any element's class marks a place: asked once, when needed
    for d, shown, lowered in zip(drafts, evidence, lowered_texts):
        confidence = _confidence(shown)
        if confidence < _MIN_CONFIDENCE:
            continue
        start, end = _when(d.block.mention, d.times or d.shared_times)
        if end is None and isinstance(start, datetime) and len(d.times) > 1 and (cell := _end_cell(
                d.block.node, column_heads)) and (ends := find_times(cell)) and ends[0].at > start.time():
            end = datetime.combine(start.date(), ends[0].at)  # the row's "End Time" cell
        zone = _stated_zone(d.text) if d.times and isinstance(start, datetime) else None
        if zone is not None:  # a national body's "2 PM ET" read by a source in another zone
            start = start.replace(tzinfo=ZoneInfo(zone))
            end = end.replace(tzinfo=start.tzinfo) if isinstance(end, datetime) else end
        own = _own_link(d.links, link_uses, page.url, page_url)
        documents = [url for href in d.links if _DOC_LINK.search(href) and (url := absolute_url(page.url, href))][:5]
        status = _status(_without_other_months_notices(lowered, d.block.mention), d.block.mention)
        if status == SCHEDULED and _marked_cancelled(d.block.node):
            status = CANCELLED
        if status == SCHEDULED and d.block.node.tag in ("td", "th") and (row := d.block.node.parent) is not None \
                and counts[row.mem_id] == 2 and not _POSTPONED_HINT.search(lowered) \
                and _POSTPONED_HINT.search(row_text := row.text(deep=True, separator="\n").lower()):
            # a date cell whose row's other date is its meeting's new one ("Rescheduled to February 19")
            status = _status(row_text, d.block.mention)
        location, online = _place(d.text, lowered, place_cells[d.block.node.mem_id], d.title)
        if location is None and online != ONLINE and marks_places is not False \
                and (marks_places := marks_places or page.tree.css_first(_PLACE_MARKED) is not None) \
                and (marked := _marked_place(d.block.node)) is not None:
            location = split_location(clean(marked))  # a template's venue line, no venue word in it
        if location is None and online != ONLINE and (bulleted := _bulleted_place(d.text, d.title)) is not None:
            location = Location(name=bulleted)
        if location is None and not d.times:
            location = shared.place(d.block.node)  # the place the section's schedule sentence gives with its time
        if location is None and has_labels and (labelled := _labelled_row(d.block.node, _PLACE_LABEL_CELL, labels)):
            location = split_location(clean(", ".join(labelled.split("\n"))))  # its "Location | ..." row
        description = "\n".join(line for line in d.text.split("\n")
                                if line != d.title and not line_reader.generic(line))[:_MAX_DESCRIPTION]
        events.append(Event(title=d.title, start=start, end=end, description=description,
                            url=own or (documents[0] if documents else None),
                            location=location, online=online, status=status, source_format="listing", timezone=zone,
                            key=own, links=documents, confidence=round(confidence, 2)))
        regions.append(_region(d.block.node, region_memo) if beside_main else "")
    return _without_side_widgets(events, regions)
