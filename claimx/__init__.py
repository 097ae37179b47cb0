"""claimx: claims from English news text, with confidence labels and the cues that explain them.

    >>> import claimx
    >>> for record in claimx.extract("Officials said the bridge will likely reopen in May."):
    ...     print(record.text, record.label, record.source.text)

Importing claimx is cheap; spaCy loads on the first call to `extract`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "extract", "load_pipeline"]

if TYPE_CHECKING:
    from claimx.pipeline import extract, load_pipeline


def __getattr__(name: str) -> Any:
    if name in ("extract", "load_pipeline"):
        from claimx import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'claimx' has no attribute {name!r}")
