"""Debian's Chromium driven by Playwright's Python package (never a downloaded browser)."""
from __future__ import annotations

import contextlib
import importlib.util
import os
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Root in CI (so no sandbox), no GPU, /tmp instead of a container's small /dev/shm,
# and nothing that phones home.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ENABLE_HINT = "install Debian chromium + `pip install playwright` to enable; see README"


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found: {ENABLE_HINT}"
    if importlib.util.find_spec("playwright") is None:
        return f"Python package playwright not installed: {ENABLE_HINT}"
    return None


def must_run() -> bool:
    """CI installs Chromium and Playwright: there a missing browser is a failure, not a skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(*reasons: str | None) -> None:
    """Skip the calling test module for the first reason it cannot run here; under CI, fail instead."""
    import pytest

    reason = next((r for r in reasons if r), None)
    if reason and must_run():
        pytest.fail(f"must run in CI: {reason}", pytrace=False)
    if reason:
        pytest.skip(reason, allow_module_level=True)


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextlib.contextmanager
def running():
    """Debian's Chromium under Playwright for the length of a ``with`` block (a test fixture's)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


class Screenshots:
    """Numbered full-page screenshots of each step, kept as test artifacts."""

    def __init__(self, folder: Path):
        self.folder, self.count = folder, 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def take(self, page, name: str, full_page: bool = False) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}_{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path
