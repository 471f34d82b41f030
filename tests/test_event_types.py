"""What kind of event it is, read from its words, with the reason; near-miss words do not count."""

from __future__ import annotations

import pytest

from eventscout.flows.knowledge.event_types import UnknownEventType, canonical_event_type, infer_event_types


@pytest.mark.parametrize(("title", "expected"), [
    ("SHRM Atlanta HR Leaders Breakfast", {"meetup": 'title mentions "Breakfast"'}),
    ("TAG Cybersecurity Summit 2026", {"conference": 'title mentions "Summit"'}),
    ("PMP Exam Bootcamp", {"workshop": 'title mentions "Bootcamp"'}),
    ("Employment Law Webinar", {"webinar": 'title mentions "Webinar"'}),
    ("Spring Career Fair", {"career-fair": 'title mentions "Career Fair"'}),
    ("Holiday Happy Hour", {"social": 'title mentions "Happy Hour"'}),
    ("Networking Mixer & Panel", {"meetup": 'title mentions "Networking"', "social": 'title mentions "Mixer"'}),
    # near misses: the word is part of a topic, not the kind of event
    ("Social Media Strategy for Nonprofits", {}),
    ("Social Engineering Defense", {}),
    ("Third-Party Risk Management", {}),
    ("Summitville Quarterly Update", {}),
])
def test_types_from_the_title(title, expected):
    assert dict(infer_event_types(title, "", [])) == expected


def test_categories_count_and_the_description_only_when_nothing_else_names_a_type():
    assert infer_event_types("Annual gathering", "", ["Career Fairs"]) == [("career-fair", 'category "Career Fairs"')]
    assert infer_event_types("Talent Forum", "Join a workshop after lunch.", []) == [
        ("conference", 'title mentions "Forum"')]
    assert infer_event_types("Member evening", "A practical workshop for new members.", []) == [
        ("workshop", 'description mentions "workshop"')]


@pytest.mark.parametrize(("name", "type_id"), [
    ("career fair", "career-fair"), ("Job Fair", "career-fair"), ("MEETUP", "meetup"), ("summit", "conference"),
    ("Happy hour", "social"), ("career_fair", "career-fair"),
])
def test_names_people_type_are_canonical(name, type_id):
    assert canonical_event_type(name) == type_id


def test_an_unknown_type_suggests_the_nearest():
    with pytest.raises(UnknownEventType, match=r"unknown event type 'worksop'; did you mean: workshop"):
        canonical_event_type("worksop")
