"""A page-reading worker process (started by eventscout.flows.reading.page_readers): its set-up, then
one job at a time from its end of the pipe.

Its own module, apart from the pool's asyncio side, so a worker imports only
what reading needs.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection

from eventscout.flows.reading.process_tuning import collect_garbage_less_often, die_with_parent, keep_freed_memory


def warm_up() -> None:
    """Import the readers and load the gazetteer before the first page arrives."""
    keep_freed_memory()
    import eventscout.flows.reading.dedup  # noqa: F401
    import eventscout.flows.reading.enrich  # noqa: F401
    from eventscout.flows.knowledge.places import _gazetteer

    _gazetteer()
    collect_garbage_less_often()


def _serve(connection: Connection, set_up: Callable[[], None], memory_bytes: int) -> None:
    """A worker's life: limits set, readers loaded, then one page at a time until told to stop."""
    import resource

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle; it stops us
    set_up()
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    connection.send(("ready", os.getpid()))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a job it cannot unpickle (a function of the run's __main__)
            connection.send(("error", RuntimeError(f"a reading process cannot load this job: {exc}")))
            continue
        if job is None:
            return
        function, args = job
        try:
            answer = ("ok", function(*args))
        except MemoryError:
            answer = ("memory", None)
        except Exception as exc:  # noqa: BLE001 - handed to the caller, which decides
            answer = ("error", exc)
        try:
            connection.send(answer)
        except MemoryError:
            connection.send(("memory", None))
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            connection.send(("error", RuntimeError(f"{type(answer[1]).__name__}: {exc}")))
        if answer[0] == "memory":
            return  # a worker that ran out of memory may be in any state: a fresh one takes over


def main(fd: int) -> None:
    """A worker process's entry (`python -c`): its set-up comes first down the pipe on `fd`."""
    connection = Connection(fd)
    try:
        sys.path[:] = connection.recv()  # the run's, for the functions it sends (as multiprocessing does)
        set_up, memory_bytes = connection.recv()  # `warm_up`, unless a test sends another
    except (EOFError, OSError):
        return
    _serve(connection, set_up, memory_bytes)
