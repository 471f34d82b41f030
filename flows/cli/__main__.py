"""`python -m eventscout.flows.cli`: the `eventscout` command, for subprocesses that need no console script."""

from eventscout.flows.cli.commands import app

app()
