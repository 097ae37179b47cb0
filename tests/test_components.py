"""claimx's steps as real spaCy components: entry points, span groups, save and load."""

from __future__ import annotations

import subprocess
import sys

import spacy

from claimx.pipeline import CLAIMX_PIPES, extract_text, resolve_model_name
from claimx.records import doc_records

TEXT = (
    "Ports Reopen After Strike\n\n"
    "Officials said the ports will likely reopen on Monday. It is unclear whether unions agree.\n"
)


def test_components_are_found_through_entry_points_without_importing_claimx() -> None:
    code = (
        "import spacy, sys\n"
        f"nlp = spacy.load({resolve_model_name()!r})\n"
        "nlp.add_pipe('claimx_layout', before='parser')\n"
        "nlp.add_pipe('claimx_entities', after='ner')\n"
        "for name in ('claimx_cues', 'claimx_cue_model', 'claimx_claims', 'claimx_coreference', 'claimx_attribution',\n"
        "             'claimx_factuality', 'claimx_confidence', 'claimx_claim_type', 'claimx_sentence_scores',\n"
        "             'claimx_statements'):\n"
        "    nlp.add_pipe(name)\n"
        "doc = nlp('The deal will likely close, officials said.')\n"
        "print([(s.text, s.label_) for s in doc.spans['claimx_cues']])\n"
        "print([s._.claimx_label for s in doc.spans['claimx_claims']])\n"
        "print([s._.claimx_statement for s in doc.spans['claimx_claims']])\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    cues, labels, statements = completed.stdout.splitlines()
    assert "('likely', 'hedge')" in cues and "('said', 'attribution')" in cues
    assert labels == "['probable']"
    assert statements == "[[[0, 5, 'claim', False]]]"  # "The deal will likely close"


def test_pipeline_order_and_span_groups(nlp) -> None:
    names = nlp.pipe_names
    assert names.index("claimx_layout") < names.index("parser")
    assert names.index("claimx_entities") == names.index("ner") + 1
    assert names[-len(CLAIMX_PIPES):] == list(CLAIMX_PIPES)
    doc = nlp(TEXT)
    assert {span.label_ for span in doc.spans["claimx_sections"]} == {"headline", "body"}
    assert {span.label_ for span in doc.spans["claimx_cues"]} == {"attribution", "hedge", "question"}
    assert all(span.label_ == "claim" for span in doc.spans["claimx_claims"])


def test_saved_pipeline_loads_and_gives_the_same_records(nlp, tmp_path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "claimx_cues" / "cues.jsonl").exists()
    reloaded = spacy.load(tmp_path / "pipeline")
    assert reloaded.pipe_names == nlp.pipe_names
    assert extract_text(reloaded, TEXT, "a") == extract_text(nlp, TEXT, "a")


def test_docs_survive_docbin_serialisation(nlp) -> None:
    from spacy.tokens import DocBin

    doc = nlp(TEXT)
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    restored = next(DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab))
    assert doc_records(restored, "a") == doc_records(doc, "a")


def test_library_extract_matches_the_pipeline(nlp) -> None:
    import claimx

    assert claimx.extract(TEXT, "a") == extract_text(nlp, TEXT, "a")
