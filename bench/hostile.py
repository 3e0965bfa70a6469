"""What a hostile or broken import file costs: time, peak memory, and the answer.

    python bench/hostile.py          # about a minute on 2 cores

Each file is imported by ``python -m bot import FILE`` in a process of its own
into a seeded SQLite store, timed from start to exit, its peak memory
(ru_maxrss) read as it ends. The baseline, in the same run: importing the seed
file itself (a real 9 KB file), which is what any run of the command costs.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.curation.files import FILE_MAX_BYTES  # noqa: E402
from bot.curation.safe_yaml import ALIAS_VALUES_MAX  # noqa: E402

CHILD = """
import resource, sys
from bot.cli import main
status = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(f"{status} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
"""
SEED = ROOT / "data" / "seed.yaml"
MIB = 1024 * 1024


def up_to(limit: int, head: bytes, unit: bytes, tail: bytes = b"") -> bytes:
    """head, then unit repeated as often as fits, then tail, in at most limit bytes."""
    return head + unit * ((limit - len(head) - len(tail)) // len(unit)) + tail


def alias_bomb(values: int) -> bytes:
    """A YAML list of 1,000 aliases, used ``values // 1,000`` times through an anchor."""
    uses = max(1, values // 1000)
    lines = ["shared: &names [" + ", ".join(f"n{i}" for i in range(1000)) + "]", "entities:"]
    lines += [f"  - {{key: e{i}, kind: person, name: E, aliases: *names}}" for i in range(uses)]
    return "\n".join(lines).encode()


FILES: dict[str, Callable[[Path], Path]] = {}


def hostile(name: str) -> Callable[[Callable[[], bytes]], Callable[[], bytes]]:
    def register(make: Callable[[], bytes]) -> Callable[[], bytes]:
        def write(folder: Path) -> Path:
            path = folder / name
            path.write_bytes(make())
            return path

        FILES[name] = write
        return make

    return register


@hostile("comments-at-the-limit.yaml")
def _comments() -> bytes:
    return up_to(FILE_MAX_BYTES, b"sources: []\n", b"# " + b"x" * 77 + b"\n")


@hostile("one-huge-kind.json")
def _huge_value() -> bytes:
    head = b'{"entities": [{"key": "a", "name": "A", "kind": "'
    return up_to(FILE_MAX_BYTES, head, b"k", b'"}]}')


@hostile("bad-facts-at-the-limit.json")
def _bad_facts() -> bytes:
    return up_to(FILE_MAX_BYTES, b'{"facts": [', b'{"text": "T.", "date": "no"},', b"{}]}")


@hostile("nested-deeply.json")
def _nested() -> bytes:
    depth = FILE_MAX_BYTES // 2 - 1
    return b"[" * depth + b"]" * depth


@hostile("nested-deeply.yaml")
def _nested_yaml() -> bytes:
    depth = FILE_MAX_BYTES // 2 - 1
    return b"[" * depth + b"]" * depth


@hostile("alias-bomb-just-under.yaml")
def _bomb_under() -> bytes:
    return alias_bomb(ALIAS_VALUES_MAX - 2000)


@hostile("alias-bomb-way-over.yaml")
def _bomb_over() -> bytes:
    return alias_bomb(50 * ALIAS_VALUES_MAX)


@hostile("one-byte-over.json")
def _over() -> bytes:
    return up_to(FILE_MAX_BYTES + 1, b"[", b" ", b"]") + b" "


def special(folder: Path) -> dict[str, Path]:
    """Files that are not files: a link to /dev/zero, a 4 GiB sparse file."""
    zero = folder / "zero.yaml"
    zero.symlink_to("/dev/zero")
    sparse = folder / "sparse.yaml"
    with sparse.open("wb") as file:
        file.truncate(4 * 1024**3)
    return {"link-to-dev-zero.yaml": zero, "sparse-4-GiB.yaml": sparse}


def run(path: Path, env: dict[str, str], empty: Path) -> tuple[float, int, int, str]:
    """seconds, exit status, peak KiB and the first line of stderr of one import."""
    with tempfile.NamedTemporaryFile("r", suffix=".out") as out:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, out.name, "--env-file", str(empty), "import", str(path)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        seconds = time.perf_counter() - started
        status, peak = [*out.read().split(), "?", "0"][:2]
    lines = [line for line in done.stderr.splitlines() if line.strip() and " bot." not in line]
    first = lines[0] if lines else done.stdout.strip().splitlines()[-1]  # logs aside
    status_code = int(status) if status.lstrip("-").isdigit() else done.returncode
    more = f" (+{len(lines) - 1} lines)" if len(lines) > 1 else ""
    return seconds, status_code, int(peak), first + more


def main() -> None:
    started = time.perf_counter()
    print(
        f"diplobot hostile files, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs\n"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        empty = folder / "empty.env"
        empty.write_text("")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'store.db'}"}
        env.pop("DISCORD_TOKEN", None)
        files = {"the seed file (baseline)": SEED}
        files |= {name: write(folder) for name, write in FILES.items()}
        files |= special(folder)
        rows = []
        for label, path in files.items():
            size = path.stat().st_size if path.is_file() and not path.is_symlink() else 0
            seconds, status, peak, line = run(path, env, empty)
            rows.append((label, size, seconds, status, peak, line))
    print(f"{'file':<30} {'size':>9} {'time':>7} {'exit':>4} {'peak':>8}  first line of the answer")
    print(f"{'-' * 30} {'-' * 9} {'-' * 7} {'-' * 4} {'-' * 8}  {'-' * 40}")
    for label, size, seconds, status, peak, line in rows:
        shown = f"{size / MIB:.1f} MiB" if size else "-"
        print(
            f"{label:<30} {shown:>9} {seconds:>6.1f}s {status:>4} {peak / 1024:>6.0f} MiB  "
            f"{line[:110]}"
        )
    print(json.dumps({"whole run s": round(time.perf_counter() - started)}))


if __name__ == "__main__":
    main()
