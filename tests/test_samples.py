"""The bundled sample articles: golden outputs, and what each news style must get right.

Golden files (samples/*.jsonl) are compared as parsed objects; regenerate them on purpose with
`pytest tests/test_samples.py --update-golden` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimx.output import dumps
from claimx.pipeline import extract_text
from claimx.reading import read_input
from conftest import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))


@pytest.fixture(scope="module")
def sample_claims(nlp):
    cache: dict[str, list[dict]] = {}

    def run(name: str) -> list[dict]:
        if name not in cache:
            path = SAMPLES / f"{name}.txt"
            text = read_input(str(path)).text
            cache[name] = [r.to_dict() for r in extract_text(nlp, text, f"samples/{path.name}")]
        return cache[name]

    return run


def test_there_are_at_least_six_samples_each_with_a_golden_file() -> None:
    assert len(SAMPLE_FILES) >= 6
    for path in SAMPLE_FILES:
        assert path.with_suffix(".jsonl").exists(), f"{path.name} has no golden file"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def test_output_matches_golden_file(sample_claims, path: Path, request) -> None:
    records = sample_claims(path.stem)
    golden = path.with_suffix(".jsonl")
    if request.config.getoption("--update-golden"):
        golden.write_text("".join(dumps(r) + "\n" for r in records), encoding="utf-8")
    expected = [json.loads(line) for line in golden.read_text(encoding="utf-8").splitlines()]
    assert records == expected


def claim_with(records: list[dict], fragment: str) -> dict:
    matches = [r for r in records if fragment in r["text"]]
    assert len(matches) == 1, f"{fragment!r}: {[r['text'] for r in records]}"
    return matches[0]


def cue_texts(records: list[dict]) -> set[str]:
    return {cue["text"] for record in records for cue in record["cues"]}


def test_wire_report_attributions_and_dateline(sample_claims) -> None:
    records = sample_claims("wire_report")
    speakers = [r for r in records if r["source"]["kind"] == "speaker"]
    assert len(speakers) >= len(records) // 2
    first_body = next(r for r in records if r["section"] == "body")
    assert not first_body["text"].startswith("GENEVA")
    # Abbreviations do not end sentences.
    assert any(r["text"].startswith("The U.S. State Department") for r in records)
    assert any((r["source"]["text"] or "").startswith("A U.N. spokesperson") for r in records)
    quoted = [r for r in records if r["source"]["text"] and "Rostami" in r["source"]["text"]]
    assert len(quoted) >= 3  # a multi-sentence quote keeps its speaker


def test_opinion_column_boosters(sample_claims) -> None:
    records = sample_claims("opinion_column")
    boosted = [r for r in records if any(c["kind"] == "booster" for c in r["cues"])]
    assert len(boosted) >= 4
    assert all(r["label"] in ("certain", "unknown") for r in boosted if len(r["cues"]) == 1)
    assert {"undeniable", "cannot be overstated"} <= cue_texts(records)
    assert any(r["claim_type"] == "recommendation" for r in records)
    assert any(r["claim_type"] == "question" for r in records)


def test_speculative_analysis_hedges_and_lookalikes(sample_claims) -> None:
    records = sample_claims("speculative_analysis")
    assert claim_with(records, "timeline warrants some skepticism")["label"] != "certain"
    assert claim_with(records, "has likely pushed")["label"] == "probable"
    assert claim_with(records, "balance sheet appears strong")["label"] == "probable"
    assert claim_with(records, "remains heavily dependent")["label"] == "certain"
    kinds_by_text = {(c["text"], c["kind"]) for r in records for c in r["cues"]}
    assert ("raises questions about", "hedge") in kinds_by_text
    for lookalike in ("May", "appear", "likely candidate"):
        assert not any(c["text"] == lookalike for r in records for c in r["cues"]), lookalike
    assert claim_with(records, "appear in court")["label"] == "certain"


def test_economics_brief_numbers(sample_claims) -> None:
    records = sample_claims("economics_brief")
    types = [r["claim_type"] for r in records]
    assert types.count("quantity") >= 5
    assert "prediction" in types and "causal" in types
    money = {e["text"] for r in records for e in r["entities"] if e["label"] in ("MONEY", "PERCENT")}
    assert len(money) >= 5


def test_breaking_news_uncertainty(sample_claims) -> None:
    records = sample_claims("breaking_news")
    assert {"reportedly", "allegedly"} <= {c["text"] for r in records for c in r["cues"]}
    assert any(r["polarity"] == "negative" for r in records)
    assert claim_with(records, "What caused the blast")["label"] == "unknown"
    assert claim_with(records, "reportedly in serious condition")["label"] == "probable"


def test_feature_layout_sections(sample_claims) -> None:
    records = sample_claims("feature_with_byline")
    sections = [r["section"] for r in records]
    assert sections[:2] == ["headline", "subheadline"]
    assert "subheading" in sections
    assert not {"byline", "date", "dateline"} & set(sections)
    first_body = next(r for r in records if r["section"] == "body")
    assert "PORTLAND" not in first_body["text"] and "Published" not in first_body["text"]


def test_short_note_has_one_claim_per_kind_of_commitment(sample_claims) -> None:
    records = sample_claims("short_note")
    labels = {(r["label"], r["polarity"]) for r in records}
    assert {("certain", "positive"), ("possible", "positive"), ("certain", "negative"), ("unknown", "positive")} <= labels
