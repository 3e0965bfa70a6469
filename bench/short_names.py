"""Why two-word names of short words get a narrower context allowance: a measurement.

    python bench/short_names.py            # 50,000 people of bench/people.py, 200,000 aliases

Two-word names are grouped by their words' lengths (both of at most 4 letters,
one, or neither). For each group, names with one edit after the first letter
(a letter added, dropped or changed, or two neighbours swapped) are resolved, and so
are absent names: a stored two-word name with one of its words replaced by another
stored word one edit away, as another person's name would be. Each allowance
rule for the short-short group is tried in turn:

- any: one edit of any kind, as for longer names;
- unless a word: any edit, unless it makes a word in its own right (a stored word, or
  a common word of some language), which only a drop or a swap may (the rule chosen);
- swap or drop: only a letter dropped or two neighbours swapped, first letters kept
  (the rule before);
- first letters kept: any edit but one at a word's first letter;
- none: no allowance beyond the words' own rules.

The numbers are in docs/matching.md and bench/README.md.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import OSA  # noqa: E402

from bench import people  # noqa: E402
from bot.search import form_lookup  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402
from bot.search.normalize import fold  # noqa: E402
from bot.search.results import Outcome  # noqa: E402

SAMPLE = 400
LETTERS = "abdeghiklmnoprstuvz"


def group(name: str) -> str | None:
    words = name.split()
    if len(words) != 2:
        return None
    short = [len(word) <= form_lookup.SHORT_WORD for word in words]
    return "short-short" if all(short) else "short-long" if any(short) else "long-long"


def edit(rng: random.Random, name: str) -> str:
    """name with one edit of a random kind after its first letter."""
    op = rng.choice("idst")
    if op == "i":
        at = rng.randrange(1, len(name) + 1)
        return name[:at] + rng.choice(LETTERS) + name[at:]
    if op == "d":
        at = rng.randrange(1, len(name))
        return name[:at] + name[at + 1 :]
    if op == "s":
        at = rng.randrange(1, len(name))
        return name[:at] + rng.choice([c for c in LETTERS if c != name[at]]) + name[at + 1 :]
    places = [i for i in range(1, len(name) - 1) if name[i] != name[i + 1]]
    at = rng.choice(places)
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def neighbours(word: str, keep_first: bool) -> set[str]:
    """Every word one edit from word (the first letter kept when asked)."""
    start = 1 if keep_first else 0
    found = {word[:at] + word[at + 1 :] for at in range(start, len(word))}
    found |= {word[:at] + c + word[at:] for at in range(start, len(word) + 1) for c in LETTERS}
    found |= {word[:at] + c + word[at + 1 :] for at in range(start, len(word)) for c in LETTERS}
    found |= {word[:at] + word[at + 1] + word[at] + word[at + 2 :] for at in range(len(word) - 1)}
    found.discard(word)
    return found


def measure(
    index: SearchIndex, names: list[str], owners: dict[str, set[str]], pool: set[str], seed: int
) -> str:
    rng = random.Random(seed)
    stored = set(owners)
    counts = dict.fromkeys(("n", "right", "ambiguous", "not found", "other"), 0)
    for name in rng.sample(names, min(SAMPLE, len(names))):
        typed = edit(rng, name)
        if len(typed.split()) != 2 or typed in stored or OSA.distance(typed, name) != 1:
            continue
        counts["n"] += 1
        resolution = index.resolve(typed)
        if resolution.outcome is Outcome.FOUND and resolution.best is not None:
            counts["right" if resolution.best.entity in owners[name] else "other"] += 1
        else:
            counts["ambiguous" if resolution.outcome is Outcome.AMBIGUOUS else "not found"] += 1
    made = found = 0
    for name in rng.sample(names, min(SAMPLE, len(names))):
        words = name.split()
        at = rng.randrange(2)
        others = sorted(w for w in neighbours(words[at], at == 0) if w in pool)
        if not others:
            continue
        typed = " ".join([*words[:at], rng.choice(others), *words[at + 1 :]])
        if typed in stored:
            continue
        made += 1
        found += index.resolve(typed).outcome is Outcome.FOUND
    one = ", ".join(f"{key} {value}" for key, value in counts.items())
    return f"one edit: {one}; another stored word one edit away (absent): {made}, found {found}"


def swap_or_drop(stored: list[str], position: int, typed: str, is_word: IsWord) -> bool:
    """The rule before: two short words allow only a drop or a swap, first letter kept."""
    word = stored[position]
    return (
        len(stored) > 2
        or any(len(word) > form_lookup.SHORT_WORD for word in stored)
        or (len(typed) < len(word) and typed[0] == word[0])
        or form_lookup._swapped_inside(typed, word)
    )


IsWord = Callable[[str], bool]
RULES: dict[str, Callable[[list[str], int, str, IsWord], bool]] = {
    "any": lambda stored, position, typed, is_word: True,
    "unless a word": form_lookup._context_enough,
    "swap or drop": swap_or_drop,
    "first letters kept": lambda stored, position, typed, is_word: (
        len(stored) > 2
        or any(len(word) > form_lookup.SHORT_WORD for word in stored)
        or (typed[0] == stored[position][0] and typed[1:] != stored[position])
    ),
    "none": lambda stored, position, typed, is_word: (
        len(stored) > 2 or any(len(word) > form_lookup.SHORT_WORD for word in stored)
    ),
}


def main() -> None:
    persons = people.people(50_000, people.SEED)
    entries = people.entries(persons)
    owners: dict[str, set[str]] = {}
    for entry in entries:
        owners.setdefault(fold(entry.alias), set()).add(entry.entity)
    groups: dict[str, list[str]] = {}
    for name in sorted(owners):
        if (which := group(name)) is not None:
            groups.setdefault(which, []).append(name)
    pool = {word for name in owners for word in name.split()}
    index = SearchIndex(entries)
    chosen = form_lookup._context_enough
    try:
        for rule, check in RULES.items():
            form_lookup._context_enough = check  # type: ignore[assignment]
            for which, names in sorted(groups.items()):
                if which == "short-short" or rule == "any":
                    line = measure(index, names, owners, pool, people.SEED)
                    print(f"{rule:>12}  {which:<11} ({len(names):,} names): {line}")
    finally:
        form_lookup._context_enough = chosen


if __name__ == "__main__":
    main()
