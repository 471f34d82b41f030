"""I/O and orchestration: fetching, the store, filters, feeds, the CLI and the Prefect flows."""
