"""Regenerate the README's screenshots: the HTML report and `claimx show`, through headless Chromium.

    python docs/screenshots.py            # needs Debian's chromium and claimx[test]

Writes docs/report-overview.png, docs/report-article.png and docs/show.png.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from rich.console import Console

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chromium import Browser, find_chromium

from claimx.pipeline import load_pipeline
from claimx.views.articles import article_from_text
from claimx.views.report import render_report
from claimx.views.terminal import show_articles

DOCS = ROOT / "docs"
SHOW_SAMPLE = "breaking_news.txt"


def main() -> None:
    chromium = find_chromium()
    if chromium is None:
        sys.exit("screenshots need Chromium: apt-get install chromium")
    nlp = load_pipeline()
    articles = [article_from_text(nlp, path.read_text(encoding="utf-8"), f"samples/{path.name}")
                for path in sorted((ROOT / "samples").glob("*.txt"))]
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.html"
        report.write_text(render_report(articles, title="claimx report: samples/"), encoding="utf-8")
        with Browser(chromium, width=1360, height=1180) as browser:
            browser.open(report.as_uri())
            browser.screenshot(DOCS / "report-overview.png")
            # One article, with a hedge clicked: its rule and the claim it scopes over.
            anchor = next(f"a{number}" for number, article in enumerate(articles, start=1)
                          if article.doc_id.endswith("speculative_analysis.txt"))
            browser.evaluate(f"document.getElementById('{anchor}').scrollIntoView()")
            browser.evaluate(f"""(() => {{
                const hedges = document.querySelectorAll('#{anchor} mark.cue.k-hedge[data-cue]');
                hedges[Math.min(2, hedges.length - 1)].click();
            }})()""")
            browser.screenshot(DOCS / "report-article.png")

        # claimx show, recorded by rich and drawn by Chromium.
        with open(Path(folder) / "show.txt", "w", encoding="utf-8") as terminal:
            console = Console(record=True, width=104, force_terminal=True, color_system="truecolor", file=terminal)
            show_articles(console, [next(a for a in articles if a.doc_id.endswith(SHOW_SAMPLE))])
        svg = console.export_svg(title=f"claimx show samples/{SHOW_SAMPLE}")
        # No web fonts: the page must draw with the fonts the machine has.
        svg = re.sub(r"@font-face\s*{[^}]*}", "", svg)
        width, height = (float(value) for value in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
        page = Path(folder) / "show.html"
        page.write_text(f'<!doctype html><meta charset="utf-8"><style>body{{margin:0}}svg{{width:{width}px}}</style>'
                        f"{svg}", encoding="utf-8")
        with Browser(chromium, width=int(width), height=int(height)) as browser:
            browser.open(page.as_uri())
            browser.screenshot(DOCS / "show.png")
    for name in ("report-overview.png", "report-article.png", "show.png"):
        print(DOCS / name)


if __name__ == "__main__":
    main()
