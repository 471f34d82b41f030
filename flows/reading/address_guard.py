"""The address guard: which IP addresses eventscout may connect to (its SSRF defence).

Only public addresses are read unless private ones are allowed; link-local
(cloud metadata services), multicast and unspecified stay refused either way.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from collections.abc import Awaitable, Callable

from eventscout.flows.reading.errors import BlockedAddress

#: host, port -> the addresses it resolves to (tests inject their own)
Resolver = Callable[[str, int], Awaitable[list[str]]]


def allow_private_from_env() -> bool:
    return os.environ.get("EVENTSCOUT_ALLOW_PRIVATE", "").strip().lower() in ("1", "true", "yes")


def address_refusal(address: str, *, allow_private: bool = False) -> str | None:
    """Why eventscout must not connect to `address` ("loopback", "link-local"...), or None.

    Allowing private addresses opens loopback and private networks only: link-local
    (cloud metadata services live there), multicast and unspecified stay refused.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparseable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if allow_private:
        return None
    if ip.is_loopback:
        return "loopback"
    if ip.is_private or not ip.is_global:
        return "private"
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def private_address(url: str) -> str | None:
    """The loopback or private-network address `url`'s host resolves to, which runs refuse
    unless private addresses are allowed; None for a public host or one that does not resolve."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    if not host:
        return None
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = str(info[4][0])
        if address_refusal(address) in ("loopback", "private"):
            return address
    return None


def refuse(host: str, address: str, allow_private: bool, how: str) -> None:
    """Raise BlockedAddress when `host`'s `address` (how: "resolves to", "connected to") must not be reached."""
    kind = address_refusal(address, allow_private=allow_private)
    if kind is None:
        return
    hint = ("; set EVENTSCOUT_ALLOW_PRIVATE=1 (or allow_private: true) to read sites on your own network"
            if kind in ("loopback", "private") else "")
    raise BlockedAddress(f"refused {host}: it {how} the non-public ({kind}) address {address}{hint}")
