"""A reading function for tests/test_page_readers.py: module-level, so worker processes can import it."""

import os


def double_or_die(value: str) -> str:
    if value == "die":
        os._exit(3)  # what a segfaulting parser does to its process
    return value * 2


def fail_to_start() -> None:
    """A worker initializer that kills the worker, as on a platform where workers cannot run."""
    os._exit(4)


def spin_forever(value: str) -> str:
    """A reader caught in a loop, as on a hostile page: only killing its process stops it."""
    while True:
        value = value[::-1]


def allocate(megabytes: int) -> int:
    """A reader that builds a huge structure, as a decompression or expansion bomb makes it."""
    return len(bytearray(megabytes * 1024 * 1024))


def _refuse_to_load() -> None:
    raise ValueError("this job cannot be rebuilt here")


class Unloadable:
    """An argument the reading process cannot unpickle, as a function of the run's `__main__` is."""

    def __reduce__(self):
        return (_refuse_to_load, ())
