"""Load a saved map in headless chromium, with the network blocked: PNG screenshots and load checks.

Uses Playwright (Python) driving the system chromium (``/usr/bin/chromium`` on
Debian, or ``$GEOMAP_CHROMIUM``); Playwright's own browser downloads are never
used.  Every request that is not a ``file:``, ``data:`` or ``blob:`` URL is
aborted and recorded.  Folium-free; the page's script sets
``window.geomapReady`` once everything is drawn.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import GeomapError, MissingDependency

#: chromium flags for a quiet, sandbox-free headless run (containers/CI)
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def chromium_path() -> str:
    """The chromium executable: ``$GEOMAP_CHROMIUM``, else ``chromium``/``chromium-browser`` on PATH."""
    env = os.environ.get("GEOMAP_CHROMIUM")
    if env:
        if not Path(env).is_file():
            raise MissingDependency(f"GEOMAP_CHROMIUM={env} does not exist: point it at a chromium executable")
        return env
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise MissingDependency(
            "chromium is not installed: install it (Debian: apt-get install chromium) or set GEOMAP_CHROMIUM "
            "to its path; it is needed for --png"
        )
    return found


@dataclass
class PageLoad:
    """What happened when a map page was loaded offline."""

    ready: bool
    load_s: float
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    error: str | None = None


@contextmanager
def offline_page(*, width: int = 1200, height: int = 800):
    """Yield ``(page, record)``: a chromium page with every non-local request aborted.

    ``record`` is a :class:`PageLoad` filled as events arrive (blocked URLs,
    console errors, page errors, dialogs -- dialogs are dismissed).
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise MissingDependency("playwright is not installed: pip install playwright (no 'playwright install' "
                                "needed; geomap uses the system chromium)") from None
    import tempfile

    exe = chromium_path()
    record = PageLoad(ready=False, load_s=float("nan"))
    # chromium's own temporary files go to a folder of ours, removed even when it is killed (Ctrl-C, SIGTERM)
    with tempfile.TemporaryDirectory(prefix="geomap-shot-", dir=_short_tmp(), ignore_cleanup_errors=True) as tmp, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS), headless=True,
                                     env={**os.environ, "TMPDIR": tmp})
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")

            def route(r):
                url = r.request.url
                if url.startswith(_LOCAL_SCHEMES):
                    r.continue_()
                else:
                    record.blocked_requests.append(url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda msg: record.console_errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: record.page_errors.append(str(exc)))

            def on_dialog(dialog):
                record.dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            yield page, record
        finally:
            browser.close()


def load_map(page, record: PageLoad, html_path: str | Path, *, timeout_s: float = 120.0) -> PageLoad:
    """Navigate ``page`` to the map file and wait for its ready signal; fill ``record``."""
    url = Path(html_path).resolve().as_uri()
    start = time.perf_counter()
    try:
        page.goto(url, wait_until="load", timeout=timeout_s * 1000)
        page.wait_for_function("window.geomapReady === true || document.documentElement.hasAttribute("
                               "'data-geomap-error')", timeout=timeout_s * 1000)
    except Exception as exc:  # playwright TimeoutError / navigation errors
        record.error = " ".join(str(exc).split())[:300]
        return record
    record.load_s = time.perf_counter() - start
    record.ready = bool(page.evaluate("window.geomapReady === true"))
    if not record.ready:
        record.error = page.evaluate("document.documentElement.getAttribute('data-geomap-error')")
    return record


def screenshot_map(html_path: str | Path, png_path: str | Path, *, width: int = 1400, height: int = 900) -> Path:
    """Write a PNG of the map in ``html_path`` (loaded offline in headless chromium).

    Raises
    ------
    MissingDependency
        When chromium or Playwright is missing.
    GeomapError
        When the page does not signal that it is ready.
    """
    import asyncio

    from geomap.io.write import write_atomic

    try:  # Playwright's sync API refuses to run inside a running event loop (Jupyter): use a worker thread
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(screenshot_map, html_path, png_path, width=width, height=height).result()
    png_path = Path(png_path)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        write_atomic(png_path, _screenshot_cli(html_path, width=width, height=height))
        return png_path
    with offline_page(width=width, height=height) as (page, record):
        load_map(page, record, html_path)
        if not record.ready:
            raise GeomapError(f"the map page did not finish drawing ({record.error}): open {html_path} in a browser "
                              "to see why")
        page.wait_for_timeout(300)  # let the canvas settle after the last redraw
        data = page.screenshot(full_page=False, type="png")
    write_atomic(png_path, data)
    return png_path


def _short_tmp() -> str | None:
    """The folder for chromium's temporary folder: the usual one, or /tmp when that is too deep.

    chromium puts a Unix socket (at most 107 bytes of path) at
    ``TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket`` and aborts when
    the path is longer.
    """
    import tempfile

    return None if len(os.fsencode(tempfile.gettempdir())) <= 40 else "/tmp"


def _screenshot_cli(html_path, *, width: int, height: int, budget_ms: int = 15000) -> bytes:
    """PNG bytes from chromium's own ``--screenshot`` (used when Playwright is not installed).

    Without Playwright requests cannot be intercepted; the page makes none
    unless it was rendered with online tiles.  ``--virtual-time-budget`` lets
    the page script run to completion before the capture.
    """
    import signal
    import subprocess
    import tempfile

    exe = chromium_path()
    with tempfile.TemporaryDirectory(prefix="geomap-shot-", dir=_short_tmp(), ignore_cleanup_errors=True) as tmp:
        out = Path(tmp) / "map.png"
        cmd = [exe, *CHROMIUM_ARGS, "--hide-scrollbars", f"--user-data-dir={tmp}/profile",
               f"--window-size={width},{height}", f"--virtual-time-budget={budget_ms}", f"--screenshot={out}",
               Path(html_path).resolve().as_uri()]
        try:
            # its own session: on Ctrl-C/SIGTERM/timeout all of chromium's processes are stopped before the
            # folder (profile, screenshot) is removed
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env={**os.environ, "TMPDIR": tmp}, start_new_session=True)
        except OSError as exc:
            raise MissingDependency(f"could not run {exe} ({exc}): check the chromium installation") from None
        try:
            _stdout, stderr = proc.communicate(timeout=120)
        except BaseException as exc:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.wait()
            if isinstance(exc, subprocess.TimeoutExpired):
                raise MissingDependency(f"could not run {exe} ({exc}): check the chromium installation") from None
            raise
        if not out.is_file():
            tail = " ".join(stderr.split())[-200:]
            raise GeomapError(f"chromium wrote no screenshot (exit {proc.returncode}: {tail}): "
                              "install playwright for a checked capture")
        return out.read_bytes()
