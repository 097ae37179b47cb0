"""Where claimx's own data files (cue lexicons, trained weights) live, installed or in a checkout."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def models_dir() -> Path:
    """The `models/` folder: inside the installed package, or at the top of a source checkout."""
    for candidate in (_PACKAGE_DIR / "models", _PACKAGE_DIR.parent / "models"):
        if (candidate / "cues").is_dir():
            return candidate
    raise FileNotFoundError(
        "claimx's models/ folder is missing; reinstall claimx (pip install --force-reinstall claimx)"
    )


def default_lexicon_path() -> Path:
    """The cue lexicon that ships with claimx."""
    return models_dir() / "cues" / "claimx-cues.jsonl"
