"""What eventscout knows about the world, offline: industries, event types, places and time zones."""
