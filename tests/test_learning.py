"""The learned models: storage, features, their effect on claims, evaluation and training."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from claimx.cli import app
from claimx.learning.linear import HashedFeatures, HashedLinearModel, HashedVectorizer

runner = CliRunner()


def test_model_round_trips_through_its_file(tmp_path: Path) -> None:
    vectorizer = HashedVectorizer(2**10, tfidf=True)
    vectorizer.fit_idf([["a", "b"], ["a"], [1234, "c"]])
    weights = np.random.default_rng(0).normal(size=2**10).astype(np.float32)
    model = HashedLinearModel("m", vectorizer, weights, 0.25, logistic=True, threshold=0.4, meta={"k": [1]})
    model.save(tmp_path / "m.npz")
    loaded = HashedLinearModel.load(tmp_path / "m.npz")
    features = ["a", "b", ("len", 2.0), 98765]
    assert loaded.predict(features) == pytest.approx(model.predict(features), abs=1e-2)
    assert (loaded.threshold, loaded.meta) == (0.4, {"k": [1]})


def test_hashed_text_features_are_unit_length_tfidf() -> None:
    vectorizer = HashedVectorizer(2**12, tfidf=True)
    indices, values = vectorizer.vectorize(HashedFeatures([11, 11, 42, 2**63 + 5], []))
    assert len(indices) == 3
    assert float(np.sqrt(np.dot(values, values))) == pytest.approx(1.0)


def test_cue_model_drops_ability_could_but_keeps_epistemic_could(nlp) -> None:
    ability = nlp("He could play the piano when he was four.")
    possibility = nlp("The strike could spread to other ports.")
    assert [c.text for c in ability.spans["claimx_cues"]] == []
    cue = next(c for c in possibility.spans["claimx_cues"] if c.text == "could")
    from claimx.components.learned import LEXICON_DROP_PROBABILITY

    assert LEXICON_DROP_PROBABILITY <= cue._.claimx_cue_probability <= 1.0


def test_cue_model_leaves_headlines_to_the_lexicon(nlp) -> None:
    body = "The two companies announced the deal on Monday. It could close next year."
    doc = nlp("What the Merger Could Mean for Europe's Chipmakers\n\n" + body)
    headline = next(c for c in doc.spans["claimx_cues"] if c.text == "Could")
    assert headline._.claimx_cue_probability is None
    in_body = next(c for c in doc.spans["claimx_cues"] if c.text == "could")
    assert in_body._.claimx_cue_probability is not None


def test_cue_model_finds_cues_the_lexicon_lacks(nlp) -> None:
    doc = nlp("He is widely regarded as the best goalkeeper of his generation.")
    learned = [c for c in doc.spans["claimx_cues"] if c._.claimx_cue_rule.startswith("learned.")]
    assert [c.text for c in learned] == ["regarded"]
    assert learned[0]._.claimx_cue_probability >= 0.5


def test_a_rejected_word_comes_back_only_past_the_models_own_cut(nlp) -> None:
    # "a likely candidate": the lexicon rule rejects attributive "likely"; the model file says how
    # sure the model must be to bring it back (0.9 shipped), and the component obeys it.
    from claimx.components.learned import CueModel

    text = "She is a likely candidate for the post."
    shipped = nlp.get_pipe("claimx_cue_model")
    assert shipped.readd_probability == shipped.model.meta.get("rejected_readd_probability", 0.9) == 0.9
    assert [c.text for c in nlp(text).spans["claimx_cues"]] == []
    with nlp.select_pipes(enable=nlp.pipe_names[: nlp.pipe_names.index("claimx_cue_model")]):
        doc = nlp(text)
    lenient = CueModel(shipped.model)
    lenient.readd_probability = 0.0
    assert [c.text for c in lenient(doc).spans["claimx_cues"]] == ["likely"]


def test_mission_examples_survive_the_learned_models(claims_of) -> None:
    records = claims_of(
        "The speed of the advance warrants some skepticism. The crisis has likely pushed Iran to "
        "reassess. The impact cannot be overstated. While the regime appears weaker, it remains far "
        "from collapse."
    )
    labels = {r.text.split()[1]: r.label for r in records}
    assert labels["speed"] != "certain"
    assert labels["crisis"] == "probable"
    assert labels["impact"] == "certain"
    assert labels["regime"] == "probable"


def test_checkworthiness_and_subjectivity_scores(claims_of) -> None:
    factual = claims_of("Unemployment rose to 4.2 percent in March, the statistics office said.")[0]
    chatter = claims_of("Good morning everyone, have a lovely day!")[0]
    opinion = claims_of("What a shameful, pathetic display of arrogance.")[0]
    assert factual.checkworthiness > 0.5 > chatter.checkworthiness
    assert opinion.subjectivity > factual.subjectivity
    assert opinion.subjective is True


def test_events_carry_their_own_factuality(nlp) -> None:
    from claimx.pipeline import extract_text

    factuality = nlp.get_pipe("claimx_factuality")
    factuality.events = True
    try:
        records = extract_text(nlp, "Officials said exiles might take the boy to another country.", "e")
    finally:
        factuality.events = False
    events = {e.text: e.factuality for r in records for e in r.events}
    assert events["take"] < 2.0
    assert all(-3 <= value <= 3 for value in events.values())


def test_frames_list_their_own_events_apart_from_the_claims(nlp) -> None:
    import jsonschema

    from claimx.pipeline import extract_text
    from claimx.schema import json_schema

    text = "The bridge was closed, said an engineer who declined to be named."
    factuality = nlp.get_pipe("claimx_factuality")
    factuality.events = True
    try:
        records = extract_text(nlp, text, "e")
    finally:
        factuality.events = False
    (claim,) = [r for r in records if "bridge" in r.text]
    scopes = {e.text: e.scope for e in claim.events}
    assert scopes["closed"] == "clause"
    assert scopes["said"] == scopes["named"] == "frame"
    values = {e.text: e.factuality for e in claim.events}
    assert values["said"] >= 2.5 and values["named"] < values["said"]
    for event in claim.events:
        assert text[event.start : event.end] == event.text
        assert not claim.start <= event.start < claim.end or event.scope == "clause"
    jsonschema.Draft202012Validator(json_schema()).validate(json.loads(claim.to_json()))


@pytest.mark.parametrize(("negated", "affirmed", "event"), [
    ("No one was named as a suspect in the attack.", "A local man was named as a suspect in the attack.", "named"),
    ("Nobody hurried the inspectors.", "The minister hurried the inspectors.", "hurried"),
    ("No weapon was recovered at the scene.", "A weapon was recovered at the scene.", "recovered"),
    ("The court neither approved nor delayed the merger.", "The court approved the merger.", "approved"),
])
def test_events_negated_through_their_arguments_lose_their_certainty(
    nlp, negated: str, affirmed: str, event: str
) -> None:
    from claimx.pipeline import extract_text

    factuality = nlp.get_pipe("claimx_factuality")
    factuality.events = True
    try:
        values = [
            {e.text: e.factuality for r in extract_text(nlp, text, "e") for e in r.events}[event]
            for text in (negated, affirmed)
        ]
    finally:
        factuality.events = False
    # No longer "certainly happened" (+3 … +2.5); the claim itself carries negative polarity.
    assert values[0] <= 1.5 and values[1] >= 2.5


# -- claimx eval -----------------------------------------------------------------------------

TASK_ROWS = {
    "uncertainty": [
        {"id": "w/Doc A/S1", "text": "The bridge may collapse.", "uncertain": True,
         "cues": [{"start": 11, "end": 14, "text": "may", "type": "epistemic"}]},
        {"id": "w/Doc B/S1", "text": "The bridge opened in 1990.", "uncertain": False, "cues": []},
    ],
    "factuality": [
        {"id": "f/0", "text": "Officials said the bridge might collapse.",
         "predicates": [{"token": 1, "start": 10, "end": 14, "text": "said", "factuality": 3.0},
                        {"token": 5, "start": 32, "end": 40, "text": "collapse", "factuality": 0.8}]},
        {"id": "f/1", "text": "The bridge did not collapse.",
         "predicates": [{"token": 4, "start": 19, "end": 27, "text": "collapse", "factuality": -3.0}]},
    ],
    "claims": [
        {"id": "c/0", "text": "Unemployment rose to 4.2 percent in March.", "claim": True},
        {"id": "c/1", "text": "Good morning everyone!", "claim": False},
    ],
    "subjectivity": [
        {"id": "s/0", "text": "This is a disgraceful, cowardly decision.", "subjective": True},
        {"id": "s/1", "text": "The council met on Tuesday.", "subjective": False},
    ],
}
REQUIRED_KEYS = {
    "uncertainty": {"n", "precision", "recall", "f1", "cue_precision", "cue_recall", "cue_f1"},
    "factuality": {"n", "pearson_r", "mae"},
    "claims": {"n", "accuracy", "precision", "recall", "f1", "macro_f1"},
    "subjectivity": {"n", "accuracy", "macro_f1"},
}


@pytest.mark.parametrize("task", sorted(TASK_ROWS))
def test_eval_prints_one_json_object_with_the_task_keys(tmp_path: Path, task: str) -> None:
    path = tmp_path / f"{task}.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in TASK_ROWS[task]), encoding="utf-8")
    result = runner.invoke(app, ["eval", task, str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert REQUIRED_KEYS[task] <= set(scores)
    assert scores["n"] == sum(len(r.get("predicates", [None])) for r in TASK_ROWS[task])


def test_eval_scores_a_perfect_uncertainty_file_perfectly(tmp_path: Path) -> None:
    path = tmp_path / "u.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in TASK_ROWS["uncertainty"]), encoding="utf-8")
    scores = json.loads(runner.invoke(app, ["eval", "uncertainty", str(path), "--json"]).stdout)
    assert (scores["f1"], scores["cue_f1"]) == (1.0, 1.0)


def test_eval_table_for_people(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in TASK_ROWS["claims"]), encoding="utf-8")
    result = runner.invoke(app, ["eval", "claims", str(path)])
    assert result.exit_code == 0
    assert "accuracy" in result.stdout


def test_eval_reports_a_malformed_line_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(TASK_ROWS["claims"][0]) + "\n" + '{"id": "x", "text": "no label"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", "claims", str(path), "--json"])
    assert result.exit_code == 2
    assert f"{path}:2" in result.stderr and "claim" in result.stderr
    assert result.stdout == ""


# -- claimx train ------------------------------------------------------------------------------

def _tiny_corpus(root: Path) -> None:
    rng = random.Random(7)
    subjects = ["The council", "The minister", "The company", "Police", "The court", "Voters"]
    hedged = ["may approve the plan", "might resign", "could delay the vote", "will probably appeal"]
    plain = ["approved the plan", "resigned on Monday", "delayed the vote", "appealed the ruling"]
    rows = []
    for n in range(60):
        subject = rng.choice(subjects)
        if n % 2:
            phrase = rng.choice(hedged)
            text = f"{subject} {phrase}."
            cue = phrase.split()[0] if phrase.split()[0] != "will" else "probably"
            start = text.index(cue)
            rows.append({"id": f"w/D{n}/S1", "text": text, "uncertain": True,
                         "cues": [{"start": start, "end": start + len(cue), "text": cue, "type": "epistemic"}]})
        elif n % 4:
            rows.append({"id": f"w/D{n}/S1", "text": f"{subject} {rng.choice(plain)}.", "uncertain": False, "cues": []})
        else:  # cue words in uses that are not cues
            text = rng.choice(["The vote was held in May.", "He could swim as a child.", "She might of the sea."])
            rows.append({"id": f"w/D{n}/S1", "text": text, "uncertain": False, "cues": []})
    facts = []
    for n in range(40):
        text = f"{rng.choice(subjects)} said the plan might fail." if n % 2 else f"{rng.choice(subjects)} said the plan failed."
        start = text.index("fail")
        facts.append({"id": f"f/{n}", "text": text, "predicates": [
            {"token": 0, "start": start, "end": text.index(".", start), "text": "fail", "factuality": 0.8 if n % 2 else 3.0}]})
    claims = [{"id": f"c/{n}", "text": f"Prices rose {n} percent in March." if n % 2 else "Have a great weekend everyone!",
               "claim": bool(n % 2)} for n in range(40)]
    subjective = [{"id": f"s/{n}", "text": "This is an outrageous, shameful mess." if n % 2 else "The council met on Tuesday.",
                   "subjective": bool(n % 2)} for n in range(40)]
    news = []
    for n in range(30):  # six news documents of five sentences
        text = f"{rng.choice(subjects)} {'could' if n % 3 else 'will'} {rng.choice(plain).split()[0]} the plan."
        cue = [{"start": text.index("could"), "end": text.index("could") + 5, "text": "could", "type": "epistemic"}] if n % 3 else []
        news.append({"id": f"news/N{n // 5}.txt/S1.{n % 5 + 1}", "text": text, "uncertain": bool(cue), "cues": cue})
    files = {
        "uncertainty/szeged-wiki.jsonl": rows, "uncertainty/szeged-factbank-dev.jsonl": news,
        "factuality/uw-train.jsonl": facts[:30],
        "factuality/meantime-train.jsonl": facts[30:],
        "claims/checkthat2022-1b-train.jsonl": claims, "claims/claimbuster-train.jsonl": claims[:10],
        "subjectivity/checkthat2025-news-train.jsonl": subjective,
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("".join(json.dumps(row) + "\n" for row in data), encoding="utf-8")


def test_train_command_writes_loadable_models(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    _tiny_corpus(tmp_path / "data")
    out = tmp_path / "models"
    result = runner.invoke(app, ["train", str(tmp_path / "data"), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    names = {p.stem for p in out.glob("*.npz")}
    assert names == {"uncertainty_cues", "factuality", "checkworthiness", "subjectivity"}

    cues = HashedLinearModel.load(out / "uncertainty_cues.npz")
    # The news documents were trained on, and scored out of fold for the report.
    assert set(cues.meta["cross_validation"]) == {"wiki", "news"}
    assert cues.meta["news_weight"] == 1.0
    assert 0.0 < cues.meta["drop_probability"] <= cues.threshold
    # The regularisation and the cut for re-adding rule-rejected words are chosen and recorded too.
    assert cues.meta["c"] > 0.0 and cues.threshold <= cues.meta["rejected_readd_probability"] <= 1.0
    from claimx.pipeline import add_claimx_pipes, load_pipeline

    nlp = load_pipeline(learned=False)
    for name in ("claimx_cue_model", "claimx_factuality", "claimx_sentence_scores"):
        nlp.remove_pipe(name) if name in nlp.pipe_names else None
    nlp.add_pipe("claimx_cue_model", after="claimx_cues", config={"model_dir": str(out)})
    nlp.add_pipe("claimx_factuality", before="claimx_confidence", config={"model_dir": str(out)})
    nlp.add_pipe("claimx_sentence_scores", config={"model_dir": str(out)})
    assert add_claimx_pipes(nlp) is nlp
    doc = nlp("The council may approve the plan.")
    claim = doc.spans["claimx_claims"][0]
    assert 0.0 <= claim._.claimx_checkworthiness <= 1.0
    assert -3.0 <= claim._.claimx_event_factuality <= 3.0


def test_train_rejects_unknown_model_names(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", str(tmp_path), "--only", "nonsense"])
    assert result.exit_code == 2
    assert "nonsense" in result.stderr
