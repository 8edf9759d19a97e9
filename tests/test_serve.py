"""`trainer serve`, for real: the server is started as the command line starts it, on a free port; the page
is fetched over HTTP; and where Debian's chromium is installed, a headless browser opens it, types a reply
and takes a screenshot showing the service user's answer.

Set TRAINER_SERVE_SCREENSHOT=PATH to keep a copy of the screenshot.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.cdp import Browser, find_chromium
from trainer.serve.server import app_command, is_loopback

REPLY = (
    "Hello, are you Marcia? I'm Sam, a family support worker from the council. The school nurse asked us to "
    "visit about Kai. Is now a good time to talk for ten minutes?"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


class Running:
    def __init__(self, process: subprocess.Popen[bytes], port: int, data: Path, log: Path) -> None:
        self.process, self.port, self.data, self.log = process, port, data, log
        self.url = f"http://127.0.0.1:{port}/"


@pytest.fixture
def server(tmp_path) -> Iterator[Running]:
    yield from _serve(tmp_path)


@pytest.fixture
def lab_server(tmp_path) -> Iterator[Running]:
    yield from _serve(tmp_path, "--private-tabs")


def _serve(tmp_path: Path, *extra: str) -> Iterator[Running]:
    port = free_port()
    data = tmp_path / "data"
    env = {**os.environ, "TRAINER_DATA_DIR": str(data), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "TRAINER_DB": str(tmp_path / "history.sqlite3")}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "trainer", "serve", "--port", str(port), "--scenario", "doorstep-example",
             *extra],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    running = Running(process, port, data, log)
    try:
        deadline = time.monotonic() + 60  # a readiness wait, not a timed assertion
        while True:
            try:
                if get(running.url)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"trainer serve did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and the app processes it started
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_the_page_and_everything_it_loads_come_from_the_server_itself(server):
    status, body = get(server.url)
    page = body.decode()
    assert status == 200 and "<title>trainer</title>" in page
    urls = [a or b for a, b in re.findall(r'(?<![\w-])(?:src|href)="([^"]+)"|url\("([^"]+)"\)', page)]
    assert urls, page
    for url in urls:
        assert url.startswith(server.url), f"the page fetches {url} from outside the server"
        asset_status, asset = get(url)
        assert asset_status == 200 and asset, url
        assert not re.search(rb"(?:src|href|url)\s*[=(:]\s*[\"']?https?://", asset), url
    assert "googleapis" not in page
    ws = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert ws and ws.group(1) == f"ws://127.0.0.1:{server.port}/ws"
    # The page names the address the browser used (localhost here), not a fixed one.
    assert f"http://localhost:{server.port}/static/" in get(f"http://localhost:{server.port}/")[1].decode()


def test_other_sites_cannot_reach_or_drive_the_app(server):
    # DNS rebinding: a request naming another host is refused while listening on 127.0.0.1.
    assert get(server.url, host=f"evil.example:{server.port}")[0] == 403

    async def connect(origin: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"ws://127.0.0.1:{server.port}/ws", headers={"Origin": origin}):
                    return 101
            except aiohttp.WSServerHandshakeError as err:
                return err.status

    assert asyncio.run(connect("http://evil.example")) == 403
    assert asyncio.run(connect(f"http://127.0.0.1:{server.port}")) == 101


def _app_processes(root: int) -> list[int]:
    """The processes under `root` running the app (`-m trainer play`), from /proc."""
    children: dict[int, list[int]] = {}
    commands: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            todo.append(child)
            if b"-m\0trainer\0play" in commands.get(child, b""):
                found.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to count the app processes")
def test_each_browser_session_gets_its_own_app_process(server):
    async def two_sessions() -> list[int]:
        async with aiohttp.ClientSession() as session:
            url = f"ws://127.0.0.1:{server.port}/ws?width=100&height=30"
            async with session.ws_connect(url) as one, session.ws_connect(url) as two:
                for ws in (one, two):
                    await ws.receive(timeout=60)  # the app has started and drawn something
                return _app_processes(server.process.pid)

    assert len(asyncio.run(two_sessions())) == 2


def test_an_unknown_scenario_is_reported_before_serving(tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "trainer", "serve", "--host", "127.0.0.2", "--port",
                                str(port), "--scenario", "no-such-scenario"], stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=60)
    text = err.decode()
    assert process.returncode == 2 and "no-such-scenario" in text
    assert "anyone who can reach that address can use the app" not in text  # the scenario is checked first
    assert is_loopback("127.0.0.2") and is_loopback("localhost") and not is_loopback("0.0.0.0")
    assert app_command("x y").endswith("-m trainer play 'x y'")


def test_serve_warns_on_an_explicit_host_and_reports_a_busy_port(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "trainer", "serve", "--host", "127.0.0.1", "--port",
                                 str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    # An explicit loopback address is this computer only, and said so (it used to warn "anyone who can
    # reach that address can use the app", which alarmed a lecturer for nothing).
    assert f"Listening on 127.0.0.1, port {port}: this computer only." in result.stderr
    assert "anyone who can reach" not in result.stderr
    assert "choose another with --port" in result.stderr


def _saved_turns(data: Path) -> list[dict[str, object]]:
    for path in sorted((data / "sessions").glob("*.json")) if (data / "sessions").is_dir() else []:
        try:
            return list(json.loads(path.read_text(encoding="utf-8"))["transcript"])
        except (ValueError, KeyError, OSError):
            continue  # being written
    return []


@pytest.mark.skipif(find_chromium() is None, reason="Debian's chromium is not installed (apt-get install "
                    "chromium; .ci/run installs it where apt is available): the browser half is skipped")
def test_a_browser_plays_a_reply_and_sees_the_answer(server, tmp_path):
    async def play() -> Path:
        async with Browser(tmp_path / "profile") as browser:
            await browser.send("Page.navigate", url=f"{server.url}?fontsize=14")
            await browser.wait_for("document.body && document.body.classList.contains('-first-byte')")
            await browser.wait_for("document.querySelectorAll('canvas').length > 0")
            await asyncio.sleep(2)  # the app's first screen (the briefing) is drawn
            await browser.click(640, 300)  # focus the terminal, as a user's first click does
            await browser.press("Enter", 13)  # start the meeting
            await asyncio.sleep(2)
            await browser.type_text(REPLY)
            await browser.press("Enter", 13)  # send
            deadline = time.monotonic() + 120  # the app loads the scorer on first use
            while True:
                turns = _saved_turns(server.data)
                if len(turns) >= 3 and turns[1]["text"] == REPLY:
                    break
                if time.monotonic() > deadline:
                    pytest.fail(f"no answer saved; turns: {turns}\n{server.log.read_text(errors='replace')}")
                await asyncio.sleep(0.5)
            await asyncio.sleep(2)  # let the answer be drawn
            return await browser.screenshot(tmp_path / "serve.png")

    shot = asyncio.run(play())
    turns = _saved_turns(server.data)
    # The app the browser drove saved its run where the app saves (TRAINER_DATA_DIR), with the reply and
    # the service user's answer to it.
    assert [t["speaker"] for t in turns[:3]] == ["service_user", "learner", "service_user"]
    assert "Five minutes" in str(turns[2]["text"])
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 1280 and height > 500 and len(png) > 20_000  # a drawn screen, not a blank page
    keep = os.environ.get("TRAINER_SERVE_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)


def test_a_busy_port_is_reported_without_first_saying_where_to_open_the_page(tmp_path):
    # The server used to print "open http://127.0.0.1:PORT/ in a web browser" and then fail to listen: an
    # educator reading the first line would send a class to a page that is someone else's server.
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "trainer", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "choose another with --port" in result.stderr
    assert "in a web browser" not in result.stderr


def _environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_in_a_lab_each_tab_has_its_own_data_deleted_when_the_tab_closes(lab_server):
    # A lab server used to give every tab the server's one history and settings: a student could open
    # another's transcripts (F3), and every session was recorded under the first student's name.
    async def two_tabs() -> list[dict[str, str]]:
        async with aiohttp.ClientSession() as session:
            url = f"ws://127.0.0.1:{lab_server.port}/ws?width=100&height=30"
            async with session.ws_connect(url) as one, session.ws_connect(url) as two:
                for ws in (one, two):
                    await ws.receive(timeout=60)
                return [_environment(pid) for pid in _app_processes(lab_server.process.pid)]

    environments = asyncio.run(two_tabs())
    folders = {Path(env["TRAINER_DATA_DIR"]).parent for env in environments}
    assert len(folders) == 2 and all(f.name.startswith("trainer-tab-") for f in folders)
    for env in environments:
        assert env["TRAINER_LAB"] == "1" and Path(env["TRAINER_DB"]).parent in folders
        assert Path(env["TRAINER_CONFIG_DIR"]).parent in folders
    assert all(f.stat().st_mode & 0o077 == 0 or not f.exists() for f in folders)  # this account alone
    deadline = time.monotonic() + 60  # a wait for the apps to end, not a timed assertion
    while any(f.exists() for f in folders) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(f.exists() for f in folders)
    assert not lab_server.data.exists()  # nothing went to the server's own data folder


@pytest.mark.parametrize("args, says", [
    ([], "Every tab uses this account's history (as in the app)"),
    (["--host", "0.0.0.0"], "Each browser tab is private"),
    (["--host", "0.0.0.0", "--shared-history"], "Use --shared-history only for yourself, never a class"),
])
def test_serve_says_whose_history_each_tab_uses(args, says):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "trainer", "serve", "--port", str(port), *args],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr  # the port is busy: it stops after saying so
    assert says in result.stderr


def test_a_scenario_with_errors_is_reported_before_serving(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\ntitle: t\nstart: nowhere\nnodes: {}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "trainer", "serve", "--port", str(free_port()),
                             "--scenario", str(broken)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "error(s), so no session could open it" in result.stderr and f"{broken}:" in result.stderr
    assert "in a web browser" not in result.stderr
