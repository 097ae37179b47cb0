"""The accurate tier: the shipped int8 encoder behind the same sentence-scoring seam as the default.

These run the real model in models/encoder/ (installed by the test extra's onnxruntime and
tokenizers) on real sentences; they check what a user relies on — that it ranks sentences the way
the task means, that each record says which tier scored it, that the default tier's output is the
same with the extra installed, and that a missing extra gives one line with the install command.
"""

from __future__ import annotations

import json
import sys

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from claimx.cli import app
from claimx.output import dumps
from claimx.pipeline import ModelNotFoundError, extract_text, load_pipeline
from claimx.reading import read_input
from claimx.schema import json_schema

pytest.importorskip("onnxruntime", reason="the accurate tier needs: pip install 'claimx[accurate]'")

runner = CliRunner()
STATISTIC = "The unemployment rate fell to 3.5 percent in December, the lowest level since 1969, the Labor Department said."
GREETING = "Thank you all so much for being here tonight, it is great to see you."
OPINION = "Frankly, this is the most shameful and ridiculous decision I have ever seen."
REPORT = "The committee will meet on Tuesday to vote on the budget, which runs to 1,200 pages."
SCORED_FIELDS = ("checkworthiness", "subjectivity", "subjective", "tier")


@pytest.fixture(scope="module")
def accurate_nlp():
    return load_pipeline(accurate=True)


def sentence_score(nlp, text: str, field: str) -> float:
    records = extract_text(nlp, text)
    assert records, f"no claim found in {text!r}"
    return max(getattr(record, field) for record in records)


def test_a_factual_statistic_is_more_checkworthy_than_a_greeting(accurate_nlp) -> None:
    statistic = sentence_score(accurate_nlp, STATISTIC, "checkworthiness")
    greeting = sentence_score(accurate_nlp, GREETING, "checkworthiness")
    assert statistic >= 0.5 > greeting


def test_an_opinion_is_more_subjective_than_a_plain_report(accurate_nlp) -> None:
    opinion = sentence_score(accurate_nlp, OPINION, "subjectivity")
    report = sentence_score(accurate_nlp, REPORT, "subjectivity")
    assert opinion >= 0.5 > report


def test_each_record_names_the_tier_that_scored_it_and_validates(accurate_nlp) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    records = extract_text(accurate_nlp, f"{STATISTIC} {OPINION}", "doc")
    assert records
    for record in records:
        data = json.loads(record.to_json())
        assert data["tier"] == "accurate"
        assert list(data).index("tier") == list(data).index("subjectivity") + 1
        jsonschema.validate(data, json_schema())


def test_the_accurate_tier_changes_the_scores_and_nothing_else(nlp, accurate_nlp) -> None:
    text = read_input(str(SAMPLES / sorted(p.name for p in SAMPLES.glob("*.txt"))[0])).text

    def unscored(records) -> list[dict]:
        return [{k: v for k, v in r.to_dict().items() if k not in SCORED_FIELDS} for r in records]

    default, accurate = extract_text(nlp, text, "a"), extract_text(accurate_nlp, text, "a")
    assert unscored(default) == unscored(accurate)
    assert [r.checkworthiness for r in default] != [r.checkworthiness for r in accurate]


def test_the_blend_weight_moves_the_scores_from_the_encoder_to_the_default_tier(nlp, tmp_path) -> None:
    # The shipped config blends the default tier's logit into the encoder's; at weight 1 with
    # neutral thresholds the accurate tier must give exactly the default tier's scores, and at
    # weight 0 the encoder's own, so the blend reads the same sentences as both tiers.
    from claimx.components.encoder import encoder_dir

    text = read_input(str(SAMPLES / sorted(p.name for p in SAMPLES.glob("*.txt"))[0])).text
    default = extract_text(nlp, text, "a")

    def scores_at(weight: float) -> list[tuple[float, float]]:
        folder = tmp_path / f"weight-{weight}"
        folder.mkdir()
        for path in encoder_dir().iterdir():
            (folder / path.name).symlink_to(path)
        config = json.loads((encoder_dir() / "encoder.json").read_text())
        config["default_weight"] = {"checkworthiness": weight, "subjectivity": weight}
        config["thresholds"] = {"checkworthiness": 0.5, "subjectivity": 0.5}
        (folder / "encoder.json").unlink()
        (folder / "encoder.json").write_text(json.dumps(config))
        records = extract_text(load_pipeline(accurate=True, accurate_model_dir=folder), text, "a")
        return [(r.checkworthiness, r.subjectivity) for r in records]

    blended_away = scores_at(1.0)
    assert blended_away == [(r.checkworthiness, r.subjectivity) for r in default]
    assert scores_at(0.0) != blended_away


def test_default_output_is_unchanged_with_the_extra_installed(nlp) -> None:
    assert "onnxruntime" in sys.modules or __import__("onnxruntime")
    for path in sorted(SAMPLES.glob("*.txt"))[:2]:
        records = extract_text(nlp, read_input(str(path)).text, f"samples/{path.name}")
        lines = "".join(dumps(record.to_dict()) + "\n" for record in records)
        assert lines == path.with_suffix(".jsonl").read_text(encoding="utf-8")
        assert all("tier" not in record.to_dict() for record in records)


def test_cli_extract_accurate_prints_accurate_records_and_plain_ones_without(tmp_path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(f"{STATISTIC}\n\n{GREETING}\n", encoding="utf-8")
    accurate = runner.invoke(app, ["extract", "--accurate", str(article)])
    plain = runner.invoke(app, ["extract", str(article)])
    assert accurate.exit_code == 0 and plain.exit_code == 0, accurate.output + plain.output
    accurate_lines = [json.loads(line) for line in accurate.stdout.splitlines()]
    plain_lines = [json.loads(line) for line in plain.stdout.splitlines()]
    assert accurate_lines and {line["tier"] for line in accurate_lines} == {"accurate"}
    assert all("tier" not in line for line in plain_lines)
    assert [line["start"] for line in accurate_lines] == [line["start"] for line in plain_lines]


def test_batch_workers_load_the_encoder_with_their_share_of_the_cores(tmp_path) -> None:
    from claimx.batch import Settings, cores_per_worker, init_worker, _state

    init_worker(Settings(accurate=True, threads=cores_per_worker(2)), ignore_interrupts=False)
    scorer = _state["nlp"].get_pipe("claimx_encoder_scores")
    threads = scorer.encoder.session.get_session_options().intra_op_num_threads
    assert threads == max(1, (__import__("os").cpu_count() or 1) // 2)


def test_eval_accurate_reports_the_tier(tmp_path) -> None:
    data = tmp_path / "claims.jsonl"
    rows = [{"id": "t/1", "text": STATISTIC, "claim": True}, {"id": "t/2", "text": GREETING, "claim": False}]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = runner.invoke(app, ["eval", "claims", str(data), "--accurate", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["tier"] == "accurate" and scores["accuracy"] == 1.0


@pytest.mark.parametrize("missing", ["onnxruntime", "tokenizers"])
def test_without_the_extra_accurate_fails_with_one_line_and_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path, missing: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # `import onnxruntime` now raises ImportError
    article, data = tmp_path / "a.txt", tmp_path / "claims.jsonl"
    article.write_text(STATISTIC, encoding="utf-8")
    data.write_text(json.dumps({"id": "t/1", "text": STATISTIC, "claim": True}) + "\n", encoding="utf-8")
    for command in (["extract", "--accurate", str(article)], ["show", "--accurate", str(article)],
                    ["report", "--accurate", str(article), "-o", str(tmp_path / "r.html")],
                    ["eval", "claims", str(data), "--accurate"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stdout == ""
        assert result.stderr.strip().count("\n") == 0
        assert "pip install 'claimx[accurate]'" in result.stderr and missing in result.stderr
    with pytest.raises(ModelNotFoundError, match=r"claimx\[accurate\]"):
        load_pipeline(accurate=True)


def test_the_encoder_is_a_spacy_component_found_by_name(accurate_nlp) -> None:
    from claimx.components.encoder import EncoderSentenceScorer

    assert "claimx_encoder_scores" in accurate_nlp.pipe_names
    assert "claimx_sentence_scores" not in accurate_nlp.pipe_names
    assert isinstance(accurate_nlp.get_pipe("claimx_encoder_scores"), EncoderSentenceScorer)
