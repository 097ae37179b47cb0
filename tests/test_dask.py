"""The Dask engine on a real two-worker LocalCluster: same records as one machine, resumable output."""

from __future__ import annotations

import contextlib
import json
import os
import random
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from claimx.cli import app
from claimx.output import dumps

# A corpus folder: nested, with names whose sorted order is easy to get wrong, a binary file, an
# empty file and files the folder walk must skip. ARTICLE_ORDER is the single-machine order.
ARTICLE_ORDER = [
    "2024/01.txt", "2024/02.md", "2024/03.txt", "2024/sub/04.txt", "2024-extra/x.txt", "a.txt",
    "b.text", "bad.txt", "c.txt", "d.txt", "e.txt", "empty.txt", "f.txt", "g.txt", "h.txt",
]
SKIPPED = [".hidden.txt", ".drafts/z.txt", "notes.csv"]
PARTITION_SIZE = 3


def _paragraphs() -> list[str]:
    return [
        block.strip()
        for file in sorted(SAMPLES.glob("*.txt"))
        for block in file.read_text(encoding="utf-8").split("\n\n")
        if block.strip()
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    paragraphs = _paragraphs()
    rng = random.Random(7)
    for relative in ARTICLE_ORDER + SKIPPED:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative == "bad.txt":
            path.write_bytes(bytes(range(256)) * 8)
        elif relative == "empty.txt":
            path.write_text(" \n\n", encoding="utf-8")
        else:
            path.write_text("\n\n".join(rng.sample(paragraphs, k=4)) + "\n", encoding="utf-8")
    return folder


def single_machine(paths: list[str], folder: Path) -> tuple[list[str], list[dict]]:
    """Claim lines and error records of `claimx extract PATHS -w 1`: the single-machine path."""
    output, errors = folder / "claims.jsonl", folder / "errors.jsonl"
    result = CliRunner().invoke(app, ["extract", *paths, "-w", "1", "-o", str(output), "--errors", str(errors)])
    assert result.exit_code in (0, 1), result.output
    error_lines = errors.read_text(encoding="utf-8").splitlines() if errors.exists() else []
    return output.read_text(encoding="utf-8").splitlines(), [json.loads(line) for line in error_lines]


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[dict]]:
    return single_machine([f"{corpus}/"], tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes; a task may lose one worker, not two (allowed-failures=1)."""
    pytest.importorskip("distributed", reason="the Dask engine needs: pip install 'claimx[dask]'")
    import cloudpickle
    import dask
    from distributed import Client, LocalCluster

    # The kill switch below must reach the workers, which cannot import this test module.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local,
        Client(local) as client,
    ):
        yield local, client


def part_lines(out_dir: Path) -> list[str]:
    return [line for part in sorted(out_dir.glob("part-*.jsonl")) for line in part.read_text(encoding="utf-8").splitlines()]


def error_records(out_dir: Path) -> list[dict]:
    return [json.loads(line) for file in sorted(out_dir.glob("errors-*.jsonl")) for line in file.read_text().splitlines()]


def kill_switch_plugin(victim: str, markers: str, kills: int):
    """A worker plugin: die (os._exit) on reaching `victim`, at most `kills` times across all workers.

    A plugin, not a `client.run`, because the nanny restarts a dead worker as a new process: the
    plugin arms that one too, so the retried task meets the switch wherever it lands.
    """
    from distributed.diagnostics.plugin import WorkerPlugin

    class KillSwitch(WorkerPlugin):
        name = "claimx-test-kill-switch"

        def setup(self, worker) -> None:
            import claimx.dask

            source = claimx.dask._source

            def killing_source(item, spec):
                if item == victim:
                    for number in range(kills):
                        try:
                            os.close(os.open(os.path.join(markers, f"kill-{number}"), os.O_CREAT | os.O_EXCL))
                        except FileExistsError:
                            continue
                        os._exit(1)
                return source(item, spec)

            self.restore = lambda: setattr(claimx.dask, "_source", source)
            claimx.dask._source = killing_source

        def teardown(self, worker) -> None:
            self.restore()

    return KillSwitch()


@contextlib.contextmanager
def kill_switch(client, victim: str, markers: str, kills: int):
    """Arm every worker, present and restarted, with the kill switch while the block runs."""
    plugin = kill_switch_plugin(victim, markers, kills)
    client.register_plugin(plugin)
    try:
        yield
    finally:
        client.unregister_worker_plugin(plugin.name)


# --- no cluster needed ------------------------------------------------------------------------


def test_without_dask_the_engine_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimx.dask import DaskUnavailable, run_extract

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(DaskUnavailable) as caught:
        run_extract(["samples/"], "unused")
    assert isinstance(caught.value, ImportError)
    assert "pip install 'claimx[dask]'" in str(caught.value) and "\n" not in str(caught.value)


def test_articles_are_listed_as_the_single_machine_path_names_them(corpus: Path) -> None:
    from claimx.dask import list_articles

    single = str(corpus / "a.txt")
    listed = list_articles([f"{corpus}/", single, "no/such/file.txt"])
    assert listed == [f"{corpus}/{relative}" for relative in ARTICLE_ORDER] + [single, "no/such/file.txt"]
    assert list_articles([str(corpus)], glob="2024/*") == [f"{corpus}/2024/{name}" for name in ("01.txt", "02.md", "03.txt")] + [
        f"{corpus}/2024/sub/04.txt"]


def test_one_article_that_breaks_the_pipeline_becomes_an_error_record(
    corpus: Path, reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimx.pipeline
    from claimx.dask import PipelineSpec, _partition_output

    lines, _ = reference
    names = [f"{corpus}/{name}" for name in ("a.txt", "c.txt", "d.txt")]
    real_iter = claimx.pipeline.iter_records

    def iter_records(nlp, pairs, batch_size=64):
        pairs = list(pairs)
        if any(doc_id == names[1] for doc_id, _ in pairs):
            raise ValueError("boom")
        yield from real_iter(nlp, pairs, batch_size)

    monkeypatch.setattr(claimx.pipeline, "iter_records", iter_records)
    output = _partition_output(names, PipelineSpec())  # what a worker runs, here in-process
    kept = {names[0], names[2]}
    assert output.claims_text.splitlines() == [line for line in lines if json.loads(line)["doc_id"] in kept]
    assert json.loads(output.errors_text) == {"schema": "claimx.error/1", "input": names[1], "kind": "processing",
                                              "message": "ValueError: boom"}
    assert (output.articles, output.errors) == (3, 1)


# --- on the LocalCluster ----------------------------------------------------------------------


def test_partitioned_run_gives_the_single_machine_records(cluster, corpus: Path, reference, tmp_path: Path) -> None:
    from claimx.dask import run_extract

    local, _ = cluster
    lines, errors = reference
    seen = []
    summary = run_extract([f"{corpus}/"], str(tmp_path / "out"), scheduler=local.scheduler_address,
                          partition_size=PARTITION_SIZE, progress=lambda done, total: seen.append((done, total)))
    out = tmp_path / "out"
    assert part_lines(out) == lines  # same lines, same order: part files concatenate to the single-machine output
    assert error_records(out) == errors == [
        {"schema": "claimx.error/1", "input": f"{corpus}/bad.txt", "kind": "binary",
         "message": "looks like a binary file, not text (claimx reads plain-text articles)"}]
    partitions = -(-len(ARTICLE_ORDER) // PARTITION_SIZE)
    assert sorted(path.name for path in out.glob("part-*")) == [f"part-{n:05d}.jsonl" for n in range(partitions)]
    assert (summary.articles, summary.claims, summary.errors) == (len(ARTICLE_ORDER), len(lines), 1)
    assert (summary.partitions_written, summary.partitions_skipped, summary.partitions_failed) == (partitions, 0, 0)
    assert seen[0] == (0, partitions) and seen[-1] == (partitions, partitions)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and len(manifest["done"]) == partitions
    assert sum(entry["claims"] for entry in manifest["done"].values()) == len(lines)

    again = run_extract([f"{corpus}/"], str(out), scheduler=local.scheduler_address, partition_size=PARTITION_SIZE)
    assert (again.partitions_written, again.partitions_skipped, again.claims) == (0, partitions, len(lines))
    assert part_lines(out) == lines


def test_a_worker_killed_mid_run_loses_no_claim_and_duplicates_none(cluster, corpus: Path, reference, tmp_path: Path) -> None:
    from claimx.dask import run_extract

    local, client = cluster
    lines, _ = reference
    with kill_switch(client, f"{corpus}/c.txt", str(tmp_path), 1):
        summary = run_extract([f"{corpus}/"], str(tmp_path / "out"), scheduler=local.scheduler_address,
                              partition_size=PARTITION_SIZE)
    assert (tmp_path / "kill-0").exists(), "the kill switch never fired"
    assert summary.partitions_failed == 0 and summary.complete
    assert part_lines(tmp_path / "out") == lines
    claim_ids = [json.loads(line)["claim_id"] for line in part_lines(tmp_path / "out")]
    assert len(claim_ids) == len(set(claim_ids))


def test_a_partition_that_keeps_killing_workers_is_redone_alone_on_the_next_run(
    cluster, corpus: Path, reference, tmp_path: Path
) -> None:
    from claimx.dask import run_extract

    local, client = cluster
    lines, _ = reference
    client.wait_for_workers(2)
    out = tmp_path / "out"
    with kill_switch(client, f"{corpus}/d.txt", str(tmp_path), 2):  # two deaths: the task is given up
        first = run_extract([f"{corpus}/"], str(out), scheduler=local.scheduler_address, partition_size=PARTITION_SIZE)
    victim = ARTICLE_ORDER.index("d.txt") // PARTITION_SIZE
    # A task queued on a dying worker counts that death too, so a bystander partition may fail with it.
    assert first.partitions_failed >= 1 and all("KilledWorker" in failure for failure in first.failures)
    assert any(failure.startswith(f"part-{victim:05d}.jsonl") for failure in first.failures)
    assert not (out / f"part-{victim:05d}.jsonl").exists()
    assert not json.loads((out / "manifest.json").read_text())["complete"]

    second = run_extract([f"{corpus}/"], str(out), scheduler=local.scheduler_address, partition_size=PARTITION_SIZE)
    assert (second.partitions_written, second.partitions_failed) == (first.partitions_failed, 0)
    assert second.partitions_skipped == first.partitions_written
    assert part_lines(out) == lines


def test_after_the_client_dies_a_rerun_writes_only_what_is_missing(cluster, corpus: Path, reference, tmp_path: Path) -> None:
    from claimx.dask import run_extract

    local, _ = cluster
    lines, _ = reference
    out = tmp_path / "out"

    def crash(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_extract([f"{corpus}/"], str(out), scheduler=local.scheduler_address, partition_size=PARTITION_SIZE,
                    progress=crash)
    written = sorted(out.glob("part-*.jsonl"))
    assert len(written) == 2
    # A client killed outright may not have recorded its last part in the manifest: drop one entry.
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["done"].pop(written[0].stem.removeprefix("part-"))
    (out / "manifest.json").write_text(json.dumps(manifest))
    before = {path.name: path.stat().st_mtime_ns for path in written}

    summary = run_extract([f"{corpus}/"], str(out), scheduler=local.scheduler_address, partition_size=PARTITION_SIZE)
    assert summary.partitions_skipped == 2 and summary.partitions_written == summary.partitions - 2
    assert {path.name: path.stat().st_mtime_ns for path in written} == before  # finished parts untouched
    assert part_lines(out) == lines and summary.claims == len(lines)


def test_an_out_dir_holding_another_run_is_refused(cluster, corpus: Path, tmp_path: Path) -> None:
    from claimx.dask import OutputDirConflict, run_extract

    local, _ = cluster
    out = str(tmp_path / "out")
    run_extract([f"{corpus}/a.txt"], out, scheduler=local.scheduler_address, partition_size=PARTITION_SIZE)
    with pytest.raises(OutputDirConflict, match="other options .*partition_size"):
        run_extract([f"{corpus}/a.txt"], out, scheduler=local.scheduler_address, partition_size=1)
    with pytest.raises(OutputDirConflict, match="other inputs"):
        run_extract([f"{corpus}/b.text"], out, scheduler=local.scheduler_address, partition_size=PARTITION_SIZE)


def test_bag_of_paths_and_bag_of_texts_give_the_single_machine_records(cluster, corpus: Path, reference) -> None:
    import dask.bag

    from claimx.dask import extract_bag, is_claim

    lines, errors = reference
    records = extract_bag(f"{corpus}/", partition_size=PARTITION_SIZE).compute()  # the default client: the cluster's
    assert [dumps(record) for record in records if is_claim(record)] == lines
    assert [record for record in records if not is_claim(record)] == errors

    texts = [(f"{corpus}/{name}", (corpus / name).read_text(encoding="utf-8")) for name in ("a.txt", "2024/02.md")]
    bag = dask.bag.from_sequence(texts, npartitions=2)
    expected = [line for doc_id, _ in texts for line in lines if json.loads(line)["doc_id"] == doc_id]
    assert [dumps(record) for record in extract_bag(bag).compute()] == expected


def test_out_dir_can_be_an_fsspec_url(cluster, corpus: Path, reference) -> None:
    import fsspec

    from claimx.dask import run_extract

    local, _ = cluster
    lines, _ = reference
    names = ["a.txt", "b.text"]
    summary = run_extract([f"{corpus}/{name}" for name in names], "memory://claimx-test/out",
                          scheduler=local.scheduler_address, partition_size=1)
    fs = fsspec.filesystem("memory")
    written = sorted(path for path in fs.ls("/claimx-test/out", detail=False) if "part-" in path)
    got = [line for path in written for line in fs.cat_file(path).decode("utf-8").splitlines()]
    assert got == [line for line in lines if json.loads(line)["doc_id"].endswith(tuple(f"/{n}" for n in names))]
    assert summary.partitions_written == 2 and fs.exists("/claimx-test/out/manifest.json")


def test_jsonl_articles_and_missing_files_match_the_single_machine_path(cluster, corpus: Path, tmp_path: Path) -> None:
    from claimx.dask import run_extract

    local, _ = cluster
    collection = tmp_path / "collection.jsonl"
    texts = [(corpus / name).read_text(encoding="utf-8") for name in ("a.txt", "b.text")]
    collection.write_text(
        json.dumps({"id": "first", "text": texts[0], "outlet": "Wire"}) + "\n" + "not json\n"
        + json.dumps({"text": texts[1]}) + "\n", encoding="utf-8")
    paths = [str(collection), str(tmp_path / "gone.txt"), f"{corpus}/c.txt"]
    lines, errors = single_machine(paths, tmp_path)
    summary = run_extract(paths, str(tmp_path / "out"), scheduler=local.scheduler_address, partition_size=2)
    assert part_lines(tmp_path / "out") == lines
    assert error_records(tmp_path / "out") == errors and [e["kind"] for e in errors] == ["malformed", "missing"]
    assert summary.articles == 5 and summary.errors == 2  # three JSONL lines, two files


# --- through the command line -------------------------------------------------------------------


def test_cli_engine_dask_writes_the_single_machine_lines_to_part_files(cluster, corpus: Path, reference, tmp_path: Path) -> None:
    local, _ = cluster
    lines, _ = reference
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", f"{corpus}/", "--engine", "dask", "--scheduler",
                                      local.scheduler_address, "--out-dir", str(out), "--partition-size", "4"])
    assert result.exit_code == 1, result.output  # bad.txt is binary: one input failed
    assert result.stdout == ""
    assert part_lines(out) == lines
    assert "parts written" in result.stderr


@pytest.mark.parametrize("arguments, message", [
    (["--engine", "dask"], "give --out-dir"),
    (["--engine", "dask", "-o", "x.jsonl"], "give --out-dir"),
    (["--engine", "spark", "--out-dir", "d"], "unknown --engine"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler goes with --engine dask"),
])
def test_cli_engine_usage_errors(arguments: list[str], message: str, corpus: Path) -> None:
    result = CliRunner().invoke(app, ["extract", f"{corpus}/a.txt", *arguments])
    assert result.exit_code == 2 and message in result.stderr


def test_accurate_bag_scores_with_the_encoder_and_finds_the_same_claims(cluster, corpus: Path, reference) -> None:
    pytest.importorskip("onnxruntime", reason="the accurate tier needs: pip install 'claimx[accurate]'")
    from claimx.dask import extract_bag, is_claim

    lines, _ = reference
    paths = [f"{corpus}/a.txt", f"{corpus}/c.txt"]
    records = [record for record in extract_bag(paths, accurate=True).compute() if is_claim(record)]
    expected = [record for record in map(json.loads, lines) if record["doc_id"] in paths]
    assert records and {record["tier"] for record in records} == {"accurate"}
    assert [(r["doc_id"], r["start"], r["end"]) for r in records] == [(e["doc_id"], e["start"], e["end"]) for e in expected]
