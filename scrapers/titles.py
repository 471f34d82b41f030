"""Is this text an event's title? One check that every reader shares.

Pages and platform data put many things where a title belongs: a price
("$25.00", "Free"), a date or time, the text of a page control ("Read more",
"Register"), a document link ("Agenda", "Minutes", "Agenda packet"), or the
site's own name repeated on every card. `title_problem` names what a text is
instead of a title; `best_title` picks the first candidate that passes, so a
reader hands over every text that could be the title, in its order of trust.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: controls, document links and labels: a text made only of these words is no title
_NOT_A_TITLE = re.compile(
    r"^(?:(?:view|download|read|see|open|meeting|board|final|draft|approved|revised|amended|"
    r"supplemental|additional|new)\s+)*"
    r"(?:agenda|agendas|minutes|video|audio|summary|notice|packet|agenda packet|details|transcripts?|"
    r"recording|recorded meeting|meeting recording|watch(?: the)? (?:video|meeting|live(?:stream)?)|"
    r"materials|documents?|files?|attachments?|presentation|slides|(?:the\s+)?minutes|"
    r"agenda\s*(?:&|and|/)\s*minutes|minutes\s*(?:&|and|/)\s*agenda|(?:supplemental\s+)?materials?|"
    r"more|read more|learn more|show more|see more|load more|view more|show all|view all|see all|"
    r"view details|view event|event details|download|pdf|register|register now|register here|rsvp|"
    r"buy tickets?|get tickets?|tickets?|book now|sign up|join|join now|subscribe|"
    r"cancelled|canceled|cancellation|(?:postponed|rescheduled|moved|date changed)(?: to| until| for)?|"
    r"new date|tbd|tba|date|time|location|where|when|"
    r"no (?:\w+ ){0,2}?meetings?|starts?|begins?|ends?|(?:start|end) (?:date|time)|"
    r"event|events|calendar|upcoming|upcoming events|add to calendar|more info|info|click here|here|"
    r"date and time|recurring|all[ -]day|\d+ events?|more events|(?:get |driving )?directions|"
    r"(?:larger )?map|added by|share|print|tweet|email|next|previous|prev|back|close|menu|search|"
    r"sold out|free|online|virtual|in person|in-person|share (?:on|via|by|to) \w+|copy link(?: to clipboard)?|"
    r"posted|posted on|last updated|updated|new|"
    r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"am|pm|a\.m\.|p\.m\.|at|and|to|from|through|\W*)[\s.:!»›>]*$", re.I)
#: a price or a price range: "$25", "USD 10.00", "€5 – €15", "Free - $20", "From $15"
_PRICE = re.compile(
    r"^(?:from\s+|starting at\s+)?(?:free|(?:[$€£¥]|usd|eur|gbp|cad)\s?\d[\d,]*(?:\.\d\d)?(?:\s?(?:usd|eur|gbp|cad))?"
    r"|\d[\d,]*(?:\.\d\d)?\s?(?:usd|eur|gbp|cad|[$€£]))"
    r"(?:\s*[-–—/]\s*(?:free|(?:[$€£¥]|usd|eur|gbp|cad)?\s?\d[\d,]*(?:\.\d\d)?(?:\s?(?:usd|eur|gbp|cad))?))*"
    r"\s*(?:\+\s*fees?|plus fees?)?$", re.I)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:thurs|thur|tues|mon|tue|wed|thu|fri|sat|sun)(?:day|nesday|urday)?\.?"
_TIME = r"\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?)?"
#: nothing but a date, a time or a range of them: "Thursday, March 5, 2026 6:00 PM - 8:00 PM".
#: The repetition is possessive (each piece read once, longest form first): a plain one tries
#: every way of cutting a run of numbers ("12 1 2 3 ... 31 a", a calendar row) and takes minutes
_DATE_ONLY = re.compile(
    rf"^(?:{_WEEKDAY}|{_MONTH}|\d{{1,2}}(?:st|nd|rd|th)|{_TIME}|\d{{1,4}}|noon|midnight|of|at|from|to|until|"
    r"through|thru|and|[,/.\-–—:|@()*]|\s)++$", re.I)
#: the label of a table's column: names what the cells below hold, not one event
_COLUMN_LABEL = re.compile(r"^(?:meetings?|meeting (?:date|name|type|body)|name|title|description|type|"
                           r"category|body|day|days|month|year|week|weekday|day of week)[\s.:]*$", re.I)
#: the label over a list of dates, not a meeting's name: "2027 Meeting Dates", "Meeting Schedule"
_SCHEDULE_LABEL = re.compile(r"^(?:\d{4}\s+)?(?:regular\s+|upcoming\s+|future\s+)?(?:(?:meetings?\s+)?"
                             r"(?:dates?|schedules?|calendar|times?)(?:\s*(?:&|and|/)\s*(?:times?|locations?|places?))?|"
                             r"meetings)(?:\s*[(:-]?\s*\d{4}\)?)?[\s.:]*$", re.I)
SCHEDULE_LABEL = "the label of a schedule"
CONTROL_ROW = "a row of page controls or tabs"
_ADDRESS = re.compile(r"^(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$|^(?:https?://|www\.)\S+$", re.I)
_LETTERS = re.compile(r"(?:[^\W\d_][^\W\d_]*)")


def title_problem(text: str, *, site_name: str | None = None) -> str | None:
    """Why `text` is not an event's title ("a price", "a date", "a page control"...), or None when it is one."""
    stripped = text.strip()
    if not stripped:
        return "empty"
    if not any(c.isalnum() for c in stripped):
        return "no words"
    if _PRICE.match(stripped):
        return "a price"
    if _DATE_ONLY.match(stripped):
        return "a date or time"
    if not _LETTERS.search(stripped):
        return "no words"
    if _ADDRESS.match(stripped):
        return "an e-mail or web address"
    if _NOT_A_TITLE.match(stripped):
        return "a page control or document link"
    if _all_controls(stripped):
        return CONTROL_ROW
    if _COLUMN_LABEL.match(stripped):
        return "a column label"
    if _SCHEDULE_LABEL.match(stripped):
        return SCHEDULE_LABEL
    if site_name and _folded(stripped) == _folded(site_name):
        return "the site's own name"
    return None


#: what separates the labels of a row of controls or tabs read as one text ("Agendas | Minutes")
_CONTROL_SEPARATOR = re.compile(r"\s*(?:[|/,&•·]|\band\b)\s*|\s+", re.I)


def _all_controls(text: str) -> bool:
    """Whether a short text is two or more control or document words side by side ("Agendas
    Minutes", "Agenda | Packet | Video"): tab labels, not a name."""
    if len(text) > 60:
        return False
    first = _CONTROL_SEPARATOR.split(text, maxsplit=1)
    if len(first) < 2 or first[0] and not _NOT_A_TITLE.match(first[0]):
        return False  # one word, or a first word that is no control (most titles): no need to split it all
    parts = [part for part in _CONTROL_SEPARATOR.split(text) if part]
    return len(parts) >= 2 and all(_NOT_A_TITLE.match(part) for part in parts)


def is_title(text: str, *, site_name: str | None = None) -> bool:
    return title_problem(text, site_name=site_name) is None


def best_title(candidates: Iterable[str | None], *, site_name: str | None = None) -> str:
    """The first candidate that is a title, or "" when none is."""
    for candidate in candidates:
        if candidate and is_title(candidate, site_name=site_name):
            return candidate.strip()
    return ""


def repeated_name(titles: list[str], *, at_least: int = 3) -> str | None:
    """A title that most records share (the site's or organiser's name put on every card), if any.

    Distinct events rarely share a title on one page; when more than half of
    three or more records carry the same one, it names the site, not them.
    """
    if len(titles) < at_least:
        return None
    counts = Counter(_folded(t) for t in titles if t)
    if not counts:
        return None
    name, count = counts.most_common(1)[0]
    if count * 2 > len(titles):
        return next(t for t in titles if t and _folded(t) == name)
    return None


def distinct_titles(candidates: list[list[str]], *, site_name: str | None = None) -> list[str]:
    """Each record's title, from its candidate texts in order of trust.

    A candidate that fails `title_problem` gives way to the next. When most records
    share one title and they all offer another that differs (a page's JSON naming the
    site on every event, its real names one field over), the other one is their title;
    a shared title with nothing better beside it stays (a monthly meeting is its name).
    """
    firsts = [best_title(c, site_name=site_name) for c in candidates]
    shared = repeated_name(firsts)
    if shared is None:
        return firsts
    folded = _folded(shared)
    others = [best_title([c for c in cands if _folded(c) != folded], site_name=site_name) for cands in candidates]
    if all(others) and repeated_name(others) is None:
        return others
    return firsts


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$", re.I)


def title_from_url(url: str) -> str:
    """A title out of the last words-like segment of a URL ("/events/spring-mixer" → "Spring Mixer"),
    for a record whose every title field failed the check; "" when the URL has none."""
    path = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    segment = path.rsplit("/", 1)[-1]
    segment = re.sub(r"\.(?:html?|php|aspx?)$", "", segment, flags=re.I)
    if not _SLUG.match(segment):
        return ""
    words = [w for w in re.split(r"[-_]", segment) if w]
    if sum(w.isalpha() for w in words) < 2 or all(w.isdigit() for w in words[-1:]) and len(words) < 3:
        return ""
    title = " ".join(w if not w.isalpha() else w.capitalize() for w in words)
    return title if is_title(title) else ""
