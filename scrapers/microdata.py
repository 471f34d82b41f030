"""schema.org microdata events (``itemscope itemtype=".../Event"``), any Event subtype.

Items become the same nested dicts JSON-LD gives, so `eventscout.scrapers.schemaorg`
reads both. Hidden markup counts (sites often hide the machine-readable
copy); ``content``/``datetime``/``href`` attributes win over visible text.
"""

from __future__ import annotations

from typing import Any

from selectolax.lexbor import LexborNode

from eventscout.scrapers.event import Event
from eventscout.scrapers.page import Page
from eventscout.scrapers.schemaorg import events_from_nodes, is_event_type

__all__ = ["read", "item_properties"]

_SRC_TAGS = {"img", "audio", "video", "source", "iframe", "embed", "track"}
_HREF_TAGS = {"a", "link", "area"}
_MAX_DEPTH = 6
_MAX_PROPS = 500
#: item id -> its property nodes
_Index = dict[int, list[LexborNode]]


def _value(node: LexborNode, depth: int, scopes: set[int], index: _Index | None,
           attrs: dict[str, str | None]) -> Any:
    """A property's value; `attrs`: the node's attributes, which the caller has read already."""
    if "itemscope" in attrs:
        return item_properties(node, depth + 1, scopes, index)
    if attrs.get("content") is not None:
        return attrs["content"]
    tag = node.tag
    if tag in _HREF_TAGS:
        return attrs.get("href") or ""
    if tag in _SRC_TAGS:
        return attrs.get("src") or ""
    if tag == "time" and attrs.get("datetime"):
        return attrs["datetime"]
    if tag in ("data", "meter") and attrs.get("value") is not None:
        return attrs["value"]
    if tag == "object":
        return attrs.get("data") or ""
    return node.text(deep=True, separator=" ")


def _owner(node: LexborNode, scopes: set[int]) -> int | None:
    """The id of the nearest enclosing item of a property node (`scopes`: the items' ids)."""
    parent = node.parent
    while parent is not None:
        mem_id = parent.mem_id
        if mem_id in scopes:
            return mem_id
        parent = parent.parent
    return None


def _scope_ids(root: LexborNode | None) -> set[int]:
    """The ids of the ``itemscope`` nodes under `root` (itself included)."""
    return set() if root is None else {node.mem_id for node in root.css("[itemscope]")}


def _properties_by_item(page_root: LexborNode, scopes: set[int]) -> _Index | None:
    """Every property node of a page under the id of its item, in page order: one query
    for all items. None when the page has more than `_MAX_PROPS` of them (then each item
    queries its own, as many as that bound lets it)."""
    nodes = page_root.css("[itemprop]")
    if len(nodes) > _MAX_PROPS:
        return None
    index: _Index = {}
    for node in nodes:
        owner = _owner(node, scopes)
        if owner is not None:
            index.setdefault(owner, []).append(node)
    return index


def item_properties(item: LexborNode, depth: int = 0, scopes: set[int] | None = None,
                    index: _Index | None = None) -> dict[str, Any]:
    """One item as ``{"@type": ..., prop: [values...]}``; nested items become nested dicts.

    `scopes`: the ids of the page's ``itemscope`` nodes, and `index`: its property nodes
    by item (`_properties_by_item`), when the caller has them already.
    """
    props: dict[str, Any] = {"@type": item.attributes.get("itemtype") or ""}
    if depth > _MAX_DEPTH:
        return props
    if scopes is None:
        scopes = _scope_ids(item)
    me = item.mem_id
    scopes.add(me)
    if index is not None:
        nodes = index.get(me, [])
    else:
        nodes = [node for node in item.css("[itemprop]")[:_MAX_PROPS]
                 if node.mem_id != me and _owner(node, scopes) == me]
    for node in nodes:
        attrs = node.attributes
        names = (attrs.get("itemprop") or "").split()
        if not names:
            continue
        value = _value(node, depth, scopes, index, attrs)
        for name in names:
            name = name.rstrip("/").rsplit("/", 1)[-1]
            props.setdefault(name, []).append(value)
    return props


def read(page: Page) -> list[Event]:
    """The microdata events on a page (cheap no-op when the page has no items)."""
    if not page.looks_like_html:
        return []
    # the items, and every scope their properties may belong to, from the page's shared query
    scope_nodes = page.microdata_items
    items = [node for node in scope_nodes if is_event_type(node.attributes.get("itemtype"))]
    if not items:
        return []
    root = page.tree.root
    scopes = {node.mem_id for node in scope_nodes}
    index = _properties_by_item(root, scopes) if root is not None else None
    return events_from_nodes([item_properties(item, scopes=scopes, index=index) for item in items], page,
                             "microdata")
