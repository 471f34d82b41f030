"""Why a source could not be read, in one tree: what the run summary shows comes from here."""

from __future__ import annotations


class FetchError(Exception):
    """A read that failed; `reason` is what the run summary shows."""

    def __init__(self, reason: str, *, retryable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


class BlockedAddress(FetchError):
    """The URL leads to an address eventscout must not reach (SSRF guard)."""


class NotReached(Exception):
    """The run's time budget ran out before this source's turn came."""
