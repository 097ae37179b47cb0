"""Shared fixtures: one claimx pipeline per test session, and helpers to look at claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimx.pipeline import extract_text, load_pipeline
from claimx.schema import ClaimRecord

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true",
        help="Rewrite samples/*.jsonl from the current output instead of comparing against them.",
    )


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def rules_nlp():
    """The rule-based pipeline alone, without the learned components."""
    return load_pipeline(learned=False)


@pytest.fixture(scope="session")
def rule_claims_of(rules_nlp):
    """Claim records of a text from the rules alone."""

    def run(text: str, doc_id: str = "test") -> list[ClaimRecord]:
        return extract_text(rules_nlp, text, doc_id)

    return run


@pytest.fixture(scope="session")
def claims_of(nlp):
    """Claim records of a text, through the full pipeline."""

    def run(text: str, doc_id: str = "test") -> list[ClaimRecord]:
        return extract_text(nlp, text, doc_id)

    return run


def find_claim(records: list[ClaimRecord], fragment: str) -> ClaimRecord:
    """The one claim whose text contains `fragment` (fails the test otherwise)."""
    matches = [record for record in records if fragment in record.text]
    assert len(matches) == 1, f"expected one claim containing {fragment!r}, got {[r.text for r in records]}"
    return matches[0]


def cue_texts(record: ClaimRecord, kind: str | None = None) -> list[str]:
    return [cue.text for cue in record.cues if kind is None or cue.kind == kind]
