"""Adding and checking sources: probing an association's site, editing the sources file, the demo sites."""
