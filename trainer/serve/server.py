"""`trainer serve`: the app in a web browser, through textual-serve, with nothing fetched from outside.

    serve(host="127.0.0.1", port=8000)          # blocks until Ctrl+C; raises ServeError

Each browser tab that opens the page gets its own app process (`python -m trainer`, started by
textual-serve with the Textual web driver). On this computer only (the default address) it has this
process's environment: saves and the history go where the app's would (TRAINER_DATA_DIR, TRAINER_DB, or
the user's data folder). When others can reach the server (a lab), each tab is started by
`trainer.serve.tab` instead, in a private temporary folder deleted when the tab closes, so that no
student sees another's sessions; `--shared-history` chooses either way. Everything the page
needs (textual.js, xterm.css, the Roboto Mono font) is served from textual-serve's own static folder; the
page template is ours (templates/app_index.html), because textual-serve's links a web font service.

Two guards textual-serve does not have, because the app shows personal data (transcripts, history):
- the app's websocket refuses a page from another site (its Origin must be this server), so a web page
  open in the same browser cannot drive the app;
- when listening on the loopback address (the default), requests must name a loopback host, so a web
  page cannot reach the app by pointing its own domain at 127.0.0.1 (DNS rebinding).

This package imports nothing of the app itself: it starts the app by its command.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

TEMPLATES = Path(__file__).with_name("templates")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ServeError(Exception):
    """The server cannot start (port in use, address not available, unknown scenario); says what to do."""


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(scenario: str | None = None, private: bool = False) -> str:
    """The shell command textual-serve runs for each browser session: this Python's `-m trainer`, or with
    `private` its launcher `-m trainer.serve.tab`, which gives the tab a private, temporary data folder."""
    args = [sys.executable, "-m", "trainer.serve.tab" if private else "trainer"]
    if scenario is not None:
        args += ["play", scenario]
    return shlex.join(args)


def _hostname(host_header: str) -> str:
    return urlsplit(f"//{host_header}").hostname or ""


class TrainerServer(Server):
    """textual-serve's Server with our page template, URLs taken from the request, and the guards above."""

    def __init__(self, command: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 public_url: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title="trainer", public_url=public_url,
                         templates_path=TEMPLATES)
        self._url_from_request = public_url is None
        self.loopback_only = is_loopback(host)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.loopback_only and _hostname(request.host) not in LOOPBACK_NAMES:
            raise web.HTTPForbidden(text="trainer serve answers only on this computer: open "
                                    f"http://127.0.0.1:{self.port}/ instead.")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="The app can only be opened from its own page.")
        return await handler(request)

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        # The page's script and websocket URLs name the address the browser used: with --host 0.0.0.0,
        # textual-serve would otherwise send every browser to http://0.0.0.0:PORT.
        if self._url_from_request:
            self.public_url = f"{request.scheme}://{request.host}"
        context: dict[str, Any] = await Server.handle_index.__wrapped__(self, request)  # type: ignore[attr-defined]
        return context

    async def on_startup(self, app: web.Application) -> None:
        """Say where to point the browser (textual-serve prints a banner instead)."""


def _check_free(address: str, port: int) -> None:
    """Raise OSError when `address`:`port` cannot be listened on (in use, or not this computer's), as the
    server's own bind would; SO_REUSEADDR as aiohttp sets it, so a port left in TIME_WAIT is free."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((address, port))


def _checked_scenario(scenario: str) -> str:
    """The scenario's file, resolved; ServeError when it is unknown or has errors (listed, so that the
    educator finds them before a class does)."""
    from trainer.scenario.loader import ScenarioInvalid, ScenarioNotFound, find_scenario, load_scenario

    try:
        path = find_scenario(scenario).resolve()
        load_scenario(path)
    except ScenarioNotFound as err:
        raise ServeError(str(err)) from None
    except ScenarioInvalid as err:
        errors = [d.format() for d in err.diagnostics if d.is_error]
        raise ServeError(f"the scenario {scenario} has {len(errors)} error(s), so no session could open it:\n"
                         + "\n".join(errors) + f"\nFix them (trainer validate {scenario}) and start again."
                         ) from None
    return str(path)


def serve(
    host: str | None = None,
    port: int = DEFAULT_PORT,
    scenario: str | None = None,
    echo: Callable[[str], None] = print,
    shared_history: bool | None = None,
) -> None:
    """Serve the app until Ctrl+C.

    Args:
        host: the address to listen on; None for 127.0.0.1 (this computer only). Given explicitly, a
            warning is echoed that anyone who can reach the address can use the app.
        port: the TCP port.
        scenario: open every session on this scenario's briefing (an id or a file) instead of the home.
        echo: where messages go (the CLI passes stderr).
        shared_history: True: every tab uses this account's data (runs, history, settings: the app's
            usual places); False: each tab gets a private, temporary folder (`trainer.serve.tab`). None
            (the default) chooses by the address: shared on this computer only, private when others can
            reach it, so that students in a lab cannot see one another's sessions.
    Raises: ServeError when the scenario is unknown or has errors, or the address cannot be listened on.
    """
    if scenario is not None:
        scenario = _checked_scenario(scenario)
    address = host or DEFAULT_HOST
    private = not is_loopback(address) if shared_history is None else not shared_history
    if host is not None and is_loopback(address):
        echo(f"Listening on {address}, port {port}: this computer only.")
    elif host is not None:
        echo(f"Listening on {address}, port {port}: anyone who can reach that address can use the app.")
    if private:
        echo("Each browser tab is private: its sessions, history and name are kept apart from every other "
             "tab's and deleted when the tab is closed. Students keep a session by exporting it (e in the "
             "debrief), which downloads the file.")
    else:
        echo(f"Every tab uses this account's history ({'as in the app' if host is None else 'shared'}): "
             "each user can see, resume and export every session played here."
             + ("" if is_loopback(address) else " Use --shared-history only for yourself, never a class."))
    server = TrainerServer(app_command(scenario, private=private), host=address, port=port)
    try:
        _check_free(address, port)  # before saying where to open the page, which would then be wrong
    except OSError as err:
        raise ServeError(f"cannot listen on {address} port {port} ({err.strerror or err}): the port may be "
                         "in use; choose another with --port.") from None
    shown = f"[{address}]" if ":" in address else address
    if address in ("0.0.0.0", "::"):  # every address of this computer: say how others reach it
        name = socket.gethostname()
        echo(f"trainer serve: on this computer open http://localhost:{port}/; on the others, "
             f"http://{name}:{port}/ (or this computer's network address, which `ip addr` or `ipconfig` "
             "shows, in place of the name). Ctrl+C stops the server.")
    else:
        echo(f"trainer serve: open http://{shown}:{port}/ in a web browser; each tab gets its own app. "
             "Ctrl+C stops the server.")
    try:
        server.serve()
    except OSError as err:
        raise ServeError(f"cannot listen on {address} port {port} ({err.strerror or err}): the port may be "
                         "in use; choose another with --port.") from None
