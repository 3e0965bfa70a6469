"""``diplobot run``: start-up errors, the message-content fallback and clean shutdown.

The token checks call `run_bot` as the command line does; the rejected token is
answered by a loopback HTTP server. The fallback runs `serve` against the
loopback fake of Discord in ``tests.fake_discord``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import discord.http
import pytest

from bot.chat.runner import BAD_TOKEN, MESSAGE_CONTENT_REFUSED, NO_TOKEN, run_bot, serve
from bot.config import Settings
from tests.chat.helpers import SETTINGS, Shelf
from tests.fake_discord import FAKE_TOKEN, FakeDiscord, chat_input

MESSAGE_CONTENT = 1 << 15
SECRET = "MTAwMDAwMDAwMDAwMDAwMDAx.secret-token-for-tests"


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    """`run_bot` installs discord.py's log handler on the root logger; take it off again."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_no_token_says_how_to_set_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_bot(Settings.from_mapping({"DATABASE_URL": "sqlite:///unused.db"})) == 2
    err = capsys.readouterr().err
    assert err == NO_TOKEN + "\n"
    assert "DISCORD_TOKEN" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [["run"], []])
def test_the_command_line_without_a_token_exits_2(tmp_path: Path, argv: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/t.db"
    empty = tmp_path / "empty.env"  # a settings file with no token in it
    empty.write_text("")
    args = [sys.executable, "-m", "bot", "--env-file", str(empty), *argv]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr == NO_TOKEN + "\n"


class Unauthorized(BaseHTTPRequestHandler):
    """Answers every request the way Discord answers a bad token."""

    def do_GET(self) -> None:
        body = json.dumps({"message": "401: Unauthorized", "code": 0}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def rejecting_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Unauthorized)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(
        discord.http.Route, "BASE", f"http://127.0.0.1:{server.server_port}/api/v10"
    )
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def test_an_unreachable_discord_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:1/api/v10")
    settings = Settings.from_mapping(
        {"DATABASE_URL": f"sqlite:///{tmp_path}/t.db", "DISCORD_TOKEN": SECRET}
    )
    assert run_bot(settings) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("diplobot: could not reach Discord (")
    assert "Traceback" not in err and SECRET not in err


@pytest.mark.usefixtures("rejecting_api")
def test_a_rejected_token_says_so_and_never_shows_the_token(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = Settings.from_mapping(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path}/t.db",
            "DISCORD_TOKEN": SECRET,
            "LOG_LEVEL": "DEBUG",
        }
    )
    assert run_bot(settings) == 2
    out = capsys.readouterr()
    assert out.err.endswith(BAD_TOKEN + "\n")
    assert "Traceback" not in out.err
    assert SECRET not in out.err + out.out + caplog.text
    assert SECRET not in repr(settings)


async def test_refused_message_content_keeps_slash_commands_and_signals_stop_cleanly(
    fake_discord: FakeDiscord, shelf: Shelf, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    running = asyncio.create_task(serve(shelf, SETTINGS, FAKE_TOKEN))
    await fake_discord.wait_until_connected()
    assert fake_discord.intents & MESSAGE_CONTENT

    await fake_discord.disconnect(4014)
    await fake_discord.wait_until_connected()
    assert not fake_discord.intents & MESSAGE_CONTENT
    assert MESSAGE_CONTENT_REFUSED in caplog.text
    assert "Privileged Gateway Intents → enable Message Content Intent" in MESSAGE_CONTENT_REFUSED

    await fake_discord.send_interaction(chat_input("who", {"name": "nozdrev"}))
    callback = await fake_discord.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback")
    assert callback.body["data"]["embeds"][0]["title"] == "Nikolai Nozdrev"

    signal.raise_signal(signal.SIGTERM)
    await asyncio.wait_for(running, 10)
    assert shelf.closed
    assert FAKE_TOKEN not in caplog.text


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
async def test_a_signal_stops_the_bot_and_closes_the_library(
    fake_discord: FakeDiscord, shelf: Shelf, number: signal.Signals
) -> None:
    running = asyncio.create_task(serve(shelf, SETTINGS, FAKE_TOKEN))
    await fake_discord.wait_until_connected()
    signal.raise_signal(number)
    await asyncio.wait_for(running, 10)
    assert shelf.closed
