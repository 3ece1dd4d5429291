"""The live page in a real browser: Debian's Chromium, driven by Selenium through chromedriver.

The page loads against a worker that processed the seed blog, shows the refugees card at 4,000,000 per the UN,
then a new entry goes through the pipeline and the card changes without a reload (the page follows
`/api/stream`). A screenshot is saved under `artifacts/`. Chromium: `bash deploy/browser/install.sh`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from streams.settings import Settings
from tests.conftest import REPO, required_tool
from tests.integration.api_worker import HIGHER, serving_seed

ARTIFACTS = REPO / "artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _need(name: str) -> str:
    return required_tool(name, "deploy/browser/install.sh")


@pytest.fixture
def browser() -> Iterator[Any]:
    chromium, driver = _need("chromium"), _need("chromedriver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="liveblog-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,1600")
    browser = webdriver.Chrome(options=options, service=Service(driver))
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _card_text(browser: Any) -> str:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    try:
        return str(browser.find_element("css selector", "#card-refugees").text)
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


@pytest.mark.kafka
def test_the_refugees_card_changes_live_when_a_higher_figure_goes_through(
    browser: Any, settings: Settings, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    with serving_seed(settings, tmp_path) as served:
        browser.get(served.url + "/")
        wait = WebDriverWait(browser, 30, poll_frequency=0.2)
        wait.until(lambda b: "4,000,000" in _card_text(b), message="the refugees card never showed 4,000,000")
        card = _card_text(browser)
        assert "Source: UN" in card and "people · Ukraine" in card
        wait.until(lambda b: "Live" in b.find_element("id", "status").text, message="the page did not connect")
        # Mark the document: a reload would lose the mark.
        browser.execute_script("document.body.dataset.loadedOnce = 'yes'")

        served.publish(served.new_entry(HIGHER))
        wait.until(lambda b: "4,100,000" in _card_text(b), message="the refugees card did not change")
        assert "Source: UN" in _card_text(browser)
        assert browser.execute_script("return document.body.dataset.loadedOnce") == "yes"  # no reload
        # The new entry is listed with its figure highlighted.
        wait.until(lambda b: b.find_elements("css selector", '#entries [data-entry$="|e-later-refugees"] mark'))
        # Conflicts are marked in the per-source table (children killed: 145 per Zelensky vs 108).
        rows = browser.find_elements("css selector", "#sources tr.disagrees")
        assert any("Volodymyr Zelensky" in row.text for row in rows)

        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("[", "-").replace("]", "")
        browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        browser.set_window_size(390, 1800)  # a phone
        browser.save_screenshot(str(ARTIFACTS / f"{name}-phone.png"))
        browser.get("about:blank")  # close the event stream before the worker stops
