"""The "find associations" page of `eventscout serve`: the directory, filtered by industry and city.

Each entry links its home page and says whether the sources file already reads
it, and if not, the one command that adds it. Only GET is served, the query is
bounded, and every value reaches the page through Jinja2's escaping.
"""

from __future__ import annotations

from functools import cache
from typing import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from eventscout.flows.config import Config
from eventscout.flows.knowledge.directory import DEFAULT_RADIUS_KM, Directory, is_read_by, load_directory
from eventscout.flows.knowledge.industries import VOCABULARY
from eventscout.flows.knowledge.places import Place, geocode
from eventscout.flows.web.feed_query import MAX_VALUE_LENGTH, MAX_VALUES, industry_choices
from eventscout.flows.web.server import _TEMPLATES, entity

PATH = "/associations"


class DirectoryQueryError(ValueError):
    """A search the page cannot run; the message says which field and why."""


@cache
def shipped_directory() -> Directory:
    return load_directory()


def associations_route(config: Callable[[], Config], directory: Callable[[], Directory] = shipped_directory) -> Route:
    """The page's route, reading the sources file through `config` on each request (it may change)."""

    def page(request: Request) -> Response:
        params = request.query_params
        form = {"industries": params.getlist("industry")[:MAX_VALUES], "city": params.get("city", "")[:MAX_VALUE_LENGTH],
                "radius_km": params.get("radius_km", "")[:20]}
        status, error, matches = 200, None, []
        try:
            industries, place, radius = _search(form)
            matches = directory().matching(industries, place, radius)
        except DirectoryQueryError as exc:
            status, error = 400, str(exc)
        read = [s.url for s in config().sources]
        rows = [{"match": m, "read": is_read_by(m.association, read),
                 "labels": [VOCABULARY.labels[i] for i in m.association.industries]} for m in matches]
        body = _TEMPLATES.get_template("associations.html").render(
            rows=rows, form=form, error=error, industries=industry_choices(), default_radius=int(DEFAULT_RADIUS_KM),
            searched=bool(params))
        return entity(request, body.encode("utf-8"), "text/html; charset=utf-8", kind="page", status=status)

    return Route(PATH, page, methods=["GET"])


def _search(form: dict) -> tuple[list[str], Place | None, float]:
    unknown = [i for i in form["industries"] if i not in VOCABULARY.labels]
    if unknown:
        raise DirectoryQueryError(f"unknown industry {unknown[0]!r}; pick one from the list")
    place = None
    if form["city"].strip():
        place = geocode(form["city"])
        if place is None:
            raise DirectoryQueryError(f"cannot place the city {form['city']!r}; write it as 'City, ST', e.g. 'Denver, CO'")
    radius = DEFAULT_RADIUS_KM
    if form["radius_km"].strip():
        try:
            radius = float(form["radius_km"])
        except ValueError:
            raise DirectoryQueryError(f"the distance {form['radius_km']!r} is not a number of km") from None
        if not 1 <= radius <= 20_000:
            raise DirectoryQueryError("the distance must be between 1 and 20000 km")
    return form["industries"], place, radius
