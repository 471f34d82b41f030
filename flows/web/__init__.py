"""The page `eventscout serve` shows: a Jinja2 template, its stylesheet and a little script."""
