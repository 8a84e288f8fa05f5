"""Fetch one article over HTTP(S) safely: timeouts, a size cap, checked redirects, no private addresses."""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.request import getproxies

import httpx

from ..document import Document, Source
from ..errors import FetchFailed, UnsupportedContent, URLRefused
from .text import document_from_bytes

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
# A server that trickles bytes never trips the read timeout; this bounds the whole download.
TOTAL_TIME_FACTOR = 3
_TYPES = {"text/html": True, "application/xhtml+xml": True, "text/plain": False}
_REDIRECTS = {301, 302, 303, 307, 308}
_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    "User-Agent": "spinscope (+https://pypi.org/project/spinscope/)",
}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def fetch(url: str, *, allow_private: bool = False, timeout: float = 10.0) -> Document:
    """Download an article page and read it as HTML or text; every redirect hop is checked again."""
    deadline = time.monotonic() + TOTAL_TIME_FACTOR * timeout
    current = url.strip()
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, headers=_HEADERS) as client:
        for hop in range(MAX_REDIRECTS + 1):
            target = check_url(current, allow_private=allow_private)
            try:
                with client.stream("GET", target) as response:
                    if not allow_private:
                        _check_peer(response, target)
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECTS and location:
                        if hop == MAX_REDIRECTS:
                            raise FetchFailed(f"{url} redirects more than {MAX_REDIRECTS} times; giving up.")
                        current = str(response.url.join(location))
                        continue
                    return _read(response, deadline=deadline)
            except httpx.TimeoutException as err:
                raise FetchFailed(f"{target.host} did not answer within {timeout:g} seconds.") from err
            except httpx.ConnectError as err:
                raise FetchFailed(f"could not connect to {target.host}: {_reason(err)}.") from err
            except httpx.InvalidURL as err:
                raise URLRefused(f"{current} is not a valid URL: {err}.") from err
            except httpx.HTTPError as err:
                raise FetchFailed(f"fetching {target} failed: {_reason(err)}.") from err
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


def check_url(url: str, *, allow_private: bool = False) -> httpx.URL:
    """The parsed URL if spinscope may fetch it: http(s) only, and a public address unless allowed."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise URLRefused(f"{url!r} is not a valid URL.") from err
    if parsed.scheme not in ("http", "https"):
        what = f"{parsed.scheme}: URLs" if parsed.scheme else "URLs without a scheme"
        raise URLRefused(f"spinscope fetches only http:// and https:// URLs, not {what}.")
    if not parsed.host:
        raise URLRefused(f"{url!r} has no host name.")
    if not allow_private:
        host = parsed.raw_host.decode("ascii")
        for address in resolve(host, parsed.port or (443 if parsed.scheme == "https" else 80)):
            kind = non_public_kind(address)
            if kind is not None:
                where = (
                    f"{parsed.host} is"
                    if parsed.host == str(address)
                    else f"{parsed.host} resolves to {address},"
                )
                raise URLRefused(
                    f"{where} a {kind} address; spinscope fetches only public addresses unless told "
                    "otherwise (--allow-private)."
                )
    return parsed


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchFailed(
            f"could not resolve the host name {host}: it may be misspelt, or you may be offline."
        ) from err
    # The scope of a link-local IPv6 address ("fe80::1%eth0") is not part of the address.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def non_public_kind(address: IPAddress) -> str | None:
    """Why ``address`` is not a public internet address (loopback, private …), or None if it is one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return non_public_kind(embedded)
    for kind, flag in (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    ):
        if flag:
            return kind
    return None


def _check_peer(response: httpx.Response, target: httpx.URL) -> None:
    # The name was checked before connecting, but DNS can answer differently the second time
    # (rebinding); the address actually connected to is checked before any body is read. Behind a
    # proxy the peer is the proxy, which may well be private, so there is nothing to check.
    if getproxies():
        return
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer:
        return
    kind = non_public_kind(ipaddress.ip_address(str(peer[0]).split("%")[0]))
    if kind is not None:
        raise URLRefused(f"{target.host} connected to {peer[0]}, a {kind} address; refusing to read it.")


def _read(response: httpx.Response, *, deadline: float) -> Document:
    """Check status and content type, read at most MAX_BYTES, and build the Document."""
    url = str(response.url)
    if response.status_code >= 400:
        phrase = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise FetchFailed(f"{url} answered HTTP {response.status_code}{phrase}.")
    if response.status_code >= 300:
        raise FetchFailed(f"{url} answered HTTP {response.status_code} without a place to go.")
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and media_type not in _TYPES:
        raise UnsupportedContent(
            f"{url} serves {media_type}, not an article; spinscope reads HTML and plain text only."
        )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchFailed(
            f"{url} is larger than 10 MB ({int(declared) / 1024 / 1024:.1f} MB); not downloading it."
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchFailed(f"{url} is larger than 10 MB; stopped downloading it.")
        if time.monotonic() > deadline:
            raise FetchFailed(f"{url} took too long to download; stopped.")
        chunks.append(chunk)
    source = Source(kind="url", url=url)
    doc = document_from_bytes(
        b"".join(chunks), source=source, charset=response.charset_encoding, html=_TYPES.get(media_type)
    )
    doc.source.kind = "url"
    doc.source.url = url
    return doc


def _reason(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    # httpcore wraps the OS error text; the last clause is the part a user can act on.
    return text.rsplit("] ", 1)[-1].rstrip(".")
