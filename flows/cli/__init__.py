"""The `eventscout` command line."""
