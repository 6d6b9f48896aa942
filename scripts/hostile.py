"""Hostile requests for every URL pattern, shared by tests/test_it_hostile_urls.py and `make fuzz`.

Each pattern of the URLconf is requested with each bad path segment in each of
its parameters, with each bad query string, and with every HTTP method (a
form full of bad values for the ones with a body). Nothing here may give a 5xx.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# Already URL-encoded, as they arrive on the wire.
BAD_SEGMENTS = [
    "a%00b",  # NUL: PostgreSQL text cannot hold it
    "%00",
    "%FF%FE",  # not UTF-8
    "%C0%AF",  # overlong UTF-8 for "/"
    "a" * 300,  # longer than a file name may be (255 bytes)
    "%E3%81%82" * 100,  # 100 characters, 300 bytes
    "..%2F..%2Fetc%2Fpasswd",
    "99999999999999999999999",  # past bigint
    "-1",
    "%7B%7B" * 200,  # "{{" runs
    "%3Cscript%3E",
]
BAD_QUERIES = [
    "q=a%00b&tag=%00",
    "q=%FF%FE&tag=%C0%AF",
    "q=" + "x" * 5000,
    "q=%7B%7B" + "%7B%7B" * 2000,
    "page=99999999999999999999&limit=99999999999999999999&number=-1&rev=x&from=%00",
    "q=a&q=b&limit=0&tag=" + "t" * 300,
    "next=%2F%2Fevil.example&next=%00",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# A form body for the methods that carry one: every field the site's forms know, badly.
BAD_FORM = {
    "title": "t" * 1000,
    "body": "b\x00c",
    "tags": "t" * 200,
    "message": "m" * 1000,
    "base_revision": "99999999999999999999",
    "tasks": "t" * 400 + "\n" * 50,
    "command": "{{" * 5000,
    "explanation": "e" * 5000,
    "note": "\x00",
    "anchor": "a" * 500,
    "name": "n" * 500,
    "username": "u" * 100_000,
    "password": "p\x00",
    "content": "[" * 2000,
    "q": "\x00",
    "language": "xx" * 100,
    "next": "\x00",
}
# Headers a client controls; sent on a handful of pages.
BAD_HEADERS = [
    {"Cookie": "sessionid=" + "a" * 40 + "%00; csrftoken=%FF"},
    {"Cookie": "sessionid=" + "s" * 5000},
    {"User-Agent": "u" * 10_000},
    {"Accept-Language": "x" * 5000},
    {"Authorization": "Bearer kb_" + "x" * 5000},
    {"Authorization": "Bearer kb_%00"},
    {"Authorization": "Basic %%%"},
    {"X-Forwarded-For": "not-an-ip, ::::1"},
    {"HX-Request": "true", "HX-Current-URL": "javascript:alert(1)"},
    {"Range": "bytes=99999999999999999999-"},
]
HEADER_PATHS = ["/", "/accounts/login/", "/api/search?q=x", "/q/x", "/media/x.png", "/notes/n/"]

_PARAM_RE = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_GROUP_RE = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


@dataclass
class Probe:
    method: str
    path: str
    data: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _route_parts(text: str, regex: bool) -> list[str | tuple[str, str]]:
    """Split one pattern into literal text and (kind, fixed) parameter slots."""
    if regex:
        text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        parts: list[str | tuple[str, str]] = []
        pos = 0
        for m in _GROUP_RE.finditer(text):
            parts.append(text[pos : m.start()].replace("\\", ""))
            body = m.group("body")
            # An alternation of words ("auth|notes") is a fixed choice, not free input.
            fixed = body.split("|")[0] if re.fullmatch(r"[\w|]+", body) else ""
            parts.append(("int" if r"\d" in body else "str", fixed))
            pos = m.end()
        parts.append(text[pos:].replace("\\", ""))
        return parts
    parts = []
    pos = 0
    for m in _PARAM_RE.finditer(text):
        parts.append(text[pos : m.start()])
        parts.append((m.group("kind") or "str", ""))
        pos = m.end()
    parts.append(text[pos:])
    return parts


def routes() -> list[list[str | tuple[str, str]]]:
    """Every pattern of the URLconf as literal parts and parameter slots."""
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import RoutePattern

    out: list[list[str | tuple[str, str]]] = []

    def walk(patterns, prefix: list) -> None:
        for pattern in patterns:
            regex = not isinstance(pattern.pattern, RoutePattern)
            text = pattern.pattern._regex if regex else pattern.pattern._route
            parts = prefix + _route_parts(text, regex)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, parts)
            else:
                out.append(parts)

    walk(get_resolver().url_patterns, [])
    return out


def _normal(slot: tuple[str, str], values: dict[str, str]) -> str:
    kind, fixed = slot
    return fixed or values.get(kind, values["str"])


def _build(parts, values: dict[str, str], bad_at: int | None = None, bad: str = "") -> str:
    out = []
    slot = 0
    for part in parts:
        if isinstance(part, tuple):
            out.append(bad if slot == bad_at else _normal(part, values))
            slot += 1
        else:
            out.append(part)
    return "/" + "".join(out)


def probes(values: dict[str, str] | None = None) -> Iterator[Probe]:
    """The requests to make; ``values`` names existing objects ({"str": slug, "int": pk})."""
    values = values or {"str": "n", "int": "1", "path": "n"}
    seen: set[tuple[str, str]] = set()

    def once(probe: Probe) -> Iterator[Probe]:
        key = (probe.method, probe.path)
        if key not in seen:
            seen.add(key)
            yield probe

    # Signing out or deleting the sample note would blunt every later probe: those go last.
    last: list[Probe] = []
    for parts in routes():
        slots = sum(isinstance(p, tuple) for p in parts)
        for index in range(slots):
            for bad in BAD_SEGMENTS:
                yield from once(Probe("GET", _build(parts, values, index, bad)))
        plain = _build(parts, values)
        for query in BAD_QUERIES:
            yield from once(Probe("GET", f"{plain}?{query}"))
        for method in METHODS:
            data = BAD_FORM if method in {"POST", "PUT", "PATCH"} else None
            if "logout" in plain or "delete" in plain:
                last.extend(once(Probe(method, plain, data)))
            else:
                yield from once(Probe(method, plain, data))
    for path in HEADER_PATHS:
        for headers in BAD_HEADERS:
            yield Probe("GET", path, None, headers)
    yield from last
