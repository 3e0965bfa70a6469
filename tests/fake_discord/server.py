"""A fake of Discord's REST API (v10) and gateway, served by aiohttp on 127.0.0.1.

An *unmodified* discord.py 2.7 client logs in against it over real sockets. The
fake holds one bot user, one guild with one text channel and two members (the bot
and a human), and lets a test drive the bot the way Discord would:

* REST: ``GET /users/@me``, ``GET /gateway[/bot]``, ``GET /oauth2/applications/@me``
  (and ``/applications/@me``), ``POST /channels/{id}/messages`` (JSON or multipart
  ``payload_json`` + files), ``POST /channels/{id}/typing``,
  ``POST /interactions/{id}/{token}/callback`` (honours ``?with_response=``),
  ``POST /webhooks/{app}/{token}`` (follow-ups) and
  ``GET|PATCH|DELETE /webhooks/{app}/{token}/messages/{@original|id}``. Every
  request is recorded; anything else answers 404 JSON and is kept in
  :attr:`FakeDiscord.unknown_requests` so a test notices.
* Gateway (``/gateway``): HELLO, heartbeat ACK, IDENTIFY -> READY + GUILD_CREATE,
  RESUME -> the missed events, then RESUMED (INVALID_SESSION ``d=false`` for an
  ended session), REQUEST_GUILD_MEMBERS -> one GUILD_MEMBERS_CHUNK. Every dispatch
  of the session is kept with its ``s``: one made while no socket is live is sent
  on RESUME, as is any the client's RESUME ``seq`` shows it missed. Frames are
  ``zlib-stream`` compressed when the client asks for it (discord.py does unless
  a zstd module is installed); for any other ``compress=`` value they are sent
  as plain text frames, which discord.py accepts.
* Intents sent in IDENTIFY are honoured for messages: no guild MESSAGE_CREATE
  without GUILD_MESSAGES, and content/embeds/attachments/components are blanked
  without MESSAGE_CONTENT unless the message mentions the bot (as Discord does).
* Test hooks: :meth:`FakeDiscord.send_message`, :meth:`FakeDiscord.send_interaction`
  (:func:`chat_input` builds its ``data``), :meth:`FakeDiscord.wait_for_request`.
  Faults: :meth:`FakeDiscord.disconnect` (a close code; 4007/4009 also end the
  session), :meth:`FakeDiscord.drop` (TCP cut, no close frame),
  :meth:`FakeDiscord.invalidate_session` (op 9, ``d=false``),
  :meth:`FakeDiscord.rate_limit_next` (429 with ``retry_after``) and
  :meth:`FakeDiscord.fail_next` (500/502/503/504). Counters: ``identifies``,
  ``resumes``; REST calls answered by a fault land in ``failed_requests``.

Not faked: sharding, voice, presences, threads, DMs, reactions, component/modal
interactions' message state, permission checks, real rate-limit buckets, token
validation (any token is accepted and recorded), zstd compression, ETF encoding,
the 3-second deadline for answering an interaction, a cap on the events kept for
replay.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import secrets
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

__all__ = ["API_PREFIX", "FakeDiscord", "RecordedRequest", "chat_input"]

API_PREFIX = "/api/v10"
JSON = dict[str, Any]

# Close codes after which Discord refuses to RESUME the session (invalid seq, session timed out).
_SESSION_ENDING = frozenset({4007, 4009})
# Gateway opcodes and intents bits (https://discord.com/developers/docs/topics/gateway).
_DISPATCH, _HEARTBEAT, _IDENTIFY, _RESUME = 0, 1, 2, 6
_REQUEST_MEMBERS, _INVALID_SESSION, _HELLO, _HEARTBEAT_ACK = 8, 9, 10, 11
_GUILD_MESSAGES, _MESSAGE_CONTENT = 1 << 9, 1 << 15
_EPHEMERAL, _LOADING = 1 << 6, 1 << 7
# VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY,
# ADD_REACTIONS, USE_APPLICATION_COMMANDS.
_PERMISSIONS = str(sum(1 << b for b in (10, 11, 14, 15, 16, 6, 31)))
_DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count()


def snowflake() -> str:
    """Return a fresh, time-ordered Discord snowflake as a string."""
    ms = int(time.time() * 1000) - _DISCORD_EPOCH_MS
    return str((ms << 22) | (next(_counter) & 0x3FFFFF))


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _json_response(data: Any, status: int = 200, **headers: str) -> web.Response:
    # discord.py only parses the body when Content-Type is exactly "application/json";
    # web.json_response would append "; charset=utf-8".
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **headers},
    )


def chat_input(
    name: str,
    options: Mapping[str, str | int | float | bool] | None = None,
    *,
    command_id: str | None = None,
    guild_id: str | None = None,
) -> JSON:
    """Build the ``data`` of a CHAT_INPUT application-command interaction.

    discord.py's ``CommandTree`` finds the command by ``name`` (in the guild's
    commands first when ``guild_id`` is given, the way a guild command arrives).
    """
    opts: list[JSON] = []
    for key, value in (options or {}).items():
        # STRING=3, INTEGER=4, BOOLEAN=5, NUMBER=10; bool is checked before int.
        kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 10
        opts.append({"name": key, "type": 3 if isinstance(value, str) else kind, "value": value})
    data: JSON = {"id": command_id or snowflake(), "name": name, "type": 1, "options": opts}
    if guild_id is not None:
        data["guild_id"] = guild_id
    return data


@dataclass
class _Fault:
    """How to answer one REST call instead of carrying it out: 429 or a 5xx."""

    status: int
    retry_after: float = 0.0
    path: re.Pattern[str] | None = None

    def response(self) -> web.Response:
        if self.status == 429:
            body = {"message": "You are being rate limited.", "retry_after": self.retry_after,
                    "global": False}  # fmt: skip
            headers = {"Via": "1.1 google", "Retry-After": str(self.retry_after),
                       "X-RateLimit-Scope": "user", "X-RateLimit-Global": "false"}  # fmt: skip
            return _json_response(body, 429, **headers)
        if self.status == 500:  # Discord's API itself failed
            return _json_response({"message": "500: Internal Server Error", "code": 0}, 500)
        # Anything else comes from the edge in front of the API, as an HTML page.
        reason = web.Response(status=self.status).reason
        title = f"{self.status} {reason}"
        page = f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1>"
        page += "</center><hr><center>cloudflare</center></body></html>"
        return web.Response(text=page, status=self.status, content_type="text/html")


@dataclass
class RecordedRequest:
    """One REST call the client made. ``body`` is the JSON body (for multipart
    requests: the parsed ``payload_json`` part); ``files`` maps part name to bytes."""

    method: str
    path: str  # relative to /api/v10, e.g. "/channels/123/messages"
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 0


class FakeDiscord:
    """In-process fake Discord. ``await start()``, point discord.py at
    :attr:`api_url` / :attr:`gateway_url`, drive it, then ``await stop()``."""

    def __init__(self, *, bot_name: str = "FakeBot", human_name: str = "alice") -> None:
        self.application_id = self.bot_id = "1100000000000000001"
        self.guild_id, self.channel_id = "1100000000000000010", "1100000000000000020"
        self.human_id, self.bot_role_id = "1100000000000000030", "1100000000000000040"
        self.bot_user: JSON = {
            "id": self.bot_id, "username": bot_name, "global_name": None, "discriminator": "0",
            "avatar": None, "bot": True, "verified": True, "mfa_enabled": False, "flags": 0,
            "public_flags": 0, "email": None, "locale": "en-US", "premium_type": 0,
        }  # fmt: skip
        self.human_user: JSON = {
            "id": self.human_id, "username": human_name, "global_name": human_name.title(),
            "discriminator": "0", "avatar": None, "public_flags": 0,
        }  # fmt: skip
        self.requests: list[RecordedRequest] = []
        self.unknown_requests: list[RecordedRequest] = []
        self.failed_requests: list[RecordedRequest] = []  # answered by a fault hook
        self.identify: JSON | None = None  # the last IDENTIFY payload ("d")
        self.identifies = 0
        self.resumes = 0
        self._consumed: set[int] = set()
        self._request_added = asyncio.Condition()
        self._faults: list[_Fault] = []
        self._originals: dict[str, JSON] = {}  # interaction token -> original response
        self._inflight: dict[int, RecordedRequest] = {}  # id(request) -> its record
        self._ws: web.WebSocketResponse | None = None
        self._transport: asyncio.Transport | None = None  # the gateway's TCP connection
        self._zlib: Any = None  # zlib compressobj of the current connection
        self._send_lock = asyncio.Lock()
        self._seq = 0
        self._session_id = ""
        self._events: list[JSON] = []  # this session's dispatches, kept for replay on RESUME
        self._session_lock = asyncio.Lock()  # orders dispatches against a RESUME's replay
        self._connected = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """What ``discord.http.Route.BASE`` must be set to."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def intents(self) -> int:
        return int(self.identify.get("intents", 0)) if self.identify else 0

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and start serving."""
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/gateway", self._gateway)
        r = app.router
        r.add_get(API_PREFIX + "/users/@me", self._users_me)
        r.add_get(API_PREFIX + "/gateway", self._gateway_bot)
        r.add_get(API_PREFIX + "/gateway/bot", self._gateway_bot)
        r.add_get(API_PREFIX + "/oauth2/applications/@me", self._application)
        r.add_get(API_PREFIX + "/applications/@me", self._application)
        r.add_post(API_PREFIX + "/channels/{channel_id}/messages", self._create_message)
        r.add_post(API_PREFIX + "/channels/{channel_id}/typing", self._no_content)
        r.add_post(API_PREFIX + "/interactions/{id}/{token}/callback", self._callback)
        r.add_post(API_PREFIX + "/webhooks/{app}/{token}", self._followup)
        hook_msg = API_PREFIX + "/webhooks/{app}/{token}/messages/{message_id}"
        r.add_get(hook_msg, self._get_webhook_message)
        r.add_patch(hook_msg, self._edit_webhook_message)
        r.add_delete(hook_msg, self._no_content)
        r.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Close the gateway connection (if any) and the HTTP server."""
        if self._ws is not None and not self._ws.closed:
            await self._ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ test hooks
    async def wait_until_connected(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until READY + GUILD_CREATE (or RESUMED) have been sent on a live socket."""
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def send_message(
        self, content: str, *, author: JSON | None = None, embeds: list[JSON] | None = None
    ) -> JSON:
        """Dispatch a MESSAGE_CREATE in the guild channel (author: the human user).

        Returns the full payload; the bot may not receive it, or receive it without
        content, depending on the intents it identified with."""
        author = author or self.human_user
        message = self._message(content, author, embeds=embeds)
        message["guild_id"] = self.guild_id
        message["member"] = {k: v for k, v in self._member(author).items() if k != "user"}
        if self.intents & _GUILD_MESSAGES:
            event = dict(message)
            if not self.intents & _MESSAGE_CONTENT and self.bot_id not in (
                m["id"] for m in message["mentions"]
            ):
                event.update(content="", embeds=[], attachments=[], components=[])
            await self.dispatch("MESSAGE_CREATE", event)
        return message

    async def press(self, message: JSON, custom_id: str, *, user: JSON | None = None) -> JSON:
        """Dispatch an INTERACTION_CREATE of type 3: ``user`` (default: the human) presses
        the button ``custom_id`` under ``message``, a body the bot sent (as recorded)."""
        shown = self._bot_message(message)
        data: JSON = {"custom_id": custom_id, "component_type": 2}
        return await self.send_interaction(data, user=user, kind=3, message=shown)

    async def send_interaction(
        self, data: JSON, *, user: JSON | None = None, kind: int = 2, message: JSON | None = None
    ) -> JSON:
        """Dispatch an INTERACTION_CREATE of type ``kind`` (2, an application command)
        carrying ``data`` (see :func:`chat_input`), used by ``user`` (default: the human)
        in the guild channel. Returns the payload (its ``id``/``token`` address the callback)."""
        interaction: JSON = {
            "id": snowflake(), "application_id": self.application_id, "type": kind,
            "data": data, "guild_id": self.guild_id,
            "guild": {"id": self.guild_id, "locale": "en-US", "features": []},
            "channel_id": self.channel_id,
            "channel": {**self._channel(), "guild_id": self.guild_id},
            "member": {**self._member(user or self.human_user), "permissions": _PERMISSIONS},
            "token": "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48).replace("-", "x"),
            "version": 1, "app_permissions": _PERMISSIONS, "locale": "en-US",
            "guild_locale": "en-US", "entitlements": [], "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": self.guild_id}, "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }  # fmt: skip
        if message is not None:
            interaction["message"] = message
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    async def wait_for_request(
        self,
        method: str,
        path_pattern: str,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> RecordedRequest:
        """Return the first not-yet-returned request whose method matches and whose
        path (relative to /api/v10) ``re.fullmatch``-es ``path_pattern``; wait for it
        if it hasn't arrived. Raises ``TimeoutError`` after ``timeout`` seconds."""
        rx = re.compile(path_pattern)

        def find() -> RecordedRequest | None:
            for i, req in enumerate(self.requests):
                if (
                    i not in self._consumed
                    and req.method == method.upper()
                    and rx.fullmatch(req.path)
                ):
                    self._consumed.add(i)
                    return req
            return None

        async with self._request_added:
            found = await asyncio.wait_for(self._request_added.wait_for(find), timeout)
        assert found is not None
        return found

    async def disconnect(self, code: int = 4000) -> None:
        """Close the gateway socket with ``code``. Most codes (4000 = unknown error)
        are resumable: discord.py reconnects to ``resume_gateway_url``, sends RESUME and
        gets the events it missed. 4007 (invalid seq) and 4009 (session timed out) end
        the session too: discord.py still sends RESUME, gets INVALID_SESSION
        (``d=false``) and IDENTIFYs again (after its 5 s wait); what was dispatched in
        between is lost. 4004 and 4010-4014 make discord.py give up (4014 is
        ``PrivilegedIntentsRequired``)."""
        self._connected.clear()
        if code in _SESSION_ENDING:
            self._end_session()
        if self._ws is not None:
            await self._ws.close(code=code)

    def drop(self) -> None:
        """Cut the gateway's TCP connection without a close frame, as a failing network
        does. discord.py sees an abnormal closure (1006) and RESUMEs."""
        self._connected.clear()
        if self._transport is not None:
            self._transport.abort()

    async def invalidate_session(self) -> None:
        """Send INVALID_SESSION (op 9, ``d=false``) on the live socket and forget the
        session: discord.py closes the socket and IDENTIFYs again (after its 5 s wait)."""
        self._connected.clear()
        self._end_session()
        await self._send({"op": _INVALID_SESSION, "d": False})

    def rate_limit_next(
        self, retry_after: float = 0.05, count: int = 1, *, path: str | None = None
    ) -> None:
        """Answer the next ``count`` REST calls (only those whose path ``re.fullmatch``-es
        ``path``, when given) with 429 and ``retry_after`` seconds; discord.py sleeps and
        retries. The 429'd attempts go to ``failed_requests``, not ``requests``."""
        rx = re.compile(path) if path is not None else None
        self._faults.extend(_Fault(429, retry_after, rx) for _ in range(count))

    def fail_next(self, status: int = 502, count: int = 1, *, path: str | None = None) -> None:
        """Answer the next ``count`` REST calls (only those whose path ``re.fullmatch``-es
        ``path``, when given) with server error ``status``, as Discord does in an
        incident: 502/503/504 as the edge's HTML page, 500 as Discord's JSON. The call is
        not carried out; the attempt goes to ``failed_requests``.

        discord.py 2.7's HTTP client retries 500, 502 and 504 up to five tries, sleeping
        1, 3, 5, 7 and 9 s after the failures, then raises ``DiscordServerError`` (after
        25 s); a 503 it raises at once. Interaction callbacks and webhooks go through its
        webhook adapter instead, which retries every 5xx the same way."""
        if not 500 <= status <= 599:
            raise ValueError(f"fail_next wants a 5xx status, not {status}")
        rx = re.compile(path) if path is not None else None
        self._faults.extend(_Fault(status, 0.0, rx) for _ in range(count))

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a raw DISPATCH (op 0) event to the connected client. While no session is
        live (dropped, not yet resumed) the event is only kept: RESUME replays it."""
        async with self._session_lock:
            await self._dispatch(event, data, live=False)

    # ------------------------------------------------------------------ payloads
    def _channel(self) -> JSON:
        return {
            "id": self.channel_id, "type": 0, "name": "general", "position": 0,
            "permission_overwrites": [], "topic": None, "nsfw": False, "parent_id": None,
            "last_message_id": None, "rate_limit_per_user": 0, "flags": 0,
        }  # fmt: skip

    def _member(self, user: JSON) -> JSON:
        return {
            "user": user, "roles": [self.bot_role_id] if user.get("bot") else [],
            "nick": None, "avatar": None, "banner": None, "joined_at": _now(),
            "premium_since": None, "deaf": False, "mute": False, "pending": False,
            "flags": 0, "communication_disabled_until": None,
        }  # fmt: skip

    def _role(self, role_id: str, name: str, position: int, **extra: Any) -> JSON:
        return {
            "id": role_id, "name": name, "color": 0, "hoist": False, "icon": None,
            "unicode_emoji": None, "position": position, "permissions": _PERMISSIONS,
            "managed": False, "mentionable": False, "flags": 0, **extra,
        }  # fmt: skip

    def _guild(self) -> JSON:
        members = [self._member(self.bot_user), self._member(self.human_user)]
        return {
            "id": self.guild_id, "name": "Fake Guild", "icon": None, "splash": None,
            "discovery_splash": None, "banner": None, "description": None,
            "owner_id": self.human_id, "afk_channel_id": None, "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0,
            "premium_tier": 0, "premium_subscription_count": 0, "features": [],
            "preferred_locale": "en-US", "system_channel_id": self.channel_id,
            "system_channel_flags": 0, "rules_channel_id": None,
            "public_updates_channel_id": None, "vanity_url_code": None,
            "roles": [
                self._role(self.guild_id, "@everyone", 0),
                self._role(self.bot_role_id, "FakeBot", 1, managed=True,
                           tags={"bot_id": self.bot_id}),
            ],
            "emojis": [], "stickers": [], "joined_at": _now(), "large": False,
            "unavailable": False, "member_count": len(members), "members": members,
            "channels": [self._channel()], "threads": [], "presences": [],
            "voice_states": [], "stage_instances": [], "guild_scheduled_events": [],
            "soundboard_sounds": [], "premium_progress_bar_enabled": False, "lazy": True,
        }  # fmt: skip

    def _message(
        self, content: str, author: JSON, *, channel_id: str | None = None, **fields: Any
    ) -> JSON:
        known = {u["id"]: u for u in (self.bot_user, self.human_user)}
        mentioned = dict.fromkeys(re.findall(r"<@!?(\d+)>", content))
        message: JSON = {
            "id": snowflake(), "type": 0, "channel_id": channel_id or self.channel_id,
            "author": author, "content": content, "timestamp": _now(),
            "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [known[i] for i in mentioned if i in known], "mention_roles": [],
            "attachments": [], "embeds": [], "components": [], "pinned": False, "flags": 0,
        }  # fmt: skip
        message.update({k: v for k, v in fields.items() if v is not None})
        for embed in message["embeds"]:
            embed.setdefault("type", "rich")
        return message

    def _bot_message(self, body: Any, **fields: Any) -> JSON:
        body = body if isinstance(body, dict) else {}
        flags = int(body.get("flags") or 0) | int(fields.pop("flags", 0))
        return self._message(
            body.get("content") or "", self.bot_user,
            embeds=[dict(e) for e in body.get("embeds") or []],
            components=body.get("components"), tts=body.get("tts"),
            message_reference=body.get("message_reference"), flags=flags, **fields,
        )  # fmt: skip

    # ------------------------------------------------------------------ REST
    async def _users_me(self, _: web.Request) -> web.Response:
        return _json_response(self.bot_user)

    async def _no_content(self, _: web.Request) -> web.Response:
        return web.Response(status=204)

    def _take_fault(self, path: str) -> _Fault | None:
        for i, fault in enumerate(self._faults):
            if fault.path is None or fault.path.fullmatch(path):
                return self._faults.pop(i)
        return None

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            return await handler(request)  # type: ignore[no-any-return]
        rec = RecordedRequest(
            request.method, request.path[len(API_PREFIX) :], dict(request.query),
            dict(request.headers),
        )  # fmt: skip
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            while isinstance(part := await reader.next(), BodyPartReader):
                raw = await part.read()
                if part.name == "payload_json":
                    rec.body = json.loads(raw)
                else:
                    rec.files[part.name or ""] = bytes(raw)
        elif request.can_read_body:
            text = await request.text()
            rec.body = json.loads(text) if request.content_type == "application/json" else text
        fault = self._take_fault(rec.path)
        if fault is not None:
            rec.status = fault.status
            self.failed_requests.append(rec)
            return fault.response()
        self._inflight[id(request)] = rec
        try:
            response: web.StreamResponse = await handler(request)
        finally:
            del self._inflight[id(request)]
        rec.status = response.status
        async with self._request_added:
            (self.unknown_requests if response.status == 404 else self.requests).append(rec)
            self._request_added.notify_all()
        return response

    async def _unknown(self, request: web.Request) -> web.Response:
        body = {"message": f"fake_discord: unknown endpoint {request.method} {request.path}",
                "code": 0}  # fmt: skip
        return _json_response(body, 404)

    async def _gateway_bot(self, _: web.Request) -> web.Response:
        return _json_response({
            "url": self.gateway_url, "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0,
                                    "max_concurrency": 1},
        })  # fmt: skip

    async def _application(self, _: web.Request) -> web.Response:
        return _json_response({
            "id": self.application_id, "name": self.bot_user["username"], "icon": None,
            "description": "", "summary": "", "type": None, "bot_public": True,
            "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
            "owner": self.human_user, "team": None, "bot": self.bot_user, "tags": [],
            "redirect_uris": [], "interactions_endpoint_url": None,
            "approximate_guild_count": 1, "integration_types_config": {},
        })  # fmt: skip

    async def _create_message(self, request: web.Request) -> web.Response:
        rec = self._inflight[id(request)]
        message = self._bot_message(rec.body, channel_id=request.match_info["channel_id"])
        # Discord echoes the bot's own message, too.
        await self.dispatch("MESSAGE_CREATE", {**message, "guild_id": self.guild_id})
        return _json_response(message)

    async def _callback(self, request: web.Request) -> web.Response:
        rec = self._inflight[id(request)]
        body = rec.body if isinstance(rec.body, dict) else {}
        kind, data = int(body.get("type", 0)), body.get("data") or {}
        if request.query.get("with_response", "").lower() not in ("1", "true"):
            return web.Response(status=204)
        resource: JSON = {"type": kind}
        if kind in (4, 5):  # CHANNEL_MESSAGE_WITH_SOURCE / DEFERRED_CHANNEL_MESSAGE
            loading = _LOADING if kind == 5 else 0
            message = self._bot_message(data, flags=loading, webhook_id=self.application_id,
                                        application_id=self.application_id)  # fmt: skip
            self._originals[request.match_info["token"]] = message
            resource["message"] = message
        interaction = {
            "id": request.match_info["id"], "type": 2,
            "response_message_id": resource.get("message", {}).get("id"),
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & _EPHEMERAL),
        }  # fmt: skip
        return _json_response({"interaction": interaction, "resource": resource})

    async def _followup(self, request: web.Request) -> web.Response:
        rec = self._inflight[id(request)]
        message = self._bot_message(rec.body, webhook_id=request.match_info["app"])
        if request.query.get("wait", "").lower() in ("1", "true"):
            return _json_response(message)
        return web.Response(status=204)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        token, message_id = request.match_info["token"], request.match_info["message_id"]
        message = self._originals.get(token)
        if message_id != "@original" or message is None:
            return await self._unknown(request)
        return _json_response(message)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        rec = self._inflight[id(request)]
        token = request.match_info["token"]
        body = rec.body if isinstance(rec.body, dict) else {}
        old = self._originals.get(token) or self._bot_message({})
        message = {**old, **{k: v for k, v in body.items() if k in old}, "edited_timestamp": _now()}
        message["flags"] = int(old["flags"]) & ~_LOADING
        if request.match_info["message_id"] == "@original":
            self._originals[token] = message
        return _json_response(message)

    # ------------------------------------------------------------------ gateway
    async def _send(self, payload: JSON) -> bool:
        """Send one frame on the live socket; False when there is none (it just closed)."""
        ws = self._ws
        if ws is None or ws.closed:
            return False
        data = json.dumps(payload)
        try:
            async with self._send_lock:  # keeps the zlib stream in send order
                if self._zlib is not None:
                    frame = self._zlib.compress(data.encode())
                    await ws.send_bytes(frame + self._zlib.flush(zlib.Z_SYNC_FLUSH))
                else:
                    await ws.send_str(data)
        except ConnectionError:  # the socket went away under us (a drop)
            return False
        return True

    async def _dispatch(self, event: str, data: JSON, *, live: bool) -> None:
        """Number the event and keep it for replay; send it when a session is live (or,
        with ``live``, on the socket now handshaking: READY, RESUMED)."""
        self._seq += 1
        payload: JSON = {"op": _DISPATCH, "t": event, "s": self._seq, "d": data}
        self._events.append(payload)
        if live or self._connected.is_set():
            await self._send(payload)

    def _end_session(self) -> None:
        self._session_id, self._events = "", []

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        if self._ws is not None and not self._ws.closed:
            self._connected.clear()
            await self._ws.close(code=4000)
        self._ws, self._transport = ws, request.transport
        self._zlib = zlib.compressobj() if request.query.get("compress") == "zlib-stream" else None
        await self._send({"op": _HELLO, "d": {"heartbeat_interval": 41250}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op, d = payload.get("op"), payload.get("d")
            if op == _HEARTBEAT:
                await self._send({"op": _HEARTBEAT_ACK})
            elif op == _IDENTIFY:
                await self._on_identify(d)
            elif op == _RESUME:
                await self._on_resume(d)
            elif op == _REQUEST_MEMBERS:
                await self.dispatch("GUILD_MEMBERS_CHUNK", {
                    "guild_id": self.guild_id, "members": self._guild()["members"],
                    "chunk_index": 0, "chunk_count": 1, "nonce": d.get("nonce"),
                })  # fmt: skip
        if self._ws is ws:
            self._ws = self._transport = None
            self._connected.clear()
        return ws

    async def _on_resume(self, d: JSON) -> None:
        async with self._session_lock:
            if not self._session_id or d.get("session_id") != self._session_id:
                await self._send({"op": _INVALID_SESSION, "d": False})
                return
            self.resumes += 1
            seq = int(d.get("seq") or 0)
            for missed in [event for event in self._events if event["s"] > seq]:
                await self._send(missed)
            await self._dispatch("RESUMED", {}, live=True)
            self._connected.set()

    async def _on_identify(self, d: JSON) -> None:
        async with self._session_lock:
            self.identify, self._seq, self._events = d, 0, []
            self.identifies += 1
            self._session_id = secrets.token_hex(16)
            await self._dispatch("READY", {
                "v": 10, "user": self.bot_user,
                "guilds": [{"id": self.guild_id, "unavailable": True}],
                "session_id": self._session_id, "resume_gateway_url": self.gateway_url,
                "session_type": "normal", "private_channels": [], "relationships": [],
                "presences": [], "user_settings": {}, "geo_ordered_rtc_regions": [],
                "guild_join_requests": [],
                "application": {"id": self.application_id, "flags": 0},
                **({"shard": d["shard"]} if "shard" in d else {}),
            }, live=True)  # fmt: skip
            await self._dispatch("GUILD_CREATE", self._guild(), live=True)
            self._connected.set()
