"""Why a source could not be read, in one tree: what the run summary shows comes from here."""

from __future__ import annotations

from enum import StrEnum


class Cause(StrEnum):
    """What kind of failure a read met, so a run's failures can be grouped by it; the value says it plainly."""

    UNRESOLVED = "the host name could not be resolved"
    UNREACHABLE = "the host could not be connected to"
    TIMEOUT = "the site took too long"
    HTTP = "the site answered with an HTTP error"
    REFUSED = "eventscout refused the address or robots.txt disallows it"
    NO_EVENTS = "no events could be read from the page"
    OTHER = "other problems"


class FetchError(Exception):
    """A read that failed; `reason` is what the run summary shows, `cause` how it is grouped."""

    def __init__(self, reason: str, *, retryable: bool = False, retry_after: float | None = None,
                 cause: Cause = Cause.OTHER) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.cause = cause


class BlockedAddress(FetchError):
    """The URL leads to an address eventscout must not reach (SSRF guard)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, cause=Cause.REFUSED)


class NotReached(Exception):
    """The run's time budget ran out before this source's turn came."""
