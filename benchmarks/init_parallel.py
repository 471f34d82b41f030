"""`eventscout init`'s survey: associations probed in parallel vs one at a time.

Serves N small association sites on loopback (each on its own port, so the
per-host limit does not serialise them), each page answer delayed by a set
latency, and times `survey` (the probing `init` does) over a directory of them,
first with one probe at a time, then with the default parallelism, in the same
process. Prints both wall times and their ratio.

    python benchmarks/init_parallel.py --sites 16 --latency 0.2
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eventscout.flows.knowledge.directory import parse_directory  # noqa: E402
from eventscout.flows.knowledge.places import geocode  # noqa: E402
from eventscout.flows.onboarding import starter  # noqa: E402
from tests.directory_sites import ATLANTA_TECH, directory_yaml, serve_jsonld_site, servers  # noqa: E402


def delayed(server, latency: float) -> None:
    for path, route in list(server.routes.items()):
        def slow(handler, route=route):
            time.sleep(latency)
            route(handler)
        server.routes[path] = slow


def timed(matches, parallel: int) -> tuple[float, int]:
    starter.PARALLEL_PROBES = parallel
    place = geocode("Atlanta, GA")
    began = time.perf_counter()
    result = asyncio.run(starter.survey(matches, "Atlanta, GA", place, ["technology"], radius_km=80,
                                        allow_private=True))
    return time.perf_counter() - began, len(result.entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds each page answer is delayed")
    args = parser.parse_args()
    names = [f"site{i}" for i in range(args.sites)]
    with servers(*names) as running:
        for i, name in enumerate(names):
            serve_jsonld_site(running[name], f"Test Guild {i}", ATLANTA_TECH)
            delayed(running[name], args.latency)
        directory = parse_directory(directory_yaml([
            {"name": f"Test Guild {i}", "home": running[name].url + "/", "scope": "regional",
             "industries": ["technology"], "region": "Atlanta, GA"} for i, name in enumerate(names)]))
        matches = directory.matching(["technology"], geocode("Atlanta, GA"))
        default = starter.PARALLEL_PROBES
        one, added_one = timed(matches, 1)
        many, added_many = timed(matches, default)
    print(f"{args.sites} associations, {args.latency:.2f} s per page answer")
    print(f"  one probe at a time: {one:6.2f} s ({added_one} added)")
    print(f"  {default} probes at once:  {many:6.2f} s ({added_many} added)")
    print(f"  ratio: {one / many:.1f}x faster in parallel")


if __name__ == "__main__":
    main()
