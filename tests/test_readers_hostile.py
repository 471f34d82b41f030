"""Any bytes into the structured readers: they must never raise and never hang."""

from hypothesis import HealthCheck, given, settings, strategies as st

from eventscout.scrapers import Page, extract, hcalendar, jsonld, microdata, recipe, tribe
from eventscout.scrapers.links import follow_links
from tests.pages import FIXTURES
from tests.support import assert_well_formed

SEEDS = [p.read_bytes() for p in sorted(FIXTURES.glob("*")) if p.is_file()]
RECIPE = {"event": ".ev", "title": "h3", "link": "a@href", "start": ".date", "location": ".venue"}


def _mutate(seed: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(seed)
    for pos, length, junk in cuts:
        pos %= max(len(data), 1)
        data[pos:pos + length] = junk
    return bytes(data)


mutated = st.builds(_mutate, st.sampled_from(SEEDS),
                    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 40), st.binary(max_size=20)),
                             max_size=6))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated, st.binary(max_size=2000)))
def test_mutated_pages_never_raise(body):
    # the readers themselves, not extract_page (which would swallow their exceptions)
    page = Page(body, "https://assoc.example/events/", recipe=RECIPE)
    for reader in (jsonld.read, microdata.read, hcalendar.read, tribe.read, recipe.read, follow_links):
        assert isinstance(reader(page), list)
    assert_well_formed(extract(body, "https://assoc.example/events/"))


def test_deeply_nested_json_ld_does_not_blow_the_stack():
    body = (b'<script type="application/ld+json">' + b'{"a":[' * 5000 + b"1" + b"]}" * 5000 + b"</script>")
    assert jsonld.read(Page(body, "https://a.example/")) == []
