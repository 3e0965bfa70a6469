"""Fetching by URL from a local server: what is fetched, and each refusal in one line."""

from __future__ import annotations

import contextlib
import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.drafting import DraftError, fetch_url
from bot.drafting.decoding import MAX_BYTES

PAGE = b"<html><head><title>Hi</title></head><body><p>Japan and Russia met.</p></body></html>"
LOOPBACK = [ipaddress.ip_network("127.0.0.1/32")]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes = b"", kind: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if "no_length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            if name != "no_length":
                self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client stops reading past 5 MiB, as it should

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        routes = {
            "/ok": lambda: self.send(200, PAGE, "text/html; charset=utf-8"),
            "/text": lambda: self.send(200, b"Plain text.", "text/plain"),
            "/xhtml": lambda: self.send(200, PAGE, "application/xhtml+xml"),
            "/json": lambda: self.send(200, b"{}", "application/json"),
            "/image": lambda: self.send(200, b"\x89PNG", "image/png"),
            "/host": lambda: self.send(200, self.headers["Host"].encode(), "text/plain"),
            "/404": lambda: self.send(404, b"missing"),
            "/500": lambda: self.send(500, b"broken"),
            "/loop": lambda: self.send(302, Location="/loop2"),
            "/loop2": lambda: self.send(302, Location="/loop"),
            "/moved": lambda: self.send(301, Location="/ok"),
            "/to-private": lambda: self.send(302, Location=f"http://127.0.0.2:{port}/ok"),
            "/to-ftp": lambda: self.send(302, Location="ftp://example.com/file"),
            "/slow": self.slow,
            "/big": lambda: self.send(200, b"a" * (MAX_BYTES + 1), "text/plain"),
            "/big-stream": self.big_stream,
        }
        if self.path.startswith("/chain/"):
            step = int(self.path.rsplit("/", 1)[1])
            self.send(302, Location=f"/chain/{step + 1}")
            return
        routes.get(self.path, lambda: self.send(404))()

    def slow(self) -> None:
        time.sleep(2)
        self.send(200, PAGE)

    def big_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        chunk = b"a" * 65536
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for _ in range(MAX_BYTES // len(chunk) + 2):
                self.wfile.write(chunk)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def refusal(url: str, **options: object) -> str:
    with pytest.raises(DraftError) as caught:
        fetch_url(url, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_page_text_and_xhtml_are_fetched(base: str) -> None:
    body, kind, final = fetch_url(f"{base}/ok", allow_private=True)
    assert body == PAGE
    assert kind == "text/html; charset=utf-8"
    assert final == f"{base}/ok"
    assert fetch_url(f"{base}/text", allow_private=True)[0] == b"Plain text."
    assert fetch_url(f"{base}/xhtml", allow_private=True)[0] == PAGE


def test_redirects_are_followed_and_the_final_url_returned(base: str) -> None:
    body, _, final = fetch_url(f"{base}/moved", allow_private=True)
    assert (body, final) == (PAGE, f"{base}/ok")


def test_the_host_name_is_sent_though_the_checked_address_is_dialled(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    body, _, _ = fetch_url(f"http://localhost:{port}/host", allow_private=True)
    assert body == f"localhost:{port}".encode()


def test_private_addresses_are_refused_without_allow_private(base: str) -> None:
    assert "private or reserved" in refusal(f"{base}/ok")
    port = base.rsplit(":", 1)[1]
    assert "private or reserved" in refusal(f"http://localhost:{port}/ok")
    for address in [
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
    ]:
        assert "private or reserved" in refusal(address), address


def test_a_redirect_to_a_private_address_is_checked_again(base: str) -> None:
    message = refusal(f"{base}/to-private", allow_private=LOOPBACK)
    assert "127.0.0.2" in message and "private or reserved" in message


def test_only_http_and_https(base: str) -> None:
    assert "only http and https" in refusal("file:///etc/passwd")
    assert "only http and https" in refusal("ftp://example.com/a")
    assert "only http and https" in refusal(f"{base}/to-ftp", allow_private=True)


def test_error_statuses_loops_and_long_chains_are_one_line(base: str) -> None:
    assert "404" in refusal(f"{base}/404", allow_private=True)
    assert "500" in refusal(f"{base}/500", allow_private=True)
    assert "loop" in refusal(f"{base}/loop", allow_private=True)
    assert "more than 5" in refusal(f"{base}/chain/0", allow_private=True)


def test_a_slow_server_times_out(base: str) -> None:
    started = time.monotonic()
    assert "timed out" in refusal(f"{base}/slow", allow_private=True, timeout=0.3)
    assert time.monotonic() - started < 1.5


def test_only_text_content_types(base: str) -> None:
    assert "application/json" in refusal(f"{base}/json", allow_private=True)
    assert "image/png" in refusal(f"{base}/image", allow_private=True)


def test_bodies_over_5_mib_are_refused_declared_or_streamed(base: str) -> None:
    assert "over 5 MiB" in refusal(f"{base}/big", allow_private=True)
    assert "over 5 MiB" in refusal(f"{base}/big-stream", allow_private=True)


def test_unknown_hosts_and_bad_urls(base: str) -> None:
    assert "cannot find the host" in refusal("http://no-such-host.invalid/")
    assert refusal("http://")
