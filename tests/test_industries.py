"""The industry vocabulary: what users may type, and what event text says about the field."""


import pytest

from eventscout.flows.knowledge.industries import VOCABULARY, UnknownIndustry, canonical_industry, infer_industries


def ids(title: str, description: str = "", categories: list[str] | None = None) -> list[str]:
    return [industry for industry, _ in infer_industries(title, description, categories or [])]


def test_vocabulary_has_labels_and_naics_for_every_id():
    assert 25 <= len(VOCABULARY.ids) <= 35
    assert set(VOCABULARY.labels) == set(VOCABULARY.ids)
    assert VOCABULARY.labels["human-resources"] == "Human resources"
    assert VOCABULARY.naics["healthcare"] == "62"
    assert VOCABULARY.naics["entrepreneurship"] is None


@pytest.mark.parametrize("name, expected", [
    ("Project Management", "project-management"),
    ("project_management", "project-management"),
    ("PROJECT-management", "project-management"),
    ("HR", "human-resources"),
    ("hr", "human-resources"),
    ("People Operations", "human-resources"),
    ("PM", "project-management"),
    ("Media & Design", "media-and-design"),
    ("real estate", "real-estate"),
    ("Data Science", "data"),
    ("non-profit", "nonprofit"),
])
def test_canonical_industry_accepts_ids_labels_and_synonyms(name, expected):
    assert canonical_industry(name) == expected


def test_unknown_industry_names_the_input_and_suggests_near_ids():
    with pytest.raises(UnknownIndustry) as raised:
        canonical_industry("markting")
    assert "'markting'" in str(raised.value)
    assert "marketing" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_reasons_say_where_and_what_was_found():
    found = infer_industries("Digital Marketing Breakfast", "", [])
    assert found == [("marketing", 'title mentions "Digital Marketing"')]
    assert infer_industries("Monthly Meetup", "", ["Human Resources"]) == [
        ("human-resources", 'category "Human Resources"')]
    assert infer_industries("Lunch", "Earn 2 CPE credits.", []) == [
        ("accounting", 'description mentions "CPE credits"')]


@pytest.mark.parametrize("title, expected", [
    ("Three ways to grow your team", []),                  # "HR" inside "three"
    ("SHRM Atlanta: HR Leaders Roundtable", ["human-resources"]),
    ("Thrive with hr software", ["technology"]),            # lower-case "hr" is not HR
    ("Networking 6 PM - 8 PM", []),                         # a time, not project management
    ("Mixer, 5:30 PM to 7:30 PM ET", []),
    ("Ask a PM: schedules and budgets", ["project-management"]),
    ("PMI Chapter Meeting: 2 PDUs", ["project-management"]),
    ("MAKE IT COUNT: YEAR-END SOCIAL", []),                 # shouting "IT" is the word
    ("IT Leaders Forum", ["technology"]),
    ("Is it worth it?", []),
    ("AI for Accountants", ["technology", "accounting"]),
    ("Maintain your Gmail inbox", []),                      # "AI" inside a word
    ("Marketplace tour", []),                               # near miss for "market"
    ("Taxation update", ["accounting"]),
    ("Social engineering attacks", ["cybersecurity"]),     # the longer phrase wins over "engineering"
    ("Structural engineering forum", ["engineering"]),
    ("Nonprofit board governance", ["nonprofit"]),
    ("Not-for-profit finance", ["nonprofit", "finance"]),
    ("Women in Tech happy hour", ["technology"]),
])
def test_title_keywords_with_near_misses(title, expected):
    assert ids(title) == expected


def test_ignored_phrases_hide_their_keywords():
    assert ids("Lunch and Learn", "Held at Georgia Tech; 1 continuing education credit.") == []


def test_keywords_match_across_line_breaks_and_plurals():
    assert ids("", "for digital\nmarketing leads and product managers") == ["marketing", "product-management"]


def test_one_industry_once_with_its_first_reason():
    found = infer_industries("Marketing Mixer", "More marketing. And marketers.", ["Marketing"])
    assert found == [("marketing", 'title mentions "Marketing"')]
