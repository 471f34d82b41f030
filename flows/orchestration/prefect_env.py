"""Keep Prefect inside eventscout's own data folder, quiet and offline.

Must run before the first `import prefect`: Prefect reads its settings at import.
"""

from __future__ import annotations

import os
from pathlib import Path

from eventscout.flows.paths import data_dir


def configure_prefect(home: Path | None = None) -> None:
    """Isolate Prefect's home so a user's other Prefect projects stay untouched."""
    home = home or data_dir() / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_LOG_PRINTS": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_API_SERVICES_TRIGGERS_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
