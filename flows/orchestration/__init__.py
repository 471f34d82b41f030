"""Running discovery on Prefect: the flow, its own API server, schedules, and reading begun before Prefect is up."""
