from eventscout.scrapers.links import follow_links
from tests.pages import page


def test_listing_without_structured_events_offers_its_detail_pages():
    links = follow_links(page("listing_links.html"))
    assert links[0] == "https://assoc.example/events/page/2/"
    assert "https://assoc.example/events/?ical=1" in links
    details = [l for l in links if "ical" not in l and "/page/" not in l]
    assert details == ["https://assoc.example/events/spring-gala/", "https://assoc.example/events/golf-2024/"]


def test_pages_with_structured_events_offer_no_detail_pages():
    assert follow_links(page("jsonld_mixed.html")) == []


def test_detail_links_are_bounded():
    body = "".join(f'<a href="/event/e{i}/">e</a>' for i in range(100)).encode()
    from eventscout.scrapers import Page
    assert len(follow_links(Page(b"<html><body>" + body, "https://a.example/events/"))) == 20
