"""A custom feed's URL is read by the same Feed model as sources.yaml, so both accept the same things."""

from __future__ import annotations

from typing import Literal
from urllib.parse import parse_qsl

import pytest
from pydantic import Field

import eventscout.flows.web.feed_query as feed_query
from eventscout.flows.config import Feed
from eventscout.flows.web.feed_query import (MAX_LIST_VALUES, MAX_VALUES, Page, QueryError, feed_from_query, parameters,
                                             parse_query, query_string, split_page)


def test_short_names_synonyms_and_comma_lists_give_the_canonical_feed():
    feed = feed_from_query([("industry", "tech, HR"), ("industry", "Marketing"), ("city", " Atlanta, GA "),
                            ("radius_km", "25"), ("online", "no")])
    assert feed.industries == ["technology", "human-resources", "marketing"]
    assert feed.city == "Atlanta, GA" and feed.radius_km == 25 and feed.include_online is False
    assert feed.title == "Technology and Human resources and Marketing events within 25 km of Atlanta, GA"
    again = feed_from_query(q.split("=") for q in query_string(feed).replace("%2C+", ", ").split("&"))
    assert again == feed, "the canonical query reads back to the same feed"


def test_a_custom_feed_is_named_after_what_it_holds():
    feed = feed_from_query([("industry", "HR"), ("event_type", "meetup"), ("region", "GA"), ("days_ahead", "30"),
                            ("keyword", "payroll")])
    assert feed.title == "Human resources events (meetup) in GA about payroll in the next 30 days"
    assert feed_from_query([]).title == "Professional events"


def test_empty_form_fields_mean_not_set():
    feed = feed_from_query([("city", ""), ("radius_km", ""), ("industry", "")])
    assert feed.city is None and feed.radius_km == 40 and feed.industries == []
    assert query_string(feed) == ""


def test_names_that_describe_the_feed_are_not_parameters():
    for name in ("id", "title", "description"):
        with pytest.raises(QueryError, match=f"unknown parameter '{name}'"):
            feed_from_query([(name, "x")])


def test_too_many_values_are_refused():
    with pytest.raises(QueryError, match="too many parameters"):
        feed_from_query([("industry", "tech")] * 51)


def test_lists_are_bounded_after_splitting_on_commas():
    at_the_limit = ",".join(f"w{i}" for i in range(MAX_LIST_VALUES))
    assert len(feed_from_query([("keyword", at_the_limit)]).keywords) == MAX_LIST_VALUES
    with pytest.raises(QueryError, match=f"keyword: more than {MAX_LIST_VALUES} values"):
        feed_from_query([("keyword", at_the_limit + ",one-more")])
    with pytest.raises(QueryError, match=f"industry: more than {MAX_LIST_VALUES} values"):
        feed_from_query([("industry", "tech,HR")] * (MAX_LIST_VALUES // 2 + 1))


def test_a_query_string_with_too_many_parameters_is_refused_before_it_is_read():
    assert parse_query("industry=tech&city=Atlanta%2C+GA&online=") == [
        ("industry", "tech"), ("city", "Atlanta, GA"), ("online", "")]
    with pytest.raises(QueryError, match=f"use at most {MAX_VALUES}"):
        parse_query("&".join(["keyword=a"] * (MAX_VALUES + 1)))


def test_the_page_is_taken_out_of_the_query_and_checked():
    rest, page = split_page([("industry", "tech"), ("offset", "200"), ("limit", " 50 "), ("city", "")])
    assert rest == [("industry", "tech"), ("city", "")] and page == Page(offset=200, limit=50)
    assert split_page([("limit", "")])[1] == Page(), "an empty form field means the default"
    for bad in ([("limit", "0")], [("limit", "501")], [("offset", "-3")], [("offset", "²")],
                [("limit", "5"), ("limit", "6")]):
        with pytest.raises(QueryError, match=r"^(limit|offset): "):
            split_page(bad)


def test_fields_added_to_feed_later_become_parameters_by_themselves(monkeypatch):
    """Fields Feed does not have yet: a scalar with bounds, a list, a closed choice, and a mapping."""
    class LaterFeed(Feed):
        min_seats: int = Field(default=1, ge=1, le=500)
        speakers: list[str] = Field(default_factory=list)
        audience: Literal["any", "students", "executives"] = "any"
        recipe: dict[str, str] | None = None  # not simple: stays out of URLs

    added = {"min_seats", "speakers", "audience", "recipe"}
    assert not added & set(Feed.model_fields), "the test must add fields Feed does not have"
    assert not added & set(parameters())
    monkeypatch.setattr(feed_query, "Feed", LaterFeed)
    assert {"min_seats", "speakers", "audience"} <= set(parameters()) and "recipe" not in parameters()
    feed = feed_from_query([("min_seats", "30"), ("speakers", "Ada,Grace"), ("audience", "students")])
    assert (feed.min_seats, feed.speakers, feed.audience) == (30, ["Ada", "Grace"], "students")
    assert feed_from_query(q.split("=") for q in query_string(feed).split("&")) == feed
    with pytest.raises(QueryError, match="audience: Input should be 'any', 'students' or 'executives'"):
        feed_from_query([("audience", "galactic")])
    with pytest.raises(QueryError, match="min_seats: Input should be less than or equal to 500"):
        feed_from_query([("min_seats", "9999")])


def test_a_search_in_miles_with_words_days_and_a_type_keeps_its_own_canonical_query():
    feed = feed_from_query([("q", "  HR   breakfast "), ("city", "Atlanta, GA"), ("radius_mi", "25"),
                            ("from", "2026-12-01"), ("to", "2026-12-31"), ("type", "Job fair")])
    assert feed.search == "HR breakfast" and feed.event_types == ["career-fair"]
    assert abs(feed.radius_km - 40.234) < 0.001
    assert query_string(feed) == ("city=Atlanta%2C+GA&radius_mi=25&type=career-fair&q=HR+breakfast"
                                  "&from=2026-12-01&to=2026-12-31")
    assert feed_from_query(parse_qsl(query_string(feed))) == feed
    assert "within 25 mi of Atlanta, GA" in feed.title and "from 1 Dec 2026 until 31 Dec 2026" in feed.title


@pytest.mark.parametrize(("query", "reason"), [
    ([("radius_km", "40"), ("radius_mi", "25")], "give radius_km or radius_mi, not both"),
    ([("from", "2026-12-31"), ("to", "2026-12-01")], "to_date 2026-12-01 is before from_date 2026-12-31"),
    ([("from", "next week")], "from: Input should be a valid date"),
])
def test_a_search_that_cannot_be_run_says_why(query, reason):
    with pytest.raises(QueryError, match=reason):
        feed_from_query(query)
