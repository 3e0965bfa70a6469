"""Hearing about changes other processes make to the store, as soon as they commit.

On PostgreSQL every change sends ``NOTIFY diplobot_changes`` in its own
transaction (see `notify`), so it is delivered on commit and never for a
rolled-back change. A `ChangeListener` keeps one connection of its own, outside
the engine's pool, listening on that channel in a daemon thread, and calls back
on each notification. When the connection drops it reconnects with a growing
backoff (tenacity) and calls back once more, to catch up on what it missed meanwhile.

On SQLite there is nothing to listen to: the listener does nothing, and the
periodic check of the latest revision (`bot.library.Library.refresh`) covers it.

The guarantee readers build on: **revisions become visible in the order of their
numbers.** Once a reader has seen revision N, no revision numbered below N appears
later, so "the revisions numbered above the last one I saw" is a complete catch-up,
on either database. Numbers may skip (a rolled-back change on PostgreSQL leaves
its numbers unused), but nothing arrives behind the newest. SQLite gives this by
itself (one writer at a time); on PostgreSQL two transactions draw numbers from a
sequence and could commit in the other order, so a writer takes its turn
(`number_in_commit_order`) just before it draws its revision numbers and keeps it
until it commits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session
from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)

CHANNEL = "diplobot_changes"
"""The PostgreSQL notification channel changes are announced on; the payload is the
number of the newest revision, as text."""

APPLICATION_NAME = "diplobot-listener"
"""How the listening connection names itself in ``pg_stat_activity``."""

POLL = 0.5
"""Seconds between checks for `ChangeListener.stop` while waiting for notifications."""

BACKOFF = (0.2, 5.0)
"""The first and the longest wait, in seconds, before reconnecting after a drop."""


def number_in_commit_order(session: Session) -> None:
    """Wait, inside session's transaction, for this store's turn to number revisions, and
    hold it until the transaction ends: revisions are then numbered in commit order.

    Call it just before inserting revisions, as the last writing a transaction does,
    so the turn is held only for that and the commit. A PostgreSQL transaction-level
    advisory lock, one per schema; on SQLite (one writer at a time already) it does
    nothing."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock("
            "hashtextextended(:name || coalesce(current_schema(), ''), 0))"
        ),
        {"name": _NUMBERING_LOCK},
    )


_NUMBERING_LOCK = "diplobot revision numbers in "
"""Named with the schema, hashed to the advisory lock `number_in_commit_order` takes."""


def notify(session: Session, newest: int) -> None:
    """Announce, inside session's transaction, that the store now reaches revision newest.

    PostgreSQL delivers it when the transaction commits, and not at all when it rolls
    back. On SQLite this does nothing.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": CHANNEL, "payload": str(newest)},
    )


class ChangeListener:
    """Calls ``callback`` from a daemon thread whenever another process changes the store.

    ``callback`` gets the notification's payload (the newest revision number, as
    text), or None after a reconnection, when changes may have been missed. It runs
    on the listener's thread; whatever it raises is logged and the listening goes on.
    """

    def __init__(
        self,
        engine: Engine,
        callback: Callable[[str | None], object],
        *,
        application_name: str = APPLICATION_NAME,
    ) -> None:
        self.engine = engine
        self.callback = callback
        self.application_name = application_name
        self.where = engine.url.render_as_string(hide_password=True)
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        """Whether this store can notify at all (PostgreSQL); SQLite cannot."""
        return self.engine.dialect.name == "postgresql"

    def start(self) -> ChangeListener:
        """Begin listening in the background; does nothing on SQLite or when started."""
        if not self.enabled or self._thread is not None:
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="diplobot-changes", daemon=True)
        self._thread.start()
        return self

    def wait_listening(self, timeout: float) -> bool:
        """Wait until the listener's connection is listening; whether it is (tests use this)."""
        return self._listening.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening and close the connection, within about `POLL` seconds."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def _connect_kwargs(self) -> dict[str, Any]:
        """What psycopg needs to reach the engine's database, password included."""
        args, params = self.engine.dialect.create_connect_args(self.engine.url)
        if args:  # the psycopg dialect passes everything by keyword; be safe
            params.setdefault("conninfo", args[0])
        params.pop("context", None)  # SQLAlchemy's own type adapters; plain psycopg here
        params.setdefault("application_name", self.application_name)
        # Notice a peer that vanished without closing the socket (a dead host, a cut network).
        params.setdefault("keepalives", 1)
        params.setdefault("keepalives_idle", 10)
        params.setdefault("keepalives_interval", 5)
        params.setdefault("keepalives_count", 3)
        params.setdefault("connect_timeout", 5)
        return dict(params)

    def _run(self) -> None:
        import psycopg  # only needed, and only installed, for PostgreSQL

        lost = False
        while not self._stop.is_set():
            try:
                connection, retried = self._connect()
            except (_Stopped, psycopg.Error):  # told to stop while the database was unreachable
                break
            lost = lost or retried
            try:
                with connection:
                    self._listening.set()
                    if lost:
                        log.info("listening for changes at %s again", self.where)
                        self._call(None)  # catch up on whatever was missed
                    else:
                        log.debug("listening for changes at %s", self.where)
                    lost = False
                    while not self._stop.is_set():
                        for notification in connection.notifies(timeout=POLL):
                            self._call(notification.payload)
                            if self._stop.is_set():
                                break
            except psycopg.Error as error:
                self._listening.clear()
                if self._stop.is_set():
                    break
                log.warning(
                    "lost the connection listening for changes at %s (%s); reconnecting",
                    self.where,
                    _first_line(error),
                )
                lost = True
                self._stop.wait(BACKOFF[0])
        self._listening.clear()

    def _connect(self) -> tuple[psycopg.Connection[Any], bool]:
        """A connection listening on `CHANNEL`, and whether it took more than one try.

        Tries again after each failure, waiting twice as long each time from
        ``BACKOFF[0]`` up to ``BACKOFF[1]`` seconds; `stop` cuts a wait short and ends
        the tries (`_Stopped`, or the last failure)."""
        import psycopg

        def listening() -> psycopg.Connection[Any]:
            if self._stop.is_set():
                raise _Stopped
            connection = psycopg.connect(autocommit=True, **self._connect_kwargs())
            try:
                connection.execute(f"LISTEN {CHANNEL}")
            except BaseException:
                connection.close()
                raise
            return connection

        retrying = Retrying(
            retry=retry_if_exception_type(psycopg.Error),
            wait=wait_exponential(multiplier=BACKOFF[0], max=BACKOFF[1]),
            stop=lambda _state: self._stop.is_set(),
            sleep=self._pause,
            before_sleep=self._retrying,
            reraise=True,
        )
        connection = retrying(listening)
        return connection, retrying.statistics.get("attempt_number", 1) > 1

    def _pause(self, seconds: float) -> None:
        """Wait between tries, cut short by `stop`."""
        self._stop.wait(seconds)

    def _retrying(self, state: RetryCallState) -> None:
        """Say why the last try failed and when the next one is."""
        error = state.outcome.exception() if state.outcome is not None else None
        delay = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "could not connect to %s to listen for changes (%s); retrying in %.1f s",
            self.where,
            _first_line(error),
            delay,
        )

    def _call(self, payload: str | None) -> None:
        try:
            self.callback(payload)
        except Exception:
            log.warning("handling a change notification failed", exc_info=True)


class _Stopped(Exception):
    """`ChangeListener.stop` was called before the next try to connect."""


def _first_line(error: BaseException | None) -> object:
    """The first line of error's message (psycopg's run to several), or error itself."""
    text = str(error).strip()
    return text.splitlines()[0] if text else error


__all__ = ["APPLICATION_NAME", "CHANNEL", "ChangeListener", "notify", "number_in_commit_order"]
