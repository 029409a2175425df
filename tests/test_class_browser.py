"""A class seat in a real browser: headless Chromium (Debian's chromium and chromium-driver)
opens `summit serve --join URL SEAT-CODE`, sees the brief, makes an offer, and the instructor
console, opened the same way, shows it.

The terminal in the page is drawn on a canvas, so the test reads what the page received: a
script added before the page loads keeps every byte the page's websocket brings (the
terminal's output), and the test looks for words in it with the escape codes taken out.
Outside CI the test is skipped when Chromium is not installed; in CI (.ci/run installs it) it
must run.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ANSI = re.compile(
    r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHMc])"
)

KEEP_SCREEN = """
window.__screen = [];
const Native = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new Native(...args);
  ws.addEventListener("message", (e) => {
    if (typeof e.data !== "string") {
      window.__screen.push(new TextDecoder().decode(new Uint8Array(e.data)));
    }
  });
  return ws;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, Native);
"""


def need_browser() -> None:
    missing = [p for p in (CHROMIUM, DRIVER) if not Path(p).exists()]
    if missing:
        reason = (
            f"{' and '.join(missing)} not installed (Debian packages chromium, chromium-driver)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: .ci/run installs them in CI")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = condition()
        if got:
            return got
        time.sleep(0.3)
    raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")


def page_up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def summit(*args: str, cwd: Path) -> subprocess.Popen:
    """A summit process in its own process group (so the seats textual-serve starts end with it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "summit", *args],
        cwd=cwd,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


def screen_text(driver) -> str:
    chunks = driver.execute_script("return window.__screen || []")
    return ANSI.sub("", "".join(chunks))


class Typist:
    """Keys to whatever has the focus in the page (xterm's hidden textarea)."""

    def __init__(self, driver):
        self.driver = driver

    def send_keys(self, *keys) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        chain = ActionChains(self.driver)
        if keys[0] == "\ue009":  # Keys.CONTROL: held while the next key is pressed
            chain.key_down(keys[0]).send_keys(*keys[1:]).key_up(keys[0])
        else:
            chain.send_keys(*keys)
        chain.perform()


@pytest.fixture
def browser():
    need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_SCREEN})
    try:
        yield driver
    finally:
        driver.quit()


def test_a_seat_decides_in_the_browser_and_the_console_shows_it(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    procs = [
        summit(
            "host",
            "jerusalem-2019",
            "--seed",
            "3",
            "--port",
            "0",
            "--db",
            "class.sqlite",
            "--codes",
            "codes.json",
            "--seat-timeout",
            "600",
            cwd=tmp_path,
        )
    ]
    try:
        codes_file = tmp_path / "codes.json"
        wait_for(codes_file.exists, 60, "the class server's codes")
        codes = json.loads(codes_file.read_text())
        for actor in ("iran", "assad", "hezbollah"):  # they may speak before round 1: AI seats
            procs.append(summit("join", codes["url"], codes["seats"][actor], "--ai", cwd=tmp_path))
        seat_port, console_port = free_port(), free_port()
        for port, code in ((seat_port, codes["seats"]["us"]), (console_port, codes["instructor"])):
            procs.append(
                summit(
                    "serve",
                    "--join",
                    codes["url"],
                    code,
                    "--port",
                    str(port),
                    "--host",
                    "127.0.0.1",
                    cwd=tmp_path,
                )
            )
        for port in (seat_port, console_port):
            wait_for(lambda p=port: page_up(p), 60, f"summit serve on port {port}")

        browser.get(f"http://127.0.0.1:{seat_port}/")
        wait_for(lambda: "Only you know" in screen_text(browser), 90, "the seat's brief")
        assert "United States" in screen_text(browser)
        browser.find_element(By.CSS_SELECTOR, ".xterm-screen").click()  # focus the terminal
        keys = Typist(browser)
        keys.send_keys(Keys.ESCAPE)  # to the table: the game's offer screen opens
        wait_for(lambda: "make your offer" in screen_text(browser), 30, "the offer screen")
        wait_for(lambda: "Needed for a deal" in screen_text(browser), 30, "the server's valuation")
        keys.send_keys(Keys.CONTROL, "s")  # propose (the status quo: it asks first)
        wait_for(lambda: "status quo?" in screen_text(browser), 30, "the question")
        keys.send_keys("y")
        wait_for(
            lambda: "waiting for answers" in screen_text(browser), 30, "the offer on the table"
        )

        browser.get(f"http://127.0.0.1:{console_port}/")
        wait_for(
            lambda: "United States offers" in screen_text(browser),
            90,
            "the offer on the instructor console",
        )
        assert "Every private value now" in screen_text(browser)
    finally:
        for proc in reversed(procs):
            stop(proc)
