"""One fetched page, decoded and parsed at most once, shared by every reader."""

from __future__ import annotations

import codecs
import json
import re
from datetime import date, timedelta
from functools import cached_property
from typing import Any, NamedTuple

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_LENIENT_JSON = json.JSONDecoder(strict=False).decode
_MARKUP_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*)>")
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "plaintext"}
#: one query for what `Page.scripts`, `microdata_items` and `hcalendar_roots` hand out
_MARKED = "script, [itemscope], .vevent, .h-event"
#: where a site names itself
_SITE_NAMES = 'meta[property="og:site_name"], meta[name="application-name"]'
#: the starts of hrefs that lead to no page: an anchor on this one, a script, a mail or phone link
NO_PAGE_LINKS = ("#", "javascript:", "mailto:", "tel:")
_HCALENDAR_ROOT = frozenset({"vevent", "h-event"})
_NO_DEPTH = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
             "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option"}

#: deeper markup than this is flattened before parsing: no real page nests so deep, and the
#: HTML parser's cost grows faster than linearly with depth (100,000 levels take minutes)
MAX_DEPTH = 512
#: ...once a page's estimated depth passes this; below it the parser stays fast (0.2 s at
#: 10,000 levels), and real pages' estimates (which overshoot) stay under it
FLATTEN_FROM = 10_000
#: bytes checked at a time for UTF-8 validity: small pieces stay off the allocator's slow path
_CHECK_CHUNK = 16_384


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Bytes to text, surviving undeclared and wrongly declared encodings.

    A BOM wins; then bytes that are valid UTF-8 are UTF-8 whatever the header
    claims (the commonest lie), and so are bytes that are mostly UTF-8 with a
    few stray ones; then the declared charset; then cp1252 (what undeclared
    Western pages are), its five undefined bytes read as U+FFFD. Returns the
    text and the codec that read it.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(name, "replace"), name + "-bom"
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    head = body[:2048]
    declared = None
    if content_type and (m := _CT_CHARSET.search(content_type)):
        declared = _codec(m.group(1))
    if not declared and (m := _META_CHARSET.search(head) or _XML_ENCODING.search(head)):
        declared = _codec(m.group(1))
    mostly = body.decode("utf-8", "replace")
    # UTF-8 with a few stray bytes (a pasted cp1252 quote, a cut-off character) stays UTF-8:
    # valid multi-byte characters shrink the text, each bad byte adds one U+FFFD
    shrink = len(body) - len(mostly)
    if shrink >= 2 * mostly.count("\ufffd") or (declared == "utf-8" and shrink > 0):
        return mostly, "utf-8-lossy"
    if declared and declared not in ("utf-8", "ascii"):
        try:
            return body.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    return body.decode("cp1252", "replace"), "cp1252"


_NOT_OPENING = ("</", "<!", "<?", "/>", "<br", "<img", "<meta", "<link", "<input", "<hr", "<p>", "<p ", "<li",
                "<td", "<tr", "<option", "<source", "<wbr", "<col", "<area", "<base", "<embed")


def _depth_estimate(text: str | bytes, not_opening: tuple[str, ...] | tuple[bytes, ...] = ("</",),
                    chunk: int = 16_384) -> int:
    """The nesting depth at the deepest 16 kB boundary, counted in C (str.count, or bytes.count
    on UTF-8 bytes: the boundaries then fall by bytes, not characters); may overshoot.

    Depth reached and left inside one chunk goes unseen, but a chunk holds too few
    tags for that to make parsing slow. Tags that open nothing (closing tags, and
    with `_NOT_OPENING` void and self-closing ones) are discounted; an overshoot
    only costs the exact, slower scan.
    """
    depth = deepest = 0
    opening = b"<" if isinstance(text, bytes) else "<"
    for start in range(0, len(text), chunk):
        end = start + chunk
        depth += text.count(opening, start, end) - sum(text.count(t, start, end) for t in not_opening)
        deepest = max(deepest, depth)
    return deepest


def shallow_markup(text: str, max_depth: int = MAX_DEPTH) -> str:
    """`text` with the tags nested beyond `max_depth` removed (their text stays), for pages whose
    estimated depth passes FLATTEN_FROM; linear time."""
    if (text.count("<") <= FLATTEN_FROM or _depth_estimate(text) <= FLATTEN_FROM
            or _depth_estimate(text, _NOT_OPENING) <= FLATTEN_FROM):
        return text
    lower: str | None = None
    out: list[str] = []
    depth = kept_from = pos = 0
    dropped = False
    while (m := _MARKUP_TAG.search(text, pos)) is not None:
        pos = m.end()
        closing, name = m.group(1), m.group(2).lower()
        if name in _NO_DEPTH or m.group(3).endswith("/"):
            continue
        if not closing and name in _RAW_TEXT:
            lower = lower if lower is not None else text.lower()
            end = lower.find(f"</{name}", pos)
            end = -1 if end < 0 else lower.find(">", end)
            pos = len(text) if end < 0 else end + 1
            continue
        depth += -1 if closing else 1
        if depth > max_depth or (closing and depth >= max_depth):
            out.append(text[kept_from:m.start()])
            kept_from = m.end()
            dropped = True
        depth = max(depth, 0)
    if not dropped:
        return text
    out.append(text[kept_from:])
    return "".join(out)


def read_json(text: str | bytes) -> Any:
    """A JSON text's value: orjson reads strict JSON, most of what pages embed, several times faster;
    Python's lenient reader takes what orjson refuses (NaN, control characters in strings, lone
    surrogates). An integer past 64 bits comes back a float, as a browser's JavaScript reads it
    (sites write such ids as strings). Raises ValueError (or RecursionError) when neither can."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return _LENIENT_JSON(text if isinstance(text, str) else text.decode("utf-8", "replace"))


class Script(NamedTuple):
    """One inline `<script>`: what the JSON-LD, Eventbrite and Meetup readers look into."""

    type: str
    id: str
    text: str


class Page:
    """A page's bytes plus lazily computed views: text, HTML tree, JSON."""

    def __init__(self, body: bytes, url: str, content_type: str | None = None, *,
                 since: date | None = None, until: date | None = None,
                 timezone: str | None = None, recipe: dict[str, Any] | None = None,
                 max_events: int | None = None, fetched: date | None = None) -> None:
        self.body = body
        self.url = url
        self.content_type = (content_type or "").split(";")[0].strip().lower()
        self._content_type_full = content_type
        today = date.today()
        #: the window recurring events are expanded in (feeds expand, pages list as given)
        self.since = since or today
        self.until = until or today + timedelta(days=366)
        #: the source's zone, for readers that need one to read a local time (e.g. dateparser)
        self.timezone = timezone
        #: a source's declared CSS recipe, for the `recipe` reader
        self.recipe = recipe
        #: the most events wanted from the page (the soonest): readers that expand may stop there
        self.max_events = max_events
        #: what readers left out of the page on purpose, and why ("refused in part: ..."), for the run summary
        self.notes: list[str] = []
        #: the day the page was written or saved (HTTP Last-Modified, `extract --fetched`), when
        #: known: a date that leaves its year out is read as near this day, not near today
        self.fetched = fetched

    @cached_property
    def text(self) -> str:
        text, self.charset = decode(self.body, self._content_type_full)
        return text

    @cached_property
    def plain_utf8(self) -> bool:
        """Whether `text` is simply the body read as UTF-8 (valid UTF-8, no byte-order mark).

        Checked without building `text`: an HTML page in UTF-8 (most pages) goes to the
        parser as bytes, so decoding a whole big page into one string is work wasted.
        """
        if "text" in vars(self):
            return self.charset == "utf-8"
        body = self.body
        if body.isascii():
            return True
        if body.startswith(codecs.BOM_UTF8):
            return False
        checker = codecs.getincrementaldecoder("utf-8")()
        view = memoryview(body)
        try:
            for start in range(0, len(body), _CHECK_CHUNK):
                checker.decode(view[start:start + _CHECK_CHUNK])
            checker.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return True

    @cached_property
    def text_start(self) -> str:
        """``text[:4096]``, without decoding the rest when the body is plain UTF-8."""
        if "text" not in vars(self) and self.plain_utf8:
            # 4 bytes per character at most; the one character cut at the end is dropped
            return self.body[:4 * 4096 + 4].decode("utf-8", "ignore")[:4096]
        return self.text[:4096]

    @cached_property
    def head(self) -> str:
        """The first kilobytes with leading whitespace gone: enough to sniff the kind."""
        return self.text_start.lstrip("\ufeff \t\r\n").lower()

    @cached_property
    def tree(self) -> LexborHTMLParser:
        # lexbor reads UTF-8 bytes directly, which skips re-encoding the text; a page with
        # few tags, or whose estimated depth stays low, cannot nest deeply ("<" counts the same
        # in UTF-8 bytes as in text, so the estimate needs no decoding)
        if self.plain_utf8 and (self.body.count(b"<") <= FLATTEN_FROM
                                or _depth_estimate(self.body, (b"</",)) <= FLATTEN_FROM):
            return LexborHTMLParser(self.body)
        text = self.text
        shallow = shallow_markup(text)
        return LexborHTMLParser(self.body if self.charset == "utf-8" and shallow is text else shallow)

    @cached_property
    def _marked(self) -> tuple[list[Script], list[LexborNode], list[LexborNode]]:
        """The inline scripts, microdata items and hCalendar roots, found by one query and sorted
        in one pass: each query walks the whole tree, and one walk for all of them costs less than
        a walk for each."""
        scripts: list[Script] = []
        items: list[LexborNode] = []
        roots: list[LexborNode] = []
        seen: set[int] = set()
        for node in self.tree.css(_MARKED) if self.looks_like_html else ():
            if node.mem_id in seen:  # lexbor lists a node once for each selector it matches
                continue
            seen.add(node.mem_id)
            attrs = node.attributes
            if node.tag == "script" and not attrs.get("src"):
                scripts.append(Script((attrs.get("type") or "").strip().lower(), attrs.get("id") or "",
                                      node.text(deep=True)))
            if "itemscope" in attrs:
                items.append(node)
            # lexbor matched the class; in quirks mode it ignores the class's case
            if (names := attrs.get("class")) and not _HCALENDAR_ROOT.isdisjoint(names.lower().split()):
                roots.append(node)
        return scripts, items, roots

    @property
    def scripts(self) -> list[Script]:
        """The inline scripts of an HTML page, taken from the tree once for every reader."""
        return self._marked[0]

    @property
    def microdata_items(self) -> list[LexborNode]:
        """The ``itemscope`` nodes: microdata items and the scopes their properties belong to."""
        return self._marked[1]

    @property
    def hcalendar_roots(self) -> list[LexborNode]:
        """The ``vevent`` and ``h-event`` nodes."""
        return self._marked[2]

    @cached_property
    def site_name(self) -> str | None:
        """The name the site gives itself (og:site_name, else application-name), for the title check."""
        if not self.looks_like_html:
            return None
        # a query of the head, where the name nearly always is, else of the whole tree: it costs less
        # than scans of the bytes that most pages fail
        head = self.tree.head
        nodes = head.css(_SITE_NAMES) if head is not None else []
        names = {"og:site_name": "", "application-name": ""}
        for node in nodes or self.tree.css(_SITE_NAMES):
            attrs = node.attributes
            kind = "og:site_name" if attrs.get("property") == "og:site_name" else "application-name"
            if not names[kind]:
                names[kind] = " ".join((attrs.get("content") or "").split())
        return names["og:site_name"] or names["application-name"] or None

    @cached_property
    def declared_address(self) -> str | None:
        """The web address the document gives itself (<base href>, the canonical link, og:url),
        when absolute: where a page saved to a file came from, so its links resolve there."""
        if not self.looks_like_html:
            return None
        for marker, selector, attribute in ((b"<base", "base[href]", "href"),
                                            (b"canonical", 'link[rel="canonical"]', "href"),
                                            (b"og:url", 'meta[property="og:url"]', "content")):
            if marker not in self.body:  # a scan of the bytes spares a query of the whole tree
                continue
            node = self.tree.css_first(selector)
            address = (node.attributes.get(attribute) or "").strip() if node is not None else ""
            if address.startswith(("http://", "https://")) and " " not in address:
                return address
        return None

    @cached_property
    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        if not self.head.startswith(("{", "[")):
            return None
        try:
            return read_json(self.text)
        except (ValueError, RecursionError):
            return None

    def may_contain(self, marker: bytes) -> bool:
        """Whether the page's text may hold the ASCII `marker` (a class name a reader's query needs):
        one scan of the bytes, which in UTF-8 hold it as they are; a page in another encoding may."""
        return marker in self.body or not self.plain_utf8

    @property
    def looks_like_html(self) -> bool:
        h = self.head
        return h.startswith("<") and not h.startswith("<?xml") or "<html" in h or "<body" in h

    @property
    def looks_like_ical(self) -> bool:
        return self.head.startswith("begin:vcalendar")

    @property
    def looks_like_xml(self) -> bool:
        h = self.head
        return h.startswith("<?xml") or h.startswith("<rss") or h.startswith("<feed")
