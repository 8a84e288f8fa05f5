"""Fetching URLs from a local server on 127.0.0.1: redirects, status, content types, size cap, SSRF refusals."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from conftest import Reply
from spinscope.errors import FetchFailed, UnsupportedContent, URLRefused
from spinscope.ingest import fetch, read
from spinscope.ingest import url as url_module
from spinscope.ingest.url import MAX_REDIRECTS, check_url, non_public_kind

ARTICLE = (
    "<!DOCTYPE html><html><head><title>Bridge closed for repairs</title>"
    '<meta property="og:site_name" content="Riverside Courier"></head><body><article>'
    '<h1>Bridge closed for repairs</h1><p>The old bridge is <a href="/closure">closed</a> until Friday, the '
    "council said on Monday, after inspectors found cracks in two of its supports.</p></article></body></html>"
)
PLAIN = "The old bridge is closed until Friday, the council said on Monday.\n"
CHUNK = b"a" * 65536


HTTP_ROUTES = {
    "/article": Reply(200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.encode()),
    "/plain": Reply(200, {"Content-Type": "text/plain"}, PLAIN.encode()),
    "/latin1": Reply(
        200,
        {"Content-Type": "text/html; charset=iso-8859-1"},
        ARTICLE.replace("old bridge", "old Pont-Neuf café bridge").encode("latin-1"),
    ),
    # A chain of relative Location headers: /hop/N -> /hop/N-1 -> ... -> /hop/0 -> /article.
    **{
        f"/hop/{left}": Reply(302, {"Location": "/article" if left == 0 else f"/hop/{left - 1}"})
        for left in range(MAX_REDIRECTS + 1)
    },
    "/to-private": Reply(301, {"Location": "http://10.0.0.1/secret"}),
    "/to-file": Reply(302, {"Location": "file:///etc/passwd"}),
    "/missing": Reply(404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"),
    "/error": Reply(500, {"Content-Type": "text/plain"}, b"oops"),
    "/pdf": Reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.7\n..."),
    "/image": Reply(200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n..."),
    "/untyped-pdf": Reply(200, {}, b"%PDF-1.7\n\x00\x01"),
    # 11 MB streamed in 64 KB chunks (the same chunk object 176 times, so little memory here).
    "/huge": Reply(200, {"Content-Type": "text/plain"}, (CHUNK,) * 176),
    "/huge-declared": Reply(
        200, {"Content-Type": "text/plain", "Content-Length": str(176 * len(CHUNK))}, (CHUNK,) * 176
    ),
    "/slow": Reply(200, {"Content-Type": "text/plain"}, PLAIN.encode(), delay=1.5),
}


def test_html_page(http_server: str) -> None:
    doc = fetch(http_server + "/article", allow_private=True)
    assert doc.source.kind == "url"
    assert doc.source.url == http_server + "/article"
    assert doc.source.title == "Bridge closed for repairs"
    assert doc.source.outlet == "Riverside Courier"
    (link,) = doc.links
    assert doc.span_text(link) == "closed"
    assert link.href == http_server + "/closure"  # resolved against the page's URL


def test_plain_text_page(http_server: str) -> None:
    doc = fetch(http_server + "/plain", allow_private=True)
    assert doc.text == PLAIN.strip()
    assert doc.source.kind == "url"


def test_declared_charset_is_used(http_server: str) -> None:
    assert "Pont-Neuf café bridge" in fetch(http_server + "/latin1", allow_private=True).text


def test_read_dispatches_urls(http_server: str) -> None:
    assert read(http_server + "/plain", allow_private=True).text == PLAIN.strip()


def test_redirect_chain_within_the_limit(http_server: str) -> None:
    doc = fetch(f"{http_server}/hop/{MAX_REDIRECTS - 1}", allow_private=True)
    assert doc.source.url == http_server + "/article"
    assert doc.source.title == "Bridge closed for repairs"


def test_too_many_redirects(http_server: str) -> None:
    with pytest.raises(FetchFailed, match="redirects more than 5 times"):
        fetch(f"{http_server}/hop/{MAX_REDIRECTS}", allow_private=True)


def test_every_redirect_hop_is_checked(http_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Treat 127.0.0.1 as public for this test so the first hop passes and the second must be caught.
    monkeypatch.setattr(
        url_module,
        "non_public_kind",
        lambda a: "private" if a in ipaddress.ip_network("10.0.0.0/8") else None,
    )
    with pytest.raises(URLRefused, match="10.0.0.1"):
        fetch(http_server + "/to-private")
    with pytest.raises(URLRefused, match="file:"):
        fetch(http_server + "/to-file", allow_private=True)


def test_the_connected_address_is_checked_too(http_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # DNS rebinding: the name looked public when checked, but the connection went to loopback.
    monkeypatch.setattr(url_module, "resolve", lambda host, port: [ipaddress.ip_address("93.184.216.34")])
    monkeypatch.setattr(url_module, "getproxies", lambda: {})
    with pytest.raises(URLRefused, match="127.0.0.1"):
        fetch(http_server + "/article")


@pytest.mark.parametrize(("path", "status"), [("/missing", "404 Not Found"), ("/error", "500")])
def test_http_errors(http_server: str, path: str, status: str) -> None:
    with pytest.raises(FetchFailed, match=status):
        fetch(http_server + path, allow_private=True)


@pytest.mark.parametrize(("path", "media_type"), [("/pdf", "application/pdf"), ("/image", "image/png")])
def test_unsupported_content_types(http_server: str, path: str, media_type: str) -> None:
    with pytest.raises(UnsupportedContent, match=media_type):
        fetch(http_server + path, allow_private=True)


def test_untyped_binary_is_sniffed(http_server: str) -> None:
    from spinscope.errors import BinaryInput

    with pytest.raises(BinaryInput, match="PDF"):
        fetch(http_server + "/untyped-pdf", allow_private=True)


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_bodies_over_10_mb_are_refused(http_server: str, path: str) -> None:
    with pytest.raises(FetchFailed, match="larger than 10 MB"):
        fetch(http_server + path, allow_private=True)


def test_timeout(http_server: str) -> None:
    with pytest.raises(FetchFailed, match="did not answer within 0.3 seconds"):
        fetch(http_server + "/slow", allow_private=True, timeout=0.3)


def test_unreachable_port() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago has nothing listening on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchFailed, match="could not connect to 127.0.0.1"):
        fetch(f"http://127.0.0.1:{port}/", allow_private=True)


def test_loopback_is_refused_without_allow_private(http_server: str) -> None:
    with pytest.raises(URLRefused, match="loopback"):
        fetch(http_server + "/article")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://localhost:8080/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://[fd00::1]/", "private"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "non-public"),
        ("http://2130706433/", "loopback"),  # 127.0.0.1 written as one number
    ],
)
def test_non_public_addresses_are_refused(url: str, kind: str) -> None:
    with pytest.raises(URLRefused, match=kind):
        check_url(url)
    check_url(url, allow_private=True)  # allowed on request, without resolving anything


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/a.txt", "javascript:alert(1)", "gopher://x/", "example.org/a"],
)
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(URLRefused, match="http"):
        fetch(url, allow_private=True)


def test_public_addresses_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    assert non_public_kind(ipaddress.ip_address("93.184.216.34")) is None
    assert non_public_kind(ipaddress.ip_address("2606:2800:220:1::")) is None
    monkeypatch.setattr(url_module, "resolve", lambda host, port: [ipaddress.ip_address("93.184.216.34")])
    assert check_url("https://news.example.org/a").host == "news.example.org"


def test_a_name_that_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchFailed, match="could not resolve the host name no-such-host.example"):
        check_url("https://no-such-host.example/")
