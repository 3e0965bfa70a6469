"""Fetching an article by URL, safely: `fetch_url`.

- ``http`` and ``https`` only; at most `MAX_REDIRECTS` redirects, each checked like
  the first address, and a redirect back to an address already visited is a loop.
- The host is resolved here and every address it resolves to must be public
  (not loopback, private, link-local, multicast, reserved or unspecified) unless
  ``allow_private``. The request then goes to the address that was checked, with
  the host name in the ``Host`` header and as the TLS server name (so certificates
  are still verified against the name): a DNS answer that changes between the
  check and the connection (DNS rebinding) cannot swap the address. Environment
  proxies are not used, since they would connect elsewhere.
- ``timeout`` seconds to connect and between reads (10 s), and `MAX_BYTES` of body
  at most, counted as it streams; only text/html, application/xhtml+xml and text/plain.

Every refusal is a `DraftError` with one line.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Collection
from urllib.parse import urljoin

import httpx

from bot.drafting.decoding import MAX_BYTES
from bot.errors import DraftError

MAX_REDIRECTS = 5
TIMEOUT = 10.0
CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Networks = Collection[ipaddress.IPv4Network | ipaddress.IPv6Network]
Allowance = bool | Networks
"""True lifts the address check; a collection of networks lifts it for those only."""


def _refused(address: _Address) -> bool:
    """Whether an address is one a curator's URL must not reach."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _allowed(address: _Address, allow_private: Allowance) -> bool:
    if isinstance(allow_private, bool):
        return allow_private or not _refused(address)
    return not _refused(address) or any(address in network for network in allow_private)


def _resolve(url: httpx.URL, allow_private: Allowance) -> _Address:
    """The address to connect to for url, checked; DraftError when refused or unknown."""
    host = url.host
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise DraftError(f"cannot find the host {host!r} ({error})") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise DraftError(f"cannot find the host {host!r}")
    for address in addresses:
        if not _allowed(address, allow_private):
            raise DraftError(f"refused {url}: {host} is a private or reserved address ({address})")
    return addresses[0]


def _checked_url(text: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise DraftError(f"not a URL: {text!r} ({error})") from None
    if url.scheme not in ("http", "https"):
        raise DraftError(f"refused {text}: only http and https URLs can be drafted")
    if not url.host:
        raise DraftError(f"not a URL: {text!r} has no host")
    return url


def _content_type(response: httpx.Response, url: httpx.URL) -> str | None:
    header: str | None = response.headers.get("content-type")
    media = (header or "").split(";")[0].strip().lower()
    if media not in CONTENT_TYPES:
        shown = media or "no content type"
        raise DraftError(f"refused {url}: it is {shown}, not an HTML page or text")
    return header


def _body(response: httpx.Response, url: httpx.URL, deadline: float) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise DraftError(f"refused {url}: the page is over 5 MiB ({int(length):,} bytes)")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise DraftError(f"refused {url}: the page is over 5 MiB")
        if time.monotonic() > deadline:
            raise DraftError(f"{url} took too long to send the page")
        chunks.append(chunk)
    return b"".join(chunks)


def _request(
    client: httpx.Client, url: httpx.URL, allow_private: Allowance, deadline: float
) -> tuple[int, str | None, bytes, str | None]:
    """(status, redirect target, body, content type) of one GET to url's checked address."""
    address = _resolve(url, allow_private)
    target = url.copy_with(host=str(address))
    headers = {"Host": url.netloc.decode("ascii"), "Accept": "text/html, text/plain;q=0.9"}
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    with client.stream("GET", target, headers=headers, extensions=extensions) as response:
        if response.status_code in _REDIRECTS:
            return response.status_code, response.headers.get("location"), b"", None
        if response.status_code != 200:
            reason = response.reason_phrase or "error"
            raise DraftError(f"{url} answered {response.status_code} {reason}")
        content_type = _content_type(response, url)
        return 200, None, _body(response, url, deadline), content_type


def fetch_url(
    url: str, *, allow_private: Allowance = False, timeout: float = TIMEOUT
) -> tuple[bytes, str | None, str]:
    """(body, content type, final URL) of a web page, fetched under the rules above.

    allow_private lifts the address check (``DRAFT_ALLOW_PRIVATE_URLS=1``), or, given
    networks, lifts it for those only (a self-hosted source's own network)."""
    current = _checked_url(url)
    seen = {str(current)}
    deadline = time.monotonic() + 3 * timeout
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False
        ) as client:
            for _ in range(MAX_REDIRECTS + 1):
                status, location, body, content_type = _request(
                    client, current, allow_private, deadline
                )
                if status == 200:
                    return body, content_type, str(current)
                if not location:
                    raise DraftError(f"{current} redirects without saying where")
                current = _checked_url(urljoin(str(current), location))
                if str(current) in seen:
                    raise DraftError(f"{url} redirects in a loop")
                seen.add(str(current))
    except httpx.TimeoutException:
        raise DraftError(f"{url} timed out after {timeout:g} s") from None
    except httpx.HTTPError as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DraftError(f"could not fetch {url}: {detail}") from None
    raise DraftError(f"{url} redirects more than {MAX_REDIRECTS} times")
