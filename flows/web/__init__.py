"""`eventscout serve`: feeds, custom feeds and the page to find events, over HTTP."""
