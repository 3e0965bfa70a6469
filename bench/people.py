"""Issue 17's shape: people with names of 2-3 words, one typo each, looked up by `ask --json -`.

    python bench/people.py                     # 50,000 people, 200,000 aliases, 300 queries
    python bench/people.py --people 5000       # a quick look
    python bench/people.py --in-process        # SearchIndex.resolve only, no store

Every person has a name of two or three words of 2-3 syllables ("Doist Tamak
Tanbaszoist", "Dravin Urro") and four names in all: the name, a short form (given
name and surname, or for a two-word name the surname first), the initial and
surname ("D. Tanbaszoist"), and the surname alone. A query is a person's name with
one typo anywhere after its first letter: a letter (or a space) dropped, or two
neighbours swapped (a space too: "Dravi nUrro"). Queries that are a stored name are
drawn again.

The people are imported into a new SQLite store with `python -m bot import`, and
the queries answered as `!who …` lines by one `python -m bot ask --json -`, the way
a user or a script asks. The accuracy baseline, in this process on the same
queries, is bench/matching.py's: anyascii folding and `fuzz.ratio` >= 80 over
every alias, best entity wins. "right" = found the person meant, or ambiguous with
them among the candidates when another person's name is as close ("tied").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import matching  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402
from bot.search.results import Entry  # noqa: E402

SEED = 20240324
ONSETS = ("", "b", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "dr")
VOWELS = ("a", "e", "i", "o", "u", "a", "o", "i", "u", "oi", "ie")
CODAS = ("", "", "", "", "", "n", "r", "s", "l", "k", "st")
ENDINGS = ("", "", "", "", "sky", "nen", "ist", "ka")


@dataclass(frozen=True, slots=True)
class Person:
    key: str
    name: str
    aliases: tuple[str, str, str]


def word(rng: random.Random, ending: bool = False) -> str:
    syllables = rng.randint(2, 3)
    text = "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
    )
    if ending:
        text += rng.choice(ENDINGS)
    return text.capitalize()


def people(count: int, seed: int) -> list[Person]:
    """count people, each with a distinct key and four names (maybe shared with others)."""
    rng = random.Random(f"{seed}:people")
    made: list[Person] = []
    for number in range(count):
        words = [word(rng) for _ in range(rng.randint(1, 2))] + [word(rng, ending=True)]
        given, surname = words[0], words[-1]
        short = f"{given} {surname}" if len(words) == 3 else f"{surname} {given}"
        aliases = (short, f"{given[0]}. {surname}", surname)
        made.append(Person(f"p{number}", " ".join(words), aliases))
    return made


def entries(persons: Sequence[Person]) -> list[Entry]:
    return [
        Entry(person.key, "person", name)
        for person in persons
        for name in (person.name, *person.aliases)
    ]


def typo(rng: random.Random, name: str) -> str:
    """name with one letter or space dropped, or two neighbours swapped, after its first letter."""
    if rng.random() < 0.5:
        at = rng.randrange(1, len(name))
        return name[:at] + name[at + 1 :]
    places = [at for at in range(1, len(name) - 1) if name[at] != name[at + 1]]
    at = rng.choice(places)
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def queries(
    persons: Sequence[Person], space: matching.KeySpace, count: int, seed: int
) -> list[matching.Query]:
    rng = random.Random(f"{seed}:typos")
    made: list[matching.Query] = []
    seen: set[str] = set()
    while len(made) < count:
        person = persons[rng.randrange(len(persons))]
        text = " ".join(typo(rng, person.name).split())
        if text in seen or not text or space.stored(text):
            continue
        seen.add(text)
        tied = space.tied(text, person.key)
        made.append(
            matching.Query(
                "one typo after the first letter", text, person.key, person.name, tied=tied
            )
        )
    return made


def import_file(persons: Sequence[Person], path: Path) -> None:
    document = {
        "entities": [
            {
                "key": person.key,
                "kind": "person",
                "name": person.name,
                "summary": f"A person called {person.name}.",
                "aliases": [
                    alias for alias in dict.fromkeys(person.aliases) if alias != person.name
                ],
            }
            for person in persons
        ]
    }
    path.write_text(json.dumps(document))


def ask(
    persons: Sequence[Person], texts: Sequence[str], say: Any
) -> tuple[list[matching.Answer], dict[str, float]]:
    """Import persons into a new SQLite store, then answer `!who TEXT` for every text with
    one `python -m bot ask --json -`."""
    with tempfile.TemporaryDirectory(prefix="diplobot-people-") as folder:
        where = Path(folder)
        empty = where / "empty.env"
        empty.write_text("")
        env = {
            **os.environ,
            "DIPLOBOT_DB_PATH": str(where / "people.db"),
            "DIPLOBOT_SEED_FILE": "none",
        }
        env.pop("DATABASE_URL", None)
        env.pop("DISCORD_TOKEN", None)
        base = [sys.executable, "-m", "bot", "--env-file", str(empty)]
        import_file(persons, where / "people.json")
        started = time.perf_counter()
        subprocess.run(
            [*base, "import", str(where / "people.json")],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        imported = time.perf_counter() - started
        say(f"imported in {imported:.0f} s")
        lines = "".join(f"!who {text}\n" for text in texts)
        started = time.perf_counter()
        done = subprocess.run(
            [*base, "ask", "--json", "-"],
            env=env,
            cwd=ROOT,
            input=lines,
            text=True,
            check=True,
            capture_output=True,
        )
        asked = time.perf_counter() - started
    answers = []
    for line in done.stdout.splitlines():
        shown = json.loads(line)
        outcome = {"found": "found", "ambiguous": "ambiguous"}.get(shown["status"], "not_found")
        entity = shown["entity"]["key"] if shown.get("entity") else None
        candidates = tuple(
            s["key"] for s in shown.get("suggestions") or () if isinstance(s, dict) and "key" in s
        )
        answers.append(matching.Answer(outcome, entity, candidates))
    return answers, {"import_s": imported, "ask_s": asked}


def resolve_in_process(persons: Sequence[Person], texts: Sequence[str]) -> list[matching.Answer]:
    index = SearchIndex(entries(persons))
    return [matching.answer_of(index, text) for text in texts]


def row(name: str, tally: matching.Tally) -> list[str]:
    return [
        name,
        str(tally.n),
        str(tally.tied),
        tally.share(tally.right),
        str(tally.found_right),
        f"{tally.ambiguous} ({tally.ambiguous_has})",
        f"{tally.not_found} ({tally.not_found_has})",
        str(tally.false),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=50_000, help="people (4 names each)")
    parser.add_argument("--queries", type=int, default=300, help="queries")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed")
    parser.add_argument("--in-process", action="store_true", help="SearchIndex.resolve, no store")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def say(line: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f} s] {line}", file=sys.stderr, flush=True)

    persons = people(args.people, args.seed)
    space = matching.KeySpace(entries(persons))
    made = queries(persons, space, args.queries, args.seed)
    texts = [query.text for query in made]
    say(f"{len(made)} queries over {4 * len(persons):,} aliases")
    times: dict[str, float] = {}
    if args.in_process:
        ours = resolve_in_process(persons, texts)
    else:
        ours, times = ask(persons, texts, say)
    baseline = matching.Baseline(entries(persons))
    base = [baseline.resolve(text) for text in texts]
    tallies = []
    for answers in (ours, base):
        tally = matching.Tally()
        for query, answer in zip(made, answers, strict=True):
            tally.add(query, answer)
        tallies.append(tally)
    how = "SearchIndex.resolve" if args.in_process else "`ask --json -`"
    print(
        f"{len(persons):,} people, {4 * len(persons):,} aliases, {len(made)} queries with one "
        f"typo after the first letter (seed {args.seed})"
    )
    header = ["", "n", "tied", "right", "found", "ambiguous", "not found", "FALSE"]
    print(matching.table(header, [row(how, tallies[0]), row("baseline ratio >= 80", tallies[1])]))
    if times:
        print(
            f"import {times['import_s']:.0f} s; "
            f"ask (load + {len(texts)} lookups) {times['ask_s']:.0f} s"
        )
    missed = [
        f"  {query.text!r} ({query.source}): {answer.outcome} {answer.best or ''}"
        for query, answer in zip(made, ours, strict=True)
        if not (answer.outcome == "found" and answer.best == query.target)
        and not (query.tied and answer.outcome == "ambiguous" and query.target in answer.candidates)
    ]
    if missed:
        print("not right (ours):")
        print("\n".join(missed[:20]))


if __name__ == "__main__":
    main()
