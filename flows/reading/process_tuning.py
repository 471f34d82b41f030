"""Settings of the processes that handle a run's tens of thousands of events.

Both are process-wide by nature, so they are set by the processes that read
pages and run the flow (`eventscout.flows.reading.page_readers`, `eventscout run`), never on
import of a library module.
"""

from __future__ import annotations

import ctypes
import gc
import os

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # <malloc.h>


def keep_freed_memory() -> None:
    """Have glibc keep the memory one page's parse frees for the next page.

    A parse tree takes megabytes, freed when its page is done. By default glibc
    gives that memory back to the system at once and the next page faults it in
    again, one 4 kB page at a time: a tenth of extraction time on the corpus.
    Allocations up to 4 MB now come from the heap, and up to 64 MB of freed heap
    is kept. Elsewhere than glibc it does nothing.
    """
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError, ValueError):
        return
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)
    mallopt(_M_MMAP_THRESHOLD, 4 << 20)


_PR_SET_PDEATHSIG = 1  # <sys/prctl.h>
try:
    _prctl = ctypes.CDLL(None).prctl  # looked up now: a forked child must not load libraries
except (AttributeError, OSError):
    _prctl = None


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux; elsewhere nothing).

    A child of a run (a page-reading worker, the run's Prefect API server) must
    not outlive the run, even one killed with SIGKILL that runs no clean-up.
    Called first thing in the child (or, for `subprocess`, as its `preexec_fn`,
    which keeps across exec). The kernel watches the thread that started the
    child, so children are started from a thread that lives as long as they do.
    """
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)


def collect_garbage_less_often() -> None:
    """Freeze what is loaded so far out of the garbage collector's walks, and walk less often.

    A run allocates millions of small objects (events, their fields, parsed
    JSON) that live until it ends. With Python's default thresholds the
    collector walks the whole heap, Prefect's modules included, again and
    again while they pile up: over a second of a thousand-source run here.
    Reference cycles are still collected, less often.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
