"""The "find associations" page of `eventscout serve`, over a real socket and in headless Chromium."""

from __future__ import annotations

from html import unescape

import pytest

from tests.serving import request, running_server, shared_home
from tests.test_serve import browser  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.slow

SOURCES = """\
sources:
  - id: tag
    name: Technology Association of Georgia
    url: https://tagonline.org/events/
    industries: [technology]
    location: Atlanta, GA
feeds:
  - id: atlanta-tech
    title: Atlanta tech networking
    industries: [technology]
    city: Atlanta, GA
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("associations")
    (root / "sources.yaml").write_text(SOURCES)
    (root / "out").mkdir()
    with running_server("--sources", str(root / "sources.yaml"), "--output", str(root / "out"),
                        "--db", str(root / "store.db"), home=shared_home(tmp_path_factory)) as base:
        yield base


def _entries(html: str) -> dict[str, str]:
    """Each listed association's name and the text of its entry."""
    out = {}
    for chunk in html.split('<li class="association')[1:]:
        name = chunk.split('class="name"', 1)[1].split(">", 1)[1].split("</a>", 1)[0]
        out[unescape(name)] = unescape(chunk.split("</li>", 1)[0])
    return out


def test_the_page_lists_the_directory_for_an_industry_and_city_and_says_what_is_read(server):
    reply = request(server, "/associations?industry=technology&city=Atlanta%2C+GA")
    assert reply.status == 200 and reply.headers["content-type"] == "text/html; charset=utf-8"
    assert "etag" in reply.headers and "content-security-policy" in reply.headers
    entries = _entries(reply.text())
    assert "Already read" in entries["Technology Association of Georgia (TAG)"]
    village = entries["Atlanta Tech Village"]
    assert "Not read yet" in village and "Atlanta, GA (0 km)" in village
    assert 'eventscout sources add https://atlantatechvillage.com/ --location "Atlanta, GA"' in village
    assert 'href="https://atlantatechvillage.com/"' in village
    assert "National" in entries["CompTIA"] and "Not read yet" in entries["CompTIA"]
    assert "Colorado Technology Association" not in entries  # Denver is out of reach
    assert "American Marketing Association" not in entries  # not the industry asked for


def test_the_page_says_why_a_search_cannot_run(server):
    bad = request(server, "/associations?industry=basketweaving")
    assert bad.status == 400 and "unknown industry &#39;basketweaving&#39;" in bad.text()
    nowhere = request(server, "/associations?city=Qwxzy")
    assert nowhere.status == 400 and "cannot place the city" in nowhere.text()
    assert 'value="Qwxzy"' in nowhere.text(), "the form keeps what was typed"
    far = request(server, "/associations?city=Denver%2C+CO&radius_km=0")
    assert far.status == 400 and "between 1 and 20000 km" in far.text()


def test_in_a_browser_the_calendar_page_leads_to_the_search_and_it_fits_a_phone(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_role("link", name="Find associations").click()
    page.get_by_label("Marketing", exact=True).check()
    page.get_by_role("textbox", name="City").fill("Denver, CO")
    page.get_by_role("button", name="Find associations").click()
    page.wait_for_url("**/associations?industry=marketing*")
    names = page.locator(".association .name").all_inner_texts()
    assert "American Marketing Association" in names and "AMA Atlanta" not in names
    assert page.get_by_role("heading", name=f"{len(names)} associations").is_visible()
    assert page.locator(".association .name", has_text="American Marketing Association").get_attribute("href") \
        == "https://www.ama.org/"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling on a phone"
    context.close()
