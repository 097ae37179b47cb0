"""Out-of-fold scores of the uncertainty cue model, and where its errors come from (issue 13).

Runs only the cue model's part of `claimx train`: the same corpus (szeged-wiki training documents
plus the factbank news documents), the same 5-fold document-grouped cross-validation and the same
replay of the cue decisions, then prints the threshold grid, the setting `claimx train` would
ship, and for that setting a breakdown of the out-of-fold errors per corpus:

- per cue lemma: gold cues found and missed, cues predicted where the gold has none;
- why a gold cue was missed: the lexicon matched it but the model dropped it, a lexicon rule
  rejected it, the model scored it below the threshold, a lexicon entry of a non-uncertainty kind
  took it, or no part of claimx looks at the word at all (not a candidate);
- sentences: false negatives by that reason, false positives by the cue that caused them.

    python benchmarks/uncertainty_cv.py ../shared/data --cache /tmp/cue-docs.spacy

`--cache` keeps the parsed sentences (up to, not including, the cue tagger) so later runs skip
the 2-minute parse; lexicon changes still apply, as the cue tagger runs afresh on every load.
Only training material is read (the szeged-wiki held-out documents are not).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from claimx.components.learned import choose_cues
from claimx.evaluation.datasets import Example
from claimx.learning import train
from claimx.pipeline import load_pipeline


def cached_parse(cache: Path | None):
    """A `parse` for `train.cue_corpus` that keeps the parse in `cache` and reruns the cue tagger."""

    def parse(nlp: Language, examples: Sequence[Example]) -> list[Doc]:
        position = nlp.pipe_names.index("claimx_cues")
        texts = [e.text for e in examples]
        docs: list[Doc] | None = None
        if cache is not None and cache.exists():
            docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
            if [d.text for d in docs] != texts:
                print(f"{cache} holds other sentences; parsing again", file=sys.stderr)
                docs = None
        if docs is None:
            with nlp.select_pipes(enable=nlp.pipe_names[:position]):
                docs = list(nlp.pipe(texts, batch_size=128))
            if cache is not None:
                DocBin(store_user_data=True, docs=docs).to_disk(cache)
        tagger = nlp.get_pipe("claimx_cues")
        return [tagger(doc) for doc in docs]

    return parse


def breakdown(corpus: train.CueCorpus, probabilities: dict[int, dict[int, float]],
              held_lemmas: dict[int, dict[str, dict[str, Any]]], threshold: float, drop: float,
              readd: float) -> dict[str, Any]:
    """Per corpus: per-lemma cue outcomes, reasons for missed gold cues, sentence error causes."""
    out: dict[str, Any] = {}
    for index, (doc, example) in enumerate(zip(corpus.docs, corpus.examples)):
        name = "news" if corpus.news[index] else "wiki"
        report = out.setdefault(name, {
            "lemmas": defaultdict(Counter), "missed": Counter(), "sentences": Counter(),
            "fn_sentences": Counter(), "fp_sentences": Counter(), "fp_by_origin": Counter(),
        })
        lemmas = held_lemmas[index]
        scores = probabilities.get(index, {})
        cues = list(doc.spans.get("claimx_cues", []))
        kept, found = choose_cues(doc, cues, scores, lemmas, train.CUE_MIN_COUNT, threshold, drop, readd)
        predicted = [(cue.start, cue.end, "lexicon:" + (cue._.claimx_cue_rule or "?")) for cue, _, _ in kept
                     if train.is_uncertainty_span(cue)]
        covered = {i for cue, _, _ in kept for i in range(cue.start, cue.end)}
        predicted += [(i, i + 1, "learned") for i, _ in found if i not in covered]
        kept_keys = {(cue.start, cue.end) for cue, _, _ in kept}
        rejected = set(doc._.claimx_rejected_cues or ())
        gold_tokens = []
        for span in example.spans:
            tokens = [t.i for t in doc if span.start < t.idx + len(t) and t.idx < span.end]
            if tokens:
                gold_tokens.append(tokens)
        gold_reasons = []
        for tokens in gold_tokens:
            key = " ".join(doc[i].lemma_.lower() for i in tokens)
            hit = any(start <= i < end for i in tokens for start, end, _ in predicted)
            if hit:
                report["lemmas"][key]["found"] += 1
                continue
            lexicon = [c for c in cues if any(c.start <= i < c.end for i in tokens)]
            if any(train.is_uncertainty_span(c) and (c.start, c.end) not in kept_keys for c in lexicon):
                reason = "lexicon cue dropped by model"
            elif lexicon:
                reason = "lexicon cue of another kind"
            elif any(i in rejected for i in tokens):
                reason = "rejected by lexicon rule"
            elif any(i in scores for i in tokens):
                reason = "model scored below threshold"
            else:
                reason = "not a candidate"
            report["lemmas"][key]["missed: " + reason] += 1
            report["missed"][reason] += 1
            gold_reasons.append(reason)
        for start, end, origin in predicted:
            if not any(start <= i < end for tokens in gold_tokens for i in tokens):
                key = " ".join(doc[i].lemma_.lower() for i in range(start, end))
                report["lemmas"][key]["false cue"] += 1
                report["fp_by_origin"][origin.split("+")[0]] += 1
        gold, guess = bool(example.label), bool(predicted)
        report["sentences"]["tp" if gold and guess else "fp" if guess else "fn" if gold else "tn"] += 1
        if gold and not guess:
            # The reason of the easiest-to-fix gold cue: one found cue would make it right.
            order = ["lexicon cue dropped by model", "model scored below threshold", "rejected by lexicon rule",
                     "lexicon cue of another kind", "not a candidate"]
            report["fn_sentences"][min(gold_reasons, key=order.index) if gold_reasons else "no gold token"] += 1
        if guess and not gold:
            for start, end, origin in predicted:
                report["fp_sentences"][" ".join(doc[i].lemma_.lower() for i in range(start, end))] += 1
    return out


def print_breakdown(report: dict[str, Any], top: int) -> None:
    for name, part in report.items():
        s = part["sentences"]
        print(f"\n== {name}: sentences tp {s['tp']} fp {s['fp']} fn {s['fn']} tn {s['tn']}")
        print("  missed gold cues by reason:", dict(part["missed"].most_common()))
        print("  false-negative sentences by reason:", dict(part["fn_sentences"].most_common()))
        print("  false cues by origin:", dict(part["fp_by_origin"].most_common(12)))
        print("  false-positive sentences by cue:", dict(part["fp_sentences"].most_common(top)))
        print(f"  {'cue lemma':<22} {'gold':>5} {'found':>5} {'miss':>5} {'false':>5}  missed because")
        rows = sorted(part["lemmas"].items(),
                      key=lambda kv: -(sum(v for k, v in kv[1].items() if k != "found")))
        for lemma, counts in rows[:top]:
            missed = {k[8:]: v for k, v in counts.items() if k.startswith("missed: ")}
            gold = counts["found"] + sum(missed.values())
            print(f"  {lemma:<22} {gold:>5} {counts['found']:>5} {sum(missed.values()):>5} "
                  f"{counts['false cue']:>5}  {missed or ''}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="folder with uncertainty/szeged-wiki.jsonl and szeged-factbank-dev.jsonl")
    parser.add_argument("--cache", type=Path, help="file to keep the parsed sentences in between runs")
    parser.add_argument("--top", type=int, default=25, help="lemmas and causes to list per corpus")
    parser.add_argument("--no-breakdown", action="store_true", help="print only the scores")
    parser.add_argument("--json", type=Path, help="also write the grid and breakdown here")
    parser.add_argument("--news-weights", type=float, nargs="+", default=list(train.NEWS_WEIGHTS),
                        help="weights of news tokens to try (default: claimx train's)")
    parser.add_argument("--c-values", type=float, nargs="+", default=list(train.CUE_C_VALUES),
                        help="regularisation C values to try (default: claimx train's)")
    parser.add_argument("--readd-values", type=float, nargs="+", default=list(train.READD_PROBABILITIES),
                        help="cuts for re-adding words a lexicon rule rejected (default: claimx train's)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    nlp = load_pipeline(None, learned=False)
    corpus = train.cue_corpus(nlp, args.data_dir, parse=cached_parse(args.cache))
    print(f"parsed {len(corpus.docs)} sentences in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    started = time.perf_counter()
    result = train.cross_validate_cues(corpus, lambda line: print(line, file=sys.stderr), args.news_weights,
                                       args.c_values, args.readd_values)
    best = result["best"]
    print(f"cross-validation in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    print("chosen: " + " ".join(f"{k}={best[k]}" for k in ("news_weight", "c", "threshold", "drop", "readd")))
    for name in ("news", "wiki"):
        if name in best:
            print(f"  out of fold {name}: sentence F1 {best[name]['f1']:.3f}, cue F1 {best[name]['cue_f1']:.3f}")
    if args.no_breakdown:
        return
    probabilities, held_lemmas = train.out_of_fold_probabilities(corpus, best["news_weight"], best["c"])
    report = breakdown(corpus, probabilities, held_lemmas, best["threshold"], best["drop"], best["readd"])
    print_breakdown(report, args.top)
    if args.json:
        args.json.write_text(json.dumps({"best": best, "grid": result["grid"], "breakdown": report}, indent=1))


if __name__ == "__main__":
    main()
