"""``diplobot draft``: an article (a file, standard input or a URL) becomes an import file
that imports unchanged into the store it was drafted against."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from bot.cli import main

ARTICLES = Path(__file__).resolve().parent / "drafting" / "articles"
HTML = ARTICLES / "08-northern-territories-day.html"
TEXT = ARTICLES / "12-geneva-prisoner-talks.txt"


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_a_page_drafts_to_yaml_that_imports_unchanged(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["draft", str(HTML)]) == 0
    printed = capsys.readouterr().out
    draft = yaml.safe_load(printed)
    assert len(draft["sources"]) == 1 and draft["facts"]
    assert {"kuril-islands", "iturup", "nikolai-nozdrev"} <= {
        item["entity"] if isinstance(item, dict) else item
        for fact in draft["facts"]
        for item in fact["about"]
    }, "a name the seed store knows is linked by its key"
    (env / "draft.yaml").write_text(printed, encoding="utf-8")
    assert main(["import", str(env / "draft.yaml")]) == 0
    assert "created" in capsys.readouterr().out
    assert main(["ask", "--json", "!source", draft["sources"][0]["title"]]) == 0


def test_plain_text_takes_its_metadata_from_the_flags(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = env / "draft.yaml"
    arguments = ["draft", str(TEXT), "--outlet", "Test Wire", "--published", "2025-11-04"]
    assert main([*arguments, "--url", "https://example.org/geneva", "--out", str(out)]) == 0
    assert "wrote the draft to" in capsys.readouterr().err
    source = yaml.safe_load(out.read_text(encoding="utf-8"))["sources"][0]
    assert source["outlet"] == "Test Wire"
    assert source["published"] == "2025-11-04"
    assert source["url"] == "https://example.org/geneva"
    assert main(["import", str(out)]) == 0


def test_standard_input_is_read_with_a_dash(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TEXT.read_bytes())))
    assert main(["draft", "-", "--title", "Prisoner talks in Geneva"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["sources"][0]["title"] == (
        "Prisoner talks in Geneva"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "PDF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "image"),
        (b"", "empty"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "found no article text"),
    ],
)
def test_bad_input_ends_in_one_line_and_writes_nothing(
    env: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    (env / "input").write_bytes(content)
    assert main(["draft", str(env / "input"), "--out", str(env / "draft.yaml")]) == 2
    assert message.casefold() in one_line(capsys.readouterr().err).casefold()
    assert not (env / "draft.yaml").exists()


def test_a_missing_file_is_one_line(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draft", str(env / "nope.html")]) == 2
    assert "nope.html" in one_line(capsys.readouterr().err)


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = HTML.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/territories.html"
    server.shutdown()
    server.server_close()


def test_a_private_address_is_refused_unless_allowed(
    env: Path, capsys: pytest.CaptureFixture[str], served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["draft", served]) == 2
    assert "127.0.0.1" in one_line(capsys.readouterr().err)

    monkeypatch.setenv("DRAFT_ALLOW_PRIVATE_URLS", "1")
    assert main(["draft", served]) == 0
    source = yaml.safe_load(capsys.readouterr().out)["sources"][0]
    assert source["title"]
