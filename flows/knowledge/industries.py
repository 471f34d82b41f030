"""The controlled vocabulary of industries, and finding them in an event's words.

`vocabulary.yaml` is the one place the industries are defined. This module
turns what a user types ("HR", "Project Management") into an id, and reads an
event's title, categories and description for the fields it is meant for,
saying why for each, so a feed can be filtered and the choice explained.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")

#: Acronyms that are also English words: in text written all in capitals they
#: cannot be told apart from the word ("MAKE IT COUNT"), so they are skipped there.
_WORDLIKE_ACRONYMS = frozenset({"IT", "SCORE", "CREW", "STEM", "CAD", "NAM", "BI", "SOC", "IMA", "IMC"})
#: Acronyms that after a number are a unit or a time ("6 PM", "1 HR"), not the field.
_UNIT_ACRONYMS = frozenset({"PM", "HR"})
_NUMBER_BEFORE = re.compile(r"\d(?:[:.]\d\d)?\s*$")
_SEPARATORS = re.compile(r"[\s_\-/]+")


class UnknownIndustry(ValueError):
    """A name that is neither an industry id, its label nor one of its synonyms."""


@dataclass(frozen=True, slots=True)
class Industry:
    id: str
    label: str
    naics: str | None
    synonyms: tuple[str, ...]
    keywords: tuple[str, ...]


class Vocabulary:
    """The industries of `vocabulary.yaml`, with the lookup tables and patterns built once."""

    def __init__(self, data: dict) -> None:
        self.industries: dict[str, Industry] = {}
        for industry_id, entry in data["industries"].items():
            self.industries[industry_id] = Industry(
                id=industry_id,
                label=entry["label"],
                naics=entry.get("naics"),
                synonyms=tuple(entry.get("synonyms") or ()),
                keywords=tuple(entry.get("keywords") or ()),
            )
        self.ids: tuple[str, ...] = tuple(self.industries)
        self.labels: dict[str, str] = {i.id: i.label for i in self.industries.values()}
        self.naics: dict[str, str | None] = {i.id: i.naics for i in self.industries.values()}
        self._names = self._name_table()
        self._matcher = KeywordMatcher(
            {i.id: i.keywords for i in self.industries.values()}, ignore=data.get("ignore") or ()
        )

    def _name_table(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for industry in self.industries.values():
            for name in (industry.id, industry.label, *industry.synonyms):
                key = _name_key(name)
                if names.get(key, industry.id) != industry.id:
                    raise ValueError(f"vocabulary: {name!r} names both {names[key]} and {industry.id}")
                names[key] = industry.id
        return names

    def lookup(self, name: str) -> str | None:
        """The id `name` names, or None (without the cost of suggesting near ids)."""
        return self._names.get(_name_key(name))

    def canonical(self, name: str) -> str:
        found = self.lookup(name)
        if found:
            return found
        suggestion = ", ".join(nearest_ids(self._names, name))
        raise UnknownIndustry(f"unknown industry {name!r}; did you mean: {suggestion}?")

    def find(self, text: str) -> list[tuple[str, str]]:
        return self._matcher.find(text)


def nearest_ids(names: dict[str, str], name: str, count: int = 3) -> list[str]:
    """The ids whose names are closest to `name` (normalised name -> id), for "did you mean"."""
    nearest: list[str] = []
    for key, _, _ in process.extract(_name_key(name), list(names), scorer=fuzz.WRatio, limit=8):
        if names[key] not in nearest:
            nearest.append(names[key])
    return nearest[:count]


def _name_key(name: str) -> str:
    """`Project Management`, `project_management`, `PROJECT-management` → `project-management`."""
    return _SEPARATORS.sub("-", name.replace("&", " and ").casefold().strip())


class KeywordMatcher:
    """One compiled pattern for every keyword, so an event is read in one pass per field.

    Keywords become a character trie turned into a regex (alternation with
    shared prefixes, longest first), so the cost per character does not grow
    with the number of keywords; phrases are tried before acronyms, so "CPE
credit" wins over "CPE". Acronyms (capitals only, at most five letters)
    match only as written; everything else ignores case. A plural "s" is allowed.
    """

    def __init__(self, keywords: dict[str, Iterable[str]], ignore: Iterable[str] = ()) -> None:
        self._folded: dict[str, list[str]] = {}
        self._exact: dict[str, list[str]] = {}
        for industry_id, words in keywords.items():
            for word in words:
                table, key = (self._exact, word) if _is_acronym(word) else (self._folded, _fold(word))
                if industry_id not in table.setdefault(key, []):
                    table[key].append(industry_id)
        for phrase in ignore:
            self._folded[_fold(phrase)] = []
        folded = _trie_pattern(list(self._folded))
        exact = _trie_pattern(list(self._exact))
        self._pattern = re.compile(
            rf"(?<![\w&])(?:(?P<folded>(?i:{folded}))|(?P<exact>{exact}))(?:'?s)?(?![\w&])"
        )

    def find(self, text: str) -> list[tuple[str, str]]:
        """(industry id, keyword as written) for each keyword found, in text order."""
        found: list[tuple[str, str]] = []
        if not text:
            return found
        shouting = text.upper() == text
        for match in self._pattern.finditer(text):
            written = match.group(0)
            if match.group("exact") is not None:
                acronym = match.group("exact")
                if shouting and acronym in _WORDLIKE_ACRONYMS:
                    continue
                if acronym in _UNIT_ACRONYMS and _NUMBER_BEFORE.search(text, max(0, match.start() - 12), match.start()):
                    continue
                industries = self._exact.get(acronym, [])
            else:
                key = _fold(match.group("folded"))
                industries = self._folded.get(key, [])
            found.extend((industry_id, written) for industry_id in industries)
        return found


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return " " not in word and word.isupper() and len(letters) <= 5


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _trie_pattern(words: list[str]) -> str:
    """A regex matching exactly `words`, preferring the longest; spaces match any white space."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie) if trie else "(?!)"


def _node_pattern(node: dict) -> str:
    ends_here = "" in node
    branches = [(r"\s+" if char == " " else re.escape(char)) + _node_pattern(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return f"(?:{body})?"
    return body


@cache
def vocabulary_data() -> dict:
    """vocabulary.yaml, parsed once for the industries and the event types (with libyaml's parser
    when PyYAML has it: every reading process loads it before its first page)."""
    with VOCABULARY_FILE.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _load() -> Vocabulary:
    return Vocabulary(vocabulary_data())


VOCABULARY = _load()


def canonical_industry(name: str) -> str:
    """The industry id for an id, label or synonym in any case or separator; else `UnknownIndustry`."""
    return VOCABULARY.canonical(name)


def canonical_industries(names: Iterable[str]) -> list[str]:
    """Each name's industry id, once each, in the order given (sources.yaml and probe write lists)."""
    return list(dict.fromkeys(canonical_industry(name) for name in names))


def infer_industries(title: str, description: str, categories: list[str]) -> list[tuple[str, str]]:
    """The industries an event is for, each with the first reason found (title, categories, description)."""
    reasons: dict[str, str] = {}
    for industry_id, written in VOCABULARY.find(title or ""):
        reasons.setdefault(industry_id, f"title mentions {_quote(written)}")
    for category in categories or ():
        named = VOCABULARY.lookup(category)
        if named:
            reasons.setdefault(named, f"category {_quote(category)}")
            continue
        for industry_id, written in VOCABULARY.find(category):
            reasons.setdefault(industry_id, f"category {_quote(category)} mentions {_quote(written)}")
    for industry_id, written in VOCABULARY.find(description or ""):
        reasons.setdefault(industry_id, f"description mentions {_quote(written)}")
    return list(reasons.items())


def _quote(text: str) -> str:
    return '"' + " ".join(text.split()) + '"'
