"""The ``diplobot`` command line: run, console, ask, names, draft, import, export, db.

Every failure a person can cause ends in one clear line on standard error and
exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm

    from bot.answers.quick import QuickLibrary
    from bot.config import Settings
    from bot.library import Library

from bot.errors import EXIT_USAGE

EXIT_INTERRUPTED = 130
"""What a shell reports for a command stopped by Ctrl-C (128 + SIGINT)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="diplobot",
        description="Answers questions about diplomatic news from a curated, sourced fact store.",
    )
    parser.add_argument(
        "--env-file", help="settings file to read (default: .env, when there is one)"
    )
    sub = parser.add_subparsers(dest="action", metavar="COMMAND")

    sub.add_parser("run", help="start the Discord bot (the default)")
    sub.add_parser("console", help="an interactive prompt that answers lookup commands")

    ask = sub.add_parser("ask", help="answer one lookup command, e.g. diplobot ask '!who nozdrev'")
    ask.add_argument("command", nargs="+", help="the command, or - to read one per line from stdin")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per line)")
    ask.add_argument("--yes", action="store_true", help="confirm curation commands that ask for it")
    ask.add_argument(
        "--chart",
        type=Path,
        metavar="FILE",
        help="write the answer's chart (a timeline of 3 dated facts or more) to FILE as PNG",
    )

    names = sub.add_parser(
        "names", help="every name in the store that a text names, as `ask '!names TEXT'` answers"
    )
    names.add_argument("file", help="a UTF-8 text file, or - to read standard input")
    names.add_argument("--json", action="store_true", help="print JSON")

    _add_curation_files(sub)

    dump = sub.add_parser("export", help="write the whole store to a curation file")
    dump.add_argument(
        "file", type=Path, help="a .yaml, .yml or .json file ('-' for YAML on stdout)"
    )

    db = sub.add_parser("db", help="schema migrations")
    db_sub = db.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="migrate to the newest schema")
    db_sub.add_parser("current", help="show the schema revision")
    down = db_sub.add_parser("downgrade", help="migrate down to a revision ('base' drops all)")
    down.add_argument("revision")
    down.add_argument("--yes", action="store_true", help="confirm dropping every table (base)")
    return parser


def _add_curation_files(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The subcommands that make and read curation files: ``draft`` and ``import``."""
    draft = sub.add_parser(
        "draft", help="draft an import file from a news article, to review and then import"
    )
    draft.add_argument(
        "source", help="an HTML or text file, - to read standard input, or an http(s) URL"
    )
    draft.add_argument("--title", help="the article's title (plain text carries none)")
    draft.add_argument("--outlet", help="the publication, such as Reuters; never guessed")
    draft.add_argument("--url", help="where the article can be read")
    draft.add_argument("--published", help="when: 2024-03-24 or 2024-03-24T06:21:00-04:00")
    draft.add_argument("--out", type=Path, help="write the draft to this file, not stdout")

    load = sub.add_parser("import", help="add or update entries from a curation file")
    load.add_argument("file", type=Path, help="a .yaml, .yml or .json file")
    load.add_argument("--reason", help="why, recorded with every change")
    load.add_argument(
        "--dry-run",
        action="store_true",
        help="list what the import would create, update or delete, and write nothing",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status.

    The heavy modules are imported here, inside the error handling, so that even
    Ctrl-C while Python is still loading them ends quietly."""
    try:
        args = build_parser().parse_args(argv)
        import logging

        from bot.config import Settings
        from bot.errors import DiplobotError, is_database_error

        try:
            settings = Settings.load(_env_file(args.env_file))
            if args.action not in (None, "run"):  # the bot sets up discord.py's own logging
                logging.basicConfig(
                    level=settings.log_level, format="%(levelname)s %(name)s: %(message)s"
                )
            if settings.log_level != "DEBUG":
                logging.getLogger("alembic").setLevel(logging.WARNING)
            return _dispatch(args, settings)
        except DiplobotError as error:
            print(f"diplobot: {error}", file=sys.stderr)
            return EXIT_USAGE
        except Exception as error:
            if not is_database_error(error):  # after the store was opened and checked
                raise
            from bot.store.db import plain_reason

            logging.getLogger(__name__).debug("the store failed", exc_info=error)
            print(f"diplobot: the store failed: {plain_reason(error)}", file=sys.stderr)
            return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`diplobot ask … | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _env_file(named: str | None) -> Path | None:
    """The settings file to read: the one named, which must exist and be UTF-8 text, or
    ./.env when there is one."""
    from bot.errors import ConfigError

    path = Path(named if named is not None else ".env")
    if not path.is_file():
        if named is None:
            return None
        raise ConfigError(f"the settings file {named} does not exist (--env-file)")
    try:
        path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read the settings file {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"the settings file {path} is not UTF-8 text (byte {error.start + 1})"
        ) from error
    return path


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot import console

    action = args.action or "run"
    if action == "ask" and args.chart is not None and args.command == ["-"]:
        from bot.errors import DiplobotError

        raise DiplobotError("--chart takes one command, not - (commands from standard input)")
    if action == "db":
        return _db(args, settings)
    if action == "run":
        from bot.chat.runner import run_bot

        return run_bot(settings)
    if action in ("import", "export"):
        return _transfer(args, settings)
    if action == "ask":
        return _ask(args, settings)
    # A one-shot command reads facts as it shows them; the console keeps them all in memory.
    library = _whole(settings, facts_in_memory=action == "console")
    try:
        if action == "console":
            return console.console(library)
        if action == "names":
            return _names(library, args.file, json_output=args.json)
        if action == "draft":
            return _draft(library, args, allow_private=settings.draft_allow_private_urls)
    finally:
        library.close()
    raise AssertionError(f"unhandled action {action}")


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer ``ask``'s command, or each line of standard input for ``-``."""
    from bot import console

    library = _ask_library(args, settings)
    try:
        if args.command == ["-"]:
            return console.ask_lines(library, sys.stdin, json_output=args.json, confirmed=args.yes)
        return console.ask(
            library,
            " ".join(args.command),
            json_output=args.json,
            confirmed=args.yes,
            chart=args.chart,
        )
    finally:
        library.close()


def _ask_library(args: argparse.Namespace, settings: Settings) -> Library | QuickLibrary[Library]:
    """The library ``ask`` reads: for lookups, one answering from a current snapshot when
    there is one (`bot.answers.quick`, which loads no SQLAlchemy); else the whole library,
    reading facts as it shows them."""
    from bot.core.curation_line import is_curation

    if args.chart is None and (args.command == ["-"] or not is_curation(" ".join(args.command))):
        from bot.answers.quick import open_quick

        quick = open_quick(settings, lambda: _whole(settings, facts_in_memory=False))
        if quick is not None:
            return quick
    return _whole(settings, facts_in_memory=False)


def _whole(settings: Settings, *, facts_in_memory: bool) -> Library:
    from bot.library import Library

    return Library.open(settings, facts_in_memory=facts_in_memory)


def _transfer(args: argparse.Namespace, settings: Settings) -> int:
    """Import or export: the store's records only, with no lookup catalog loaded."""
    from bot.curation.transfer import export_document, load_file
    from bot.library import open_store
    from bot.records.actor import Actor

    store = open_store(settings)
    try:
        if args.action == "import" and args.dry_run:
            print(load_file(store, args.file, Actor.console(), dry_run=True).dry_run())
            return 0
        if args.action == "import":
            bar = _ImportProgress()
            try:
                report = load_file(
                    store, args.file, Actor.console(), reason=args.reason, progress=bar
                )
            finally:
                bar.end_line()  # an error is printed on a line of its own
            print(report)
            return 0
        document = export_document(store)
        _export(args.file, document)
        if str(args.file) != "-":
            counts = ", ".join(_count(len(v), k.rstrip("s")) for k, v in document.items())
            print(f"exported {counts} to {args.file}", file=sys.stderr)
        return 0
    finally:
        store.close()


def _export(path: Path, document: dict[str, Any]) -> None:
    """Write the export to path through a temporary file beside it, renamed over it only
    once whole: a full disk or an interruption leaves an earlier backup as it was."""
    from bot.curation.files import write_document
    from bot.errors import ExportError

    if str(path) == "-":
        if sys.stdout is None:  # started with descriptor 1 closed
            raise ExportError("cannot write the export to standard output: it is closed")
        try:
            write_document(path, document)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as error:  # stdout closed or full
            reason = getattr(error, "strerror", None) or "standard output is closed"
            raise ExportError(f"cannot write the export to standard output: {reason}") from error
        return
    partial = path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")
    try:
        write_document(partial, document)
        os.replace(partial, path)
    except OSError as error:
        raise ExportError(f"{path}: cannot write the file: {error.strerror}") from error
    finally:
        partial.unlink(missing_ok=True)


def _names(library: Library, file: str, *, json_output: bool) -> int:
    """Answer `!names` with a file's text (``-``: standard input); the exit status as `ask`'s."""
    from bot import console
    from bot.answers.names import names_of
    from bot.curation.files import FILE_MAX_BYTES, read_file_bytes
    from bot.errors import DiplobotError, ImportFileError

    try:
        if file == "-":
            text = sys.stdin.read(FILE_MAX_BYTES + 1)
            if len(text) > FILE_MAX_BYTES:
                raise DiplobotError(f"standard input is over {FILE_MAX_BYTES:,} characters")
        else:
            text = read_file_bytes(Path(file)).decode("utf-8")
    except ImportFileError as error:  # not a regular file, or too large
        raise DiplobotError(f"cannot read {file}: {error.problems[0]}") from error
    except OSError as error:
        raise DiplobotError(f"cannot read {file}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise DiplobotError(f"{file} is not UTF-8 text") from error
    answer = names_of(library.catalog, text)
    print(console.as_printed(answer, json_output))
    return console.EXIT_CODES[answer.status]


def _draft(library: Library, args: argparse.Namespace, *, allow_private: bool) -> int:
    """Draft an import file from an article (a file, ``-`` for standard input, or a URL),
    against the names the store knows; written to ``--out`` or standard output."""
    from bot.drafting import fetch_url, make_draft, read_article
    from bot.drafting.decoding import MAX_BYTES
    from bot.errors import DiplobotError

    given = {"title": args.title, "outlet": args.outlet, "url_override": args.url}
    given["published"] = args.published
    source: str = args.source
    if source.casefold().startswith(("http://", "https://")):
        body, content_type, final = fetch_url(source, allow_private=allow_private)
        article = read_article(body, url=final, content_type=content_type, **given)
    else:
        try:
            if source == "-":
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                with open(source, "rb") as file:
                    data = file.read(MAX_BYTES + 1)
        except OSError as error:
            raise DiplobotError(f"cannot read {source}: {error.strerror or error}") from error
        article = read_article(data, **given)
    text = make_draft(article, library.known_names()).to_yaml()
    if args.out is None:
        sys.stdout.write(text)
        return 0
    partial = args.out.with_name(f".{args.out.name}.partial-{os.getpid()}")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, args.out)
    except OSError as error:
        raise DiplobotError(f"{args.out}: cannot write the draft: {error.strerror}") from error
    finally:
        partial.unlink(missing_ok=True)
    print(f"wrote the draft to {args.out}", file=sys.stderr)
    return 0


def _db(args: argparse.Namespace, settings: Settings) -> int:
    from bot.errors import DiplobotError
    from bot.store.db import Store, current_revision, downgrade, head_revision, upgrade

    dropping_all = args.db_action == "downgrade" and args.revision == "base" and not args.yes
    if dropping_all and not (sys.stdin.isatty() and _confirmed_base()):
        raise DiplobotError(
            "db downgrade base drops every table and all the data in them; "
            "add --yes to confirm (export first: diplobot export backup.yaml)"
        )
    store = Store.open(settings.database_url, migrate=False)
    try:
        if args.db_action == "upgrade":
            with store.setting_up():  # one process migrates at a time
                upgrade(store.engine)
        elif args.db_action == "downgrade":
            downgrade(store.engine, args.revision)
        current = current_revision(store.engine)
        print(f"schema revision: {current or 'none (empty database)'} (newest: {head_revision()})")
        return 0
    finally:
        store.close()


def _confirmed_base() -> bool:
    """Ask at the terminal before dropping every table."""
    answer = input("This drops every table and all the data in them. Type 'yes' to go on: ")
    return answer.strip().casefold() == "yes"


class _ImportProgress:
    """An import's progress on standard error, drawn by tqdm as one line redrawn in place
    (``importing: 150/300 (50%)``) at every 5 % step, for imports of at least min_total
    records. It is drawn whether or not standard error is a terminal."""

    def __init__(self, min_total: int = 200) -> None:
        self.min_total = min_total
        self.shown = -1
        self.bar: tqdm[Any] | None = None
        """The bar while its line waits for its end (100%, or `end_line`)."""

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_total:
            return
        percent = done * 100 // total
        if percent == self.shown or (percent % 5 != 0 and done != total):
            return
        self.shown = percent
        if self.bar is None:
            from tqdm import tqdm

            # At these steps, and with min_total records or more, tqdm's rounded
            # percentage is the whole percent done.
            self.bar = tqdm(
                total=total,
                initial=done,
                file=sys.stderr,
                bar_format="importing: {n}/{total} ({percentage:.0f}%)",
                mininterval=0,
                dynamic_ncols=False,
            )
        else:
            self.bar.n = done
            if done != total:
                self.bar.refresh()
        if done == total:
            self.end_line()

    def end_line(self) -> None:
        """End the bar's line if it is still open, so what follows starts a line."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
