"""Batch runs as researchers run them: folders, JSONL and HTML inputs, hostile files, workers,
error records, interruption and resume. Nothing may be lost, duplicated or half-written."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import claimx.batch
import claimx.inputs
from claimx.batch import Settings, run_batch
from claimx.cli import app
from claimx.inputs import discover, safe_relative_path
from claimx.sinks import DirectorySink, StreamSink
from conftest import SAMPLES

runner = CliRunner()
ARTICLE = "Officials said the bridge will likely reopen in May. The repairs cost $4 million.\n"
OTHER = "The council may raise fares next year, according to a draft budget.\n"


def records_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def extract(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, ["extract", *args], input=input)


def sample_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))]


def make_corpus(folder: Path, count: int) -> list[Path]:
    """`count` articles made from the bundled samples' paragraphs, in nested folders."""
    paragraphs = [p.strip() for text in sample_texts() for p in text.split("\n\n") if p.strip()]
    paths = []
    for number in range(count):
        path = folder / f"part{number % 3}" / f"article-{number:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        chosen = [paragraphs[(number * 7 + k * 5) % len(paragraphs)] for k in range(4)]
        path.write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


# --- finding inputs ----------------------------------------------------------------------------


def test_folder_is_searched_recursively_in_sorted_order_skipping_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b" / "c.txt").write_text(OTHER)
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(ARTICLE)
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    result = extract(str(tmp_path))
    assert result.exit_code == 0, result.stderr
    doc_ids = list(dict.fromkeys(r["doc_id"] for r in records_of(result.stdout)))
    assert doc_ids == [f"{tmp_path}/a.txt", f"{tmp_path}/b/c.txt"]


def test_glob_filters_files_in_folders(tmp_path: Path) -> None:
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(OTHER)
    result = extract(str(tmp_path), "--glob", "keep/*")
    assert {r["doc_id"] for r in records_of(result.stdout)} == {f"{tmp_path}/keep/a.txt"}
    result = extract(str(tmp_path), "--glob", "*.md")
    assert result.exit_code == 2 and "no article files" in result.stderr


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    files = discover([str(tmp_path)])
    assert [f.path for f in files] == [f"{tmp_path}/sub/a.txt"]


def test_duplicate_names_in_different_folders_stay_apart(tmp_path: Path) -> None:
    for folder, text in (("x", ARTICLE), ("y", OTHER)):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "story.txt").write_text(text)
    result = extract(str(tmp_path / "in"), "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    x = records_of((tmp_path / "out" / tmp_path.relative_to("/") / "in/x/story.txt.jsonl").read_text())
    y = records_of((tmp_path / "out" / tmp_path.relative_to("/") / "in/y/story.txt.jsonl").read_text())
    assert "bridge" in x[0]["text"] and "fares" in y[0]["text"]


def test_odd_file_names_are_processed_and_outputs_stay_inside_out_dir(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["with space.txt", "naïve – café.txt", "new\nline.txt"]
    for name in names:
        (folder / name).write_text(ARTICLE)
    out = tmp_path / "out"
    result = extract(str(folder), "--out-dir", str(out))
    assert result.exit_code == 0, result.stderr
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(written) == 3
    assert all(out in p.parents for p in written)
    assert {json.loads(p.read_text().splitlines()[0])["doc_id"] for p in written} == {f"{folder}/{n}" for n in names}


@pytest.mark.parametrize("name", ["../../escape", "/etc/passwd", "a/../../b", "..", "x\x00y"])
def test_no_input_name_maps_outside_the_output_folder(tmp_path: Path, name: str) -> None:
    relative = safe_relative_path(name)
    target = (tmp_path / relative).resolve()
    assert tmp_path.resolve() in target.parents


def test_jsonl_ids_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    source = tmp_path / "batch.jsonl"
    source.write_text(json.dumps({"id": "../../../evil", "text": ARTICLE}) + "\n")
    out = tmp_path / "out"
    result = extract(str(source), "--out-dir", str(out))
    assert result.exit_code == 0, result.stderr
    written = [p for p in tmp_path.rglob("*.jsonl") if p.is_file() and p != source]
    assert len(written) == 1 and out in written[0].parents


# --- JSONL and HTML input ------------------------------------------------------------------------


def test_jsonl_input_gives_ids_and_passes_other_fields_through_as_meta(tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    lines = [
        {"url": "https://example.org/1", "body": ARTICLE, "uid": "a-1", "outlet": "Daily"},
        {"body": OTHER, "uid": 2},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = extract(str(source), "--text-field", "body", "--id-field", "uid")
    assert result.exit_code == 0, result.stderr
    records = records_of(result.stdout)
    first = [r for r in records if r["doc_id"] == "a-1"]
    assert first and all(r["meta"] == {"url": "https://example.org/1", "outlet": "Daily"} for r in first)
    assert all(r["text_origin"] == "jsonl_field" for r in records)
    assert any(r["doc_id"] == "2" for r in records)
    for record in first:
        assert ARTICLE[record["start"]:record["end"]] == record["text"]


def test_malformed_jsonl_lines_become_errors_naming_the_line(tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        json.dumps({"id": "ok", "text": ARTICLE}) + "\n"
        + "{not json\n"
        + json.dumps(["a", "list"]) + "\n"
        + json.dumps({"id": "no-text"}) + "\n"
        + json.dumps({"id": "ok2", "text": OTHER}) + "\n"
    )
    errors = tmp_path / "errors.jsonl"
    result = extract(str(source), "--errors", str(errors))
    assert result.exit_code == 1
    assert {r["doc_id"] for r in records_of(result.stdout)} == {"ok", "ok2"}
    failed = records_of(errors.read_text())
    assert [(e["input"], e["kind"]) for e in failed] == [
        (f"{source}:2", "malformed"), (f"{source}:3", "malformed"), (f"{source}:4", "malformed"),
    ]
    assert all(e["schema"] == "claimx.error/1" and e["message"] for e in failed)
    assert "malformed" not in result.stderr  # with --errors, failures go to the file


def test_jsonl_from_stdin(tmp_path: Path) -> None:
    data = json.dumps({"id": "s1", "text": ARTICLE}) + "\n"
    result = extract("-", "--input-format", "jsonl", input=data)
    assert result.exit_code == 0, result.stderr
    assert {r["doc_id"] for r in records_of(result.stdout)} == {"s1"}


def test_html_main_text_is_extracted_and_offsets_index_it(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura", reason="HTML input needs claimx[html]")
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>x</title><script>var tracking = 1;</script></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Bridge may reopen in May</h1>"
        "<p>Officials said the bridge will likely reopen in May, according to the city council.</p>"
        "<p>Critics argued the repairs were undeniably late and cost more than planned.</p></article>"
        "<footer>Copyright 2026 Example News</footer></body></html>",
        encoding="utf-8",
    )
    result = extract(str(page))
    assert result.exit_code == 0, result.stderr
    records = records_of(result.stdout)
    extracted = runner.invoke(app, ["text", str(page)]).stdout
    assert "tracking" not in extracted and "Copyright" not in extracted
    assert records and all(r["text_origin"] == "html_extracted" for r in records)
    for record in records:
        assert extracted[record["start"]:record["end"]] == record["text"]
    assert any(c["text"] == "likely" for r in records for c in r["cues"])


# --- hostile inputs ------------------------------------------------------------------------------


def test_hostile_files_each_give_claims_or_a_named_error_and_never_stop_the_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "01-good.txt").write_text(ARTICLE)
    (folder / "02-binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    (folder / "03-latin1.txt").write_bytes("The café owner said prices will likely rise.\n".encode("cp1252") + b"\xff\xfe\x81")
    (folder / "04-utf16.txt").write_bytes(codecs_bom_utf16(OTHER))
    (folder / "05-empty.txt").write_bytes(b"")
    (folder / "06-huge.txt").write_bytes(b"word " * 2_100_000)  # 10.5 MB
    (folder / "07-french.txt").write_text(
        "Le gouvernement a annoncé mardi une réforme des retraites qui pourrait entrer en vigueur "
        "dès l'année prochaine, selon des sources proches du dossier, malgré les protestations des "
        "syndicats et de l'opposition qui dénoncent une mesure injuste.\n", encoding="utf-8")
    (folder / "08-dir.txt").mkdir()
    errors = tmp_path / "errors.jsonl"
    result = extract(str(folder), "--errors", str(errors), "--glob", "*.txt")
    assert result.exit_code == 1
    by_doc = {}
    for record in records_of(result.stdout):
        by_doc.setdefault(Path(record["doc_id"]).name, []).append(record)
    assert set(by_doc) == {"01-good.txt", "03-latin1.txt", "04-utf16.txt", "07-french.txt"}
    failed = {Path(e["input"]).name: e["kind"] for e in records_of(errors.read_text())}
    assert failed == {"02-binary.txt": "binary", "06-huge.txt": "too_large"}
    assert "05-empty.txt: empty input" in result.stderr
    assert "07-french.txt: does not look like English" in result.stderr
    assert "08-dir.txt" not in result.stdout  # a folder named like a file is walked, not read


def codecs_bom_utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


def test_a_huge_article_is_processed_when_the_limit_is_lifted(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(ARTICLE * 1500)  # 124,500 characters: two chunks
    result = extract(str(path), "--max-chars", "100000")
    assert result.exit_code == 1 and "over the --max-chars limit" in result.stderr
    result = extract(str(path), "--max-chars", "0")
    assert result.exit_code == 0, result.stderr
    records = records_of(result.stdout)
    assert len(records) >= 1500
    text = path.read_text()
    assert all(text[r["start"]:r["end"]] == r["text"] for r in records)


def test_a_200000_character_line_without_punctuation_is_processed(tmp_path: Path) -> None:
    words = "officials say the council may approve new funding for schools and roads".split()
    line = " ".join(words[i % len(words)] for i in range(40_000))[:200_000]
    path = tmp_path / "run-on.txt"
    path.write_text(line)
    result = extract(str(path))
    assert result.exit_code == 0, result.stderr
    records = records_of(result.stdout)
    assert records and all(line[r["start"]:r["end"]] == r["text"] for r in records)


def test_an_unreadable_file_is_an_error_record(tmp_path: Path, monkeypatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE)
    good = tmp_path / "good.txt"
    good.write_text(OTHER)
    real_open = open

    def guarded_open(path, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    # Tests run as root in CI, where chmod 000 does not stop reads; fail the open itself.
    monkeypatch.setattr(claimx.inputs, "open", guarded_open, raising=False)
    result = extract(str(locked), str(good))
    assert result.exit_code == 1
    assert f"{locked}: permission denied" in result.stderr
    assert {r["doc_id"] for r in records_of(result.stdout)} == {str(good)}


def test_a_file_deleted_during_the_run_is_an_error_and_the_rest_go_on(tmp_path: Path, monkeypatch) -> None:
    paths = [tmp_path / f"{n}.txt" for n in range(3)]
    for path in paths:
        path.write_text(ARTICLE)
    monkeypatch.setattr(claimx.batch, "TASK_SIZE", 1)
    seen = []

    def delete_last(outcome) -> None:
        seen.append(outcome)
        if len(seen) == 1:
            paths[2].unlink()

    import io

    stream = io.StringIO()
    summary = run_batch(discover([str(tmp_path)]), StreamSink(stream), Settings(), on_outcome=delete_last)
    assert [o.error.kind if o.error else None for o in seen] == [None, None, "missing"]
    assert summary.failed == 1 and summary.articles == 3
    assert {r["doc_id"] for r in records_of(stream.getvalue())} == {str(paths[0]), str(paths[1])}


def test_missing_and_directory_paths_on_the_command_line(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    result = extract(str(tmp_path / "nope.txt"), str(good))
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr
    assert records_of(result.stdout)


# --- outputs, workers, resume ------------------------------------------------------------------


def test_usage_errors_exit_2() -> None:
    assert extract("a.txt", "-o", "x.jsonl", "--out-dir", "d").exit_code == 2
    assert extract("a.txt", "--resume").exit_code == 2
    assert extract("a.txt", "--input-format", "pdf").exit_code == 2
    assert extract("-", "-").exit_code == 2


def test_output_is_the_same_for_any_number_of_workers(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 12)
    files = discover([str(tmp_path / "in")])
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"out-{workers}"
        summary = run_batch(files, DirectorySink(out), Settings(), workers=workers)
        assert summary.articles == 12 and summary.failed == 0 and summary.workers == workers
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.jsonl"))})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 12


def test_out_dir_resume_skips_finished_articles(tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "in", 4)
    out = tmp_path / "out"
    assert extract(str(tmp_path / "in"), "--out-dir", str(out)).exit_code == 0
    done = sorted(out.rglob("*.jsonl"))
    first_bytes = {p: p.read_bytes() for p in done}
    done[0].unlink()
    paths.append(tmp_path / "in" / "part0" / "zz-new.txt")
    paths[-1].write_text(OTHER)
    result = extract(str(tmp_path / "in"), "--out-dir", str(out), "--resume")
    assert result.exit_code == 0, result.stderr
    assert "3 skipped as already done" in result.stderr
    assert {p: p.read_bytes() for p in done} == first_bytes
    assert len(list(out.rglob("*.jsonl"))) == 5


def run_cli(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "claimx", "extract", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def journal_entries(journal: Path) -> int:
    return max(0, len(journal.read_text().splitlines()) - 1) if journal.exists() else 0


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory) -> tuple[Path, bytes]:
    """Five tasks' worth of short articles, and their output from one uninterrupted run."""
    folder = tmp_path_factory.mktemp("interrupt")
    paragraphs = [p.strip() for text in sample_texts() for p in text.split("\n\n") if len(p.split()) > 12]
    for number in range(5 * claimx.batch.TASK_SIZE):
        (folder / "in").mkdir(exist_ok=True)
        (folder / "in" / f"{number:03d}.txt").write_text(paragraphs[number % len(paragraphs)] + "\n")
    reference = folder / "reference.jsonl"
    assert run_cli(str(folder / "in"), "-o", str(reference), "-q", "--workers", "1").wait() == 0
    return folder / "in", reference.read_bytes()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupted_run_resumes_to_the_same_output(tmp_path: Path, corpus_and_reference, stop_signal: int) -> None:
    corpus, reference = corpus_and_reference
    target = tmp_path / "claims.jsonl"
    journal = tmp_path / "claims.jsonl.partial.done"
    process = run_cli(str(corpus), "-o", str(target), "--workers", "1")
    deadline = time.monotonic() + 120
    while journal_entries(journal) < 1 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(stop_signal)  # while the second of five tasks runs
    _, stderr = process.communicate(timeout=120)
    if stop_signal != signal.SIGKILL:
        assert process.returncode == 130, stderr
        assert "--resume" in stderr
    assert not target.exists()  # the output file appears only complete
    if stop_signal != signal.SIGKILL:  # a killed process may leave a torn line; --resume cuts it
        partial = (tmp_path / "claims.jsonl.partial").read_bytes()
        assert 0 < len(partial) < len(reference) and reference.startswith(partial)

    resumed = run_cli(str(corpus), "-o", str(target), "--resume", "--workers", "1")
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert "skipped as already done" in stderr
    assert hashlib.sha256(target.read_bytes()).hexdigest() == hashlib.sha256(reference).hexdigest()
    assert not (tmp_path / "claims.jsonl.partial").exists() and not journal.exists()


def test_resume_with_other_settings_is_refused(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    target = tmp_path / "claims.jsonl"
    (tmp_path / "claims.jsonl.partial").write_text("")
    (tmp_path / "claims.jsonl.partial.done").write_text(json.dumps({"claimx_partial": 1, "settings": {"events": True}}) + "\n")
    result = extract(str(tmp_path / "in"), "-o", str(target), "--resume")
    assert result.exit_code == 2 and "other inputs or settings" in result.stderr


def test_progress_bar_only_on_a_terminal_and_never_on_stdout(tmp_path: Path, monkeypatch) -> None:
    import io

    from rich.console import Console

    import claimx.cli

    make_corpus(tmp_path / "in", 3)
    result = extract(str(tmp_path / "in"))
    assert "━" not in result.stderr  # CliRunner's stderr is not a terminal: no bar
    terminal = io.StringIO()
    monkeypatch.setattr(claimx.cli, "stderr", Console(file=terminal, force_terminal=True, width=120))
    result = extract(str(tmp_path / "in"))
    assert result.exit_code == 0
    shown = terminal.getvalue()
    assert "3/3" in shown and "claims" in shown and "━" in shown
    assert "━" not in result.stdout and all(line.startswith("{") for line in result.stdout.splitlines())


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    (tmp_path / "in" / "b.txt").write_bytes(b"\x00\x01\x02" * 100)
    errors, out = tmp_path / "errors.jsonl", tmp_path / "out"
    extract(str(tmp_path / "in"), "--out-dir", str(out), "--errors", str(errors))
    umask = os.umask(0)
    os.umask(umask)
    for path in (errors, *out.rglob("*.txt.jsonl")):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path


def test_doc_id_names_a_single_file_and_is_refused_for_several(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = extract(str(article), "--doc-id", "bridge-story")
    assert result.exit_code == 0 and {r["doc_id"] for r in records_of(result.stdout)} == {"bridge-story"}
    (tmp_path / "b.txt").write_text(OTHER)
    result = extract(str(tmp_path), "--doc-id", "one-name")
    assert result.exit_code == 2 and "--doc-id names a single" in result.stderr


def test_events_in_a_batch_do_not_leak_into_claimx_extract(tmp_path: Path) -> None:
    import io

    import claimx

    (tmp_path / "a.txt").write_text(ARTICLE)
    stream = io.StringIO()
    run_batch(discover([str(tmp_path)]), StreamSink(stream), Settings(events=True))
    assert all(r["events"] is not None for r in records_of(stream.getvalue()))
    assert all(record.events is None for record in claimx.extract(ARTICLE))


def test_a_batch_piped_into_head_stops_quietly(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 40)  # far more output than a pipe buffer holds
    command = f"{sys.executable} -m claimx extract {tmp_path / 'in'} --workers 1 | head -n 1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300)
    assert json.loads(result.stdout)["schema"].startswith("claimx.claim/")
    assert "Traceback" not in result.stderr and "claimx: error" not in result.stderr


def test_resume_with_other_inputs_is_refused(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    target = tmp_path / "claims.jsonl"
    first = extract(str(tmp_path / "in"), "-o", str(target))
    assert first.exit_code == 0
    # Leave an unfinished run behind, as an interruption would.
    (tmp_path / "claims.jsonl.partial").write_text("")
    journal = tmp_path / "claims.jsonl.partial.done"
    settings = {**Settings().fingerprint(), "inputs": [str(tmp_path / "in")], "glob": None, "input_format": "auto"}
    journal.write_text(json.dumps({"claimx_partial": 1, "settings": settings}) + "\n")
    assert extract(str(tmp_path / "in" / "part0"), "-o", str(target), "--resume").exit_code == 2
    resumed = extract(str(tmp_path / "in"), "-o", str(target), "--resume")
    assert resumed.exit_code == 0, resumed.stderr
    assert target.read_bytes() and not journal.exists()
