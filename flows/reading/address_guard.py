"""The address guard: which IP addresses eventscout may connect to (its SSRF defence), and a
connection that goes only to the addresses the guard checked.

Only public addresses are read unless private ones are allowed; link-local,
site-local, multicast, unspecified and cloud metadata addresses stay refused
either way. An IPv6 address that carries an IPv4 one (IPv4-mapped, 6to4,
NAT64, IPv4-compatible, Teredo) is judged by the IPv4 address it leads to.

A name is resolved once per request: every address it resolves to is checked,
and the connection is made to those very addresses (`PinnedBackend`), while
the TLS handshake still names the host (SNI) and checks its certificate, so a
name that answers the guard with a public address and the connection with
loopback (DNS rebinding) never gets a request sent.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from collections.abc import Awaitable, Callable, Iterable

import httpcore

from eventscout.flows.reading.asyncio_streams import AsyncioBackend
from eventscout.flows.reading.errors import BlockedAddress

#: host, port -> the addresses it resolves to (tests inject their own)
Resolver = Callable[[str, int], Awaitable[list[str]]]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: cloud instance metadata and platform services: never read, even with private addresses allowed
#: (AWS, ECS, GCP, Azure, Alibaba, Oracle)
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "169.254.169.253", "fd00:ec2::254", "fd00:ec2::23", "fd20:ce::254",
    "168.63.129.16", "100.100.100.200", "192.0.0.192"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def allow_private_from_env() -> bool:
    return os.environ.get("EVENTSCOUT_ALLOW_PRIVATE", "").strip().lower() in ("1", "true", "yes")


def embedded_ipv4(ip: IPAddress) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address an IPv6 address leads to, and the form that carries it; None for plain ones."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped, "an IPv4-mapped"
    if ip.sixtofour:
        return ip.sixtofour, "a 6to4"
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "a NAT64"
    if ip.teredo:
        return ip.teredo[1], "a Teredo"
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip)), "an IPv4-compatible"
    return None


def address_refusal(address: str, *, allow_private: bool = False) -> str | None:
    """Why eventscout must not connect to `address` ("loopback", "link-local"...), or None.

    Allowing private addresses opens loopback and private networks only:
    link-local, site-local, multicast, unspecified and cloud metadata
    addresses stay refused. An address carrying an IPv4 one is refused when
    that IPv4 address is ("loopback, as 127.0.0.1 inside a 6to4 address").
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparseable"
    outer = _kind(ip, allow_private)
    if outer is not None:
        return outer
    inner = embedded_ipv4(ip)
    if inner is None:
        return None
    kind = _kind(inner[0], allow_private)
    return None if kind is None else f"{kind}, as {inner[0]} inside {inner[1]} address"


def _kind(ip: IPAddress, allow_private: bool) -> str | None:
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    if ip.is_link_local:
        return "link-local"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if allow_private:
        return None
    if ip.is_loopback:
        return "loopback"
    if ip in _NAT64_LOCAL:
        return "private"
    if (ip.is_private or not ip.is_global) and embedded_ipv4(ip) is None:
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
            if kind.split(",")[0] in ("loopback", "private") else "")
    raise BlockedAddress(f"refused {host}: it {how} the non-public ({kind}) address {address}{hint}")


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting a host only to the addresses the guard checked for it.

    httpcore asks it for a TCP stream to the URL's host; it connects to the
    pinned addresses instead (in order, the first that answers), and refuses a
    host nobody checked. TLS is started afterwards on that stream by httpcore
    with the URL's host as the server name, so SNI and the certificate check
    are as they would be.
    """

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.inner = inner or AsyncioBackend()
        self._pins: dict[str, list[str]] = {}

    def pin(self, host: str, addresses: Iterable[str]) -> None:
        self._pins[_host_key(host)] = list(addresses)

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        addresses = self._pins.get(_host_key(host))
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not checked by the address guard; not connecting")
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address.split("%", 1)[0], port, timeout, local_address,
                                                    socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                failure = exc
        raise httpcore.ConnectError(str(failure) or "refused")

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never connected to")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _host_key(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()
