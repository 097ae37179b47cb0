"""The accurate tier's sentence scores: a fine-tuned small encoder (int8 ONNX) in place of the
hashed linear models of `claimx_sentence_scores`, behind the same interface.

`claimx_encoder_scores` sets the same two claim attributes — check-worthiness and subjectivity of
the claim's sentence, 0–1, a sentence positive at ≥ 0.5 — and stamps `claimx_score_tier` so each
record says which tier scored it. Per head, the encoder's logit is blended with the default
tier's (a weighted mean of the two logits; the weight, 0 for the encoder alone, is in the model's
config), and the decision threshold — both chosen on held-out training data with this very int8
model — is folded into the logit, so 0.5 means the same in both tiers. Needs the `accurate`
extra (onnxruntime, tokenizers); the model ships in `models/encoder/`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from claimx.components.learned import SentenceScorer, claim_sentences, make_sentence_scores
from claimx.extensions import CLAIMS_KEY, CUES_KEY
from claimx.resources import models_dir

ACCURATE_INSTALL_HINT = "pip install 'claimx[accurate]'"
TIER = "accurate"
ENCODER_DIR = "encoder"
ONNX_NAME = "encoder.int8.onnx"
TOKENIZER_NAME = "tokenizer.json"
CONFIG_NAME = "encoder.json"
# Sentences per ONNX call, sorted by length so a batch pads little.
SENTENCE_BATCH = 32


class AccurateTierUnavailable(ImportError):
    """onnxruntime or tokenizers is missing; the message is one line with the install command."""


def encoder_dir(model_dir: str | Path | None = None) -> Path:
    """The folder holding the int8 encoder, its tokenizer and its config."""
    return Path(model_dir) if model_dir else models_dir() / ENCODER_DIR


def require_accurate_tier() -> None:
    """Raise AccurateTierUnavailable unless the accurate tier's runtime packages import."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as error:
        missing = error.name or "onnxruntime"
        raise AccurateTierUnavailable(
            f"--accurate needs onnxruntime and tokenizers ({missing} is not installed); fix: {ACCURATE_INSTALL_HINT}"
        ) from None


class SentenceEncoder:
    """Sentence texts in, one logit per head out (int8 ONNX model, onnxruntime on CPU); `blend`
    turns them into the tier's probabilities."""

    def __init__(self, model_dir: str | Path | None = None, threads: int = 1) -> None:
        require_accurate_tier()
        import onnxruntime
        from tokenizers import Tokenizer

        folder = encoder_dir(model_dir)
        self.config = json.loads((folder / CONFIG_NAME).read_text(encoding="utf-8"))
        self.heads: list[str] = list(self.config["heads"])
        thresholds = self.config.get("thresholds", {})
        # Shifting each logit by the logit of its threshold puts the chosen cut at 0.5.
        self.shift = np.array([math.log(t / (1 - t)) for t in (thresholds.get(h, 0.5) for h in self.heads)],
                              dtype=np.float32)
        # Per head, the weight of the default tier's logit in the blend (0: the encoder alone).
        blend = self.config.get("default_weight", {})
        self.default_weight = np.array([float(blend.get(h, 0.0)) for h in self.heads], dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_NAME))
        self.tokenizer.enable_truncation(max_length=int(self.config["max_length"]))
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        # Each worker process gets its share of the cores, so workers do not oversubscribe them.
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        self.session = onnxruntime.InferenceSession(str(folder / ONNX_NAME), options,
                                                    providers=["CPUExecutionProvider"])

    @property
    def blends(self) -> bool:
        """Whether the config gives the default tier's logit a weight for some head."""
        return bool(self.default_weight.any())

    def blend(self, logits: np.ndarray, default_logits: np.ndarray | None = None) -> np.ndarray:
        """Probabilities from the encoder's logits, blended with the default tier's (texts × heads,
        the same heads) where the config gives the default tier a weight, thresholds folded in."""
        if default_logits is not None:
            logits = (1.0 - self.default_weight) * logits + self.default_weight * default_logits
        return 1.0 / (1.0 + np.exp(-(logits - self.shift)))

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """The encoder's raw logits, texts × heads."""
        out = np.zeros((len(texts), len(self.heads)), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), SENTENCE_BATCH):
            rows = order[start:start + SENTENCE_BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, index in enumerate(rows):
                tokens = encodings[index].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            (out[rows],) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return out


class EncoderSentenceScorer:
    """Check-worthiness and subjectivity of each claim's sentence from the fine-tuned encoder,
    blended with the default tier's linear models where the encoder's config says so.

    The same contract as `claimx_sentence_scores`; `pipe` scores the sentences of a whole batch
    of Docs in a few ONNX calls.
    """

    def __init__(self, encoder: SentenceEncoder, claims_key: str = CLAIMS_KEY,
                 default: SentenceScorer | None = None) -> None:
        self.encoder = encoder
        self.claims_key = claims_key
        self.columns = [encoder.heads.index("checkworthiness"), encoder.heads.index("subjectivity")]
        # The default tier's scorer, whose logits the blend reads (None: the encoder alone).
        self.default = default

    def __call__(self, doc: Doc) -> Doc:
        self._score([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._score(batch)
                yield from batch
                batch = []
        if batch:
            self._score(batch)
            yield from batch

    def _score(self, docs: Sequence[Doc]) -> None:
        sentences: list[tuple[int, tuple[int, int]]] = []
        default_logits: list[np.ndarray] = []
        for number, doc in enumerate(docs):
            if self.default is not None:
                spans, checkworthy, subjective = self.default.decisions(doc)
                row = np.zeros((len(spans), len(self.encoder.heads)), dtype=np.float32)
                row[:, self.columns[0]], row[:, self.columns[1]] = checkworthy, subjective
                default_logits.append(row)
            else:
                spans = claim_sentences(doc, self.claims_key)
            sentences.extend((number, span) for span in spans)
        if not sentences:
            return
        logits = self.encoder.logits([docs[n][start:end].text for n, (start, end) in sentences])
        probabilities = self.encoder.blend(logits, np.concatenate(default_logits) if default_logits else None)
        by_sentence = {
            key: (round(float(row[self.columns[0]]), 3), round(float(row[self.columns[1]]), 3))
            for key, row in zip(sentences, probabilities)
        }
        for number, doc in enumerate(docs):
            for claim in doc.spans.get(self.claims_key, []):
                ext = claim._
                ext.claimx_checkworthiness, ext.claimx_subjectivity = by_sentence[(number, tuple(ext.claimx_sentence_span))]
                ext.claimx_score_tier = TIER


@Language.factory(
    "claimx_encoder_scores",
    requires=["doc.spans"],
    default_config={"model_dir": None, "threads": 1, "claims_key": CLAIMS_KEY, "default_model_dir": None,
                    "cues_key": CUES_KEY},
)
def make_encoder_scores(
    nlp: Language, name: str, model_dir: str | None, threads: int, claims_key: str,
    default_model_dir: str | None, cues_key: str,
) -> EncoderSentenceScorer:
    """The accurate tier of `claimx_sentence_scores` (needs claimx[accurate]); add it last.
    `default_model_dir` holds the default tier's models the blend reads (None: claimx's own)."""
    encoder = SentenceEncoder(model_dir, threads)
    # The default tier's models are loaded only for a model that blends them in.
    default = make_sentence_scores(nlp, name, default_model_dir, cues_key, claims_key) if encoder.blends else None
    return EncoderSentenceScorer(encoder, claims_key, default)
