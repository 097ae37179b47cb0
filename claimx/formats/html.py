"""HTML pages (.html, .htm, .xhtml): one article per page, its main text extracted by trafilatura."""

from __future__ import annotations

from claimx.formats.base import ArticleFileReader
from claimx.inputs import HTML_INSTALL_HINT, HTML_SUFFIXES
from claimx.reading import InputError


class HtmlReader(ArticleFileReader):
    """A page is one article; offsets index its main text (`text_origin: html_extracted`)."""

    name = "html"
    suffixes = HTML_SUFFIXES
    origin = "html_extracted"
    extra = "html"

    def text_of(self, decoded: str, name: str) -> str:
        return main_text(decoded, name)


def main_text(html: str, name: str) -> str:
    """The main text of an HTML page (trafilatura), paragraphs separated by blank lines."""
    try:
        import trafilatura
    except ImportError:
        raise InputError(name, "unsupported", HTML_INSTALL_HINT) from None
    extracted = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not extracted:
        return ""
    return "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip()) + "\n"
