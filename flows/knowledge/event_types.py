"""What kind of event it is (conference, meetup, workshop, webinar, career fair, social), and why.

The types are the `event_types:` section of vocabulary.yaml, read with the
same whole-word matcher as the industries. The title and categories say what
an event is; its description is read only when they name no type, because
descriptions mention other events ("after the workshop, join our mixer").
"""

from __future__ import annotations

from dataclasses import dataclass

from eventscout.flows.knowledge.industries import KeywordMatcher, _name_key, nearest_ids, vocabulary_data


class UnknownEventType(ValueError):
    """A name that is neither an event type id, its label nor one of its synonyms."""


@dataclass(frozen=True, slots=True)
class EventType:
    id: str
    label: str
    synonyms: tuple[str, ...]
    keywords: tuple[str, ...]


class EventTypes:
    """The event types of vocabulary.yaml, with the name table and matcher built once."""

    def __init__(self, data: dict) -> None:
        self.types = {type_id: EventType(type_id, entry["label"], tuple(entry.get("synonyms") or ()),
                                         tuple(entry.get("keywords") or ()))
                      for type_id, entry in data["types"].items()}
        self._names: dict[str, str] = {}
        for kind in self.types.values():
            for name in (kind.id, kind.label, *kind.synonyms):
                self._names[_name_key(name)] = kind.id
        self._matcher = KeywordMatcher({k.id: k.keywords for k in self.types.values()},
                                       ignore=data.get("ignore") or ())

    def canonical(self, name: str) -> str:
        found = self._names.get(_name_key(name))
        if found:
            return found
        nearest = nearest_ids(self._names, name)
        raise UnknownEventType(f"unknown event type {name!r}; did you mean: {', '.join(nearest)}? "
                               f"(the types are {', '.join(self.types)})")

    def infer(self, title: str, description: str, categories: list[str]) -> list[tuple[str, str]]:
        reasons: dict[str, str] = {}
        for type_id, written in self._matcher.find(title or ""):
            reasons.setdefault(type_id, f"title mentions {_quote(written)}")
        for category in categories or ():
            named = self._names.get(_name_key(category))
            if named:
                reasons.setdefault(named, f"category {_quote(category)}")
                continue
            for type_id, written in self._matcher.find(category):
                reasons.setdefault(type_id, f"category {_quote(category)} mentions {_quote(written)}")
        if not reasons:
            for type_id, written in self._matcher.find(description or ""):
                reasons.setdefault(type_id, f"description mentions {_quote(written)}")
        return list(reasons.items())


def _quote(text: str) -> str:
    return '"' + " ".join(text.split()) + '"'


def _load() -> EventTypes:
    return EventTypes(vocabulary_data()["event_types"])


EVENT_TYPES = _load()


def canonical_event_type(name: str) -> str:
    """The type id for an id, label or synonym ("Job fair" → career-fair); else `UnknownEventType`."""
    return EVENT_TYPES.canonical(name)


def infer_event_types(title: str, description: str, categories: list[str]) -> list[tuple[str, str]]:
    """The types an event is, each with the first reason found (title, categories, then description)."""
    return EVENT_TYPES.infer(title, description, categories)
