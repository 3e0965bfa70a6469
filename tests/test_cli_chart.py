"""`diplobot ask --chart FILE`: the timeline's picture, offline, as Discord attaches it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.charts.timeline import MAX_BYTES
from bot.cli import main

PNG = b"\x89PNG\r\n\x1a\n"


def test_ask_chart_writes_the_timelines_png(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--chart", "japan.png", "!timeline japan"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Timeline: Japan")
    data = (env / "japan.png").read_bytes()
    assert data.startswith(PNG) and len(data) <= MAX_BYTES
    assert err.strip().endswith(f"wrote japan.png ({len(data):,} bytes)")


@pytest.mark.parametrize(
    ("line", "why", "status"),
    [
        (
            "!timeline united states",
            "a chart needs at least 3 dated facts, and this timeline has 2",
            1,
        ),
        ("!who nozdrev", "only a timeline has a chart, and this is a who answer", 1),
        ("!timeline nosuchthing", "the timeline found nothing to draw", 1),
    ],
)
def test_a_line_without_a_chart_says_why_writes_nothing_and_exits_1(
    env: Path, capsys: pytest.CaptureFixture[str], line: str, why: str, status: int
) -> None:
    assert main(["ask", "--chart", "c.png", line]) == status
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"diplobot: no chart written to c.png: {why}"
    )
    assert not (env / "c.png").exists()


def test_a_chart_that_cannot_be_written_is_one_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--chart", "missing/dir/c.png", "!timeline japan"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "diplobot: cannot write the chart to missing/dir/c.png: No such file or directory"
    )


def test_chart_takes_one_command_not_standard_input(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--chart", "c.png", "-"]) == 2
    assert capsys.readouterr().err.strip() == (
        "diplobot: --chart takes one command, not - (commands from standard input)"
    )
