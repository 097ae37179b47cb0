"""The HTML report in a real browser: headless Chromium opens it, records every request the page
makes, clicks a cue, sorts the overview and takes a screenshot."""

from __future__ import annotations

import struct
from collections import Counter
from pathlib import Path

import pytest
from chromium import Browser, find_chromium
from conftest import SAMPLES

from claimx.views.articles import Article, article_from_text
from claimx.views.marking import cue_marks
from claimx.views.report import render_report

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it")
pytest.importorskip("websocket", reason="websocket-client is not installed (pip install '.[test]')")

SAMPLE_NAMES = ("speculative_analysis.txt", "wire_report.txt", "opinion_column.txt")


@pytest.fixture(scope="module")
def articles(nlp) -> list[Article]:
    return [article_from_text(nlp, (SAMPLES / name).read_text(encoding="utf-8"), name) for name in SAMPLE_NAMES]


@pytest.fixture(scope="module")
def report_file(articles: list[Article], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(articles), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM, width=1280, height=900) as running:
        yield running


@pytest.fixture()
def page(browser: Browser, report_file: Path) -> Browser:
    browser.open(report_file.as_uri())
    return browser


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_request_recorder_sees_a_page_that_reaches_out(browser: Browser, tmp_path: Path) -> None:
    # The control for the test below: a page with an external image is caught.
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!doctype html><img src="http://127.0.0.1:9/pixel.png">', encoding="utf-8")
    browser.open(leaky.as_uri())
    assert "http://127.0.0.1:9/pixel.png" in browser.requested_urls()


def test_report_makes_no_request_and_shows_every_cue_highlighted(
    page: Browser, report_file: Path, articles: list[Article], tmp_path: Path
) -> None:
    assert page.requested_urls() == [report_file.as_uri()]
    shown = page.evaluate("""(() => {
        const cues = {};
        for (const mark of document.querySelectorAll('mark.cue[data-cue]')) {
            const style = getComputedStyle(mark);
            const id = mark.dataset.cue;
            cues[id] = cues[id] || {kind: mark.dataset.kind, text: '', painted: true};
            cues[id].text += mark.textContent;
            // highlighted: a background tint and a coloured underline that the reader can see
            cues[id].painted = cues[id].painted && style.backgroundColor !== 'rgba(0, 0, 0, 0)'
                && style.borderBottomWidth !== '0px' && mark.getClientRects().length > 0;
        }
        return Object.values(cues);
    })()""")
    expected = Counter((mark.cue.kind, mark.cue.text) for article in articles for mark in cue_marks(article.claims))
    assert Counter((cue["kind"], cue["text"]) for cue in shown) == expected
    assert all(cue["painted"] for cue in shown)
    kinds = {cue["kind"] for cue in shown}
    colours = page.evaluate("""Object.fromEntries([...document.querySelectorAll('.legend mark.cue')]
        .map(mark => [mark.textContent, getComputedStyle(mark).backgroundColor]))""")
    assert len({colours[kind] for kind in kinds}) == len(kinds), "two cue kinds share a colour"

    screenshot = page.screenshot(tmp_path / "report.png", full_page=True)
    width, height = png_size(screenshot)
    assert width == 1280 and height > 2000
    assert screenshot.stat().st_size > 50_000  # a blank page compresses to a few KB


def test_clicking_a_cue_shows_its_rule_and_the_claims_it_scopes_over(page: Browser, articles: list[Article]) -> None:
    hedge = next(mark for mark in cue_marks(articles[0].claims) if mark.cue.kind == "hedge")
    assert page.evaluate("document.getElementById('details').hidden") is True
    page.evaluate(f"document.querySelector('mark[data-cue=\"a1k{hedge.number}\"]').click()")
    assert page.evaluate("document.getElementById('details').hidden") is False
    details = page.evaluate("document.querySelector('#details').innerText")
    assert hedge.cue.rule in details and hedge.cue.type in details
    for index in hedge.claims:
        assert " ".join(articles[0].claims[index].text.split()) in " ".join(details.split())
    scoped = page.evaluate("[...document.querySelectorAll('.claim.scoped')].map(n => n.dataset.claims)")
    assert scoped and all(f"a1c{hedge.claims[0]}" in claims.split() for claims in scoped)
    page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
    assert page.evaluate("document.getElementById('details').hidden") is True


def test_overview_sorts_by_hedge_density(page: Browser, articles: list[Article]) -> None:
    from claimx.views.stats import statistics

    def first_row() -> str:
        return page.evaluate("document.querySelector('#overview-table tbody tr td').innerText")

    column = page.evaluate("""[...document.querySelectorAll('#overview-table th')]
        .findIndex(th => th.innerText.startsWith('hedges'))""")
    assert column > 0
    densities = {article.doc_id: statistics([article]).hedges_per_100_words for article in articles}
    page.evaluate(f"document.querySelectorAll('#overview-table th button')[{column}].click()")
    assert first_row() == max(densities, key=densities.get)  # first click: densest first
    page.evaluate(f"document.querySelectorAll('#overview-table th button')[{column}].click()")
    assert first_row() == min(densities, key=densities.get)


def test_clicking_a_badge_shows_the_claim_as_a_statement(page: Browser, articles: list[Article]) -> None:
    index, claim = next((i, c) for i, c in enumerate(articles[1].claims) if c.restated)
    page.evaluate(f"document.querySelector('button.badge[data-claim=\"a2c{index}\"]').click()")
    details = " ".join(page.evaluate("document.querySelector('#details').innerText").split())
    assert "As a statement: " + " ".join(claim.statement_text.split()) in details
    restored = page.evaluate("[...document.querySelectorAll('#details ins.restored')].map(n => n.textContent)")
    assert restored == [text for text, role in claim.statement if role not in ("claim", "")]
