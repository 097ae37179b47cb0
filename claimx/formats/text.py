"""Plain-text articles (.txt, .text, .md): one article per file, its decoded text as it is."""

from __future__ import annotations

from claimx.formats.base import ArticleFileReader
from claimx.inputs import TEXT_SUFFIXES


class TextReader(ArticleFileReader):
    """A file is one article; offsets index its decoded text (`text_origin: input`)."""

    name = "text"
    suffixes = TEXT_SUFFIXES
    origin = "input"
