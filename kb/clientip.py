"""The client's address, also behind a reverse proxy.

``X-Forwarded-For`` is only believed when the request comes from an address in
``KB_TRUSTED_PROXIES``; then the header is read from the right, skipping our own
proxies, and the first address they did not add is the client. Anyone can send the
header, so without a trusted proxy it is ignored and ``REMOTE_ADDR`` is used: a
visitor cannot dodge the login rate limit or forge the audit log with it.
Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) and the audit log.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str]) -> tuple[Network, ...]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"KB_TRUSTED_PROXIES: {value!r} is not an address or CIDR range"
            ) from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(list(values))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    # Some proxies add a port ("203.0.113.5:4711", "[2001:db8::1]:4711").
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket: report it as IPv4.
    return getattr(address, "ipv4_mapped", None) or address


def client_ip(request: HttpRequest) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    trusted = _trusted(tuple(settings.KB_TRUSTED_PROXIES))

    def is_trusted(address) -> bool:
        return any(address in network for network in trusted)

    if not trusted or not is_trusted(remote):
        return str(remote)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed([part for part in header.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break  # garbage from before our proxies: stop at the last hop we can vouch for
        client = address
        if not is_trusted(address):
            break
    return str(client)
