"""Everything of eventscout's with I/O or orchestration; the pure readers are `eventscout.scrapers`.

The rooms, in the order data flows through them, and the only direction
imports may go (a room imports from rooms above it, never below or beside):

    eventscout.scrapers     bytes + URL in, Events out; imports nothing of flows
    paths, problems         where eventscout keeps its files (data_dir); the error of a file a person wrote
    knowledge/              industries, vocabulary.yaml, event types, places, zones
    config, store           sources.yaml validated; the SQLite store
    reading/                fetch, the address guard, page readers, hygiene, enrich, dedup, read
    publishing/             filters, feeds, VTIMEZONE, publish (feed candidates), explain
    orchestration/          the Prefect discovery flow, prefetch, schedule, Prefect server and env
    onboarding/ | web/      probe, association sites, sources file, check, demo | serve, feed queries
    cli/                    the `eventscout` command: commands, rendering, the run launcher

`onboarding` and `web` sit side by side and do not import each other.
`tests/test_architecture.py` fails when a module imports against this order.
"""
