"""Publishing what is stored: duplicates merged, each feed's events picked with reasons, RFC 5545 feeds written."""
