"""Batches on a real Dask cluster on localhost: a `dask scheduler` and two `dask worker`
processes started here (never a mock); the outputs must be the bytes of a local run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import noticeparse
from noticeparse.cli import EXIT_OK, EXIT_USAGE, cli
from tests.conftest import SEED

pytest.importorskip("distributed", reason='the Dask extra is not installed: pip install "noticeparse[dask]"')
FILES = ("notices.jsonl", "activities.csv", "errors.jsonl")
DASK = str(Path(sys.executable).with_name("dask"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the Dask scheduler did not start")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        _wait_for(port)
        workers = []
        for k in range(2):
            workers.append(subprocess.Popen(
                [DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                 "--local-directory", str(tmp_path / f"worker-{k}")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        procs.extend(workers)
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _inputs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8")
    for k in range(count):
        (folder / f"n{k:03d}.txt").write_text(text + f"\n附件：清单{k}\n", encoding="utf-8")
    return folder


def _same(a: Path, b: Path) -> None:
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_dask_cluster_writes_the_bytes_of_a_local_run(tmp_path: Path, cluster) -> None:
    address, _ = cluster
    source = _inputs(tmp_path / "in", 300)
    local = noticeparse.batch(source, tmp_path / "local", jobs=2, progress=False)
    result = CliRunner().invoke(cli, ["batch", str(source), "-o", str(tmp_path / "dask"), "--scheduler", address])
    assert result.exit_code == EXIT_OK, result.stderr
    assert result.stderr.strip().endswith("300 ok, 0 failed") and local.ok == 300
    _same(tmp_path / "local", tmp_path / "dask")


def _start_batch(source: Path, out: Path, address: str) -> subprocess.Popen[bytes]:
    """The batch as a process of its own group, once its first results are committed."""
    run = subprocess.Popen([sys.executable, "-m", "noticeparse", "batch", str(source), "-o", str(out),
                            "--scheduler", address], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           start_new_session=True)
    manifest = out / "manifest.jsonl"
    deadline = time.monotonic() + 120
    while not (manifest.exists() and manifest.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.01)  # the first partitions are in: the run is under way
    assert run.poll() is None, "the kill must land mid-run"
    return run


def test_a_worker_killed_mid_run_loses_nothing(tmp_path: Path, cluster) -> None:
    address, workers = cluster
    source = _inputs(tmp_path / "in", 1500)
    noticeparse.batch(source, tmp_path / "local", jobs=2, progress=False)
    run = _start_batch(source, tmp_path / "dask", address)
    os.killpg(workers[0].pid, signal.SIGKILL)  # the worker and its nanny, as a lost machine
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err.decode()
    _same(tmp_path / "local", tmp_path / "dask")


def test_the_driver_killed_then_resumed(tmp_path: Path, cluster) -> None:
    address, _ = cluster
    source = _inputs(tmp_path / "in", 1500)
    noticeparse.batch(source, tmp_path / "local", jobs=2, progress=False)
    run = _start_batch(source, tmp_path / "dask", address)
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate()
    again = CliRunner().invoke(cli, ["batch", str(source), "-o", str(tmp_path / "dask"), "--scheduler", address,
                                     "--resume"])
    assert again.exit_code == EXIT_OK, again.stderr
    _same(tmp_path / "local", tmp_path / "dask")


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    port = _free_port()
    result = CliRunner().invoke(cli, ["batch", str(SEED), "-o", str(tmp_path / "out"),
                                      "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.count("\n") == 1 and "cannot reach the Dask scheduler" in result.stderr


def test_a_local_dask_cluster(tmp_path: Path) -> None:
    source = _inputs(tmp_path / "in", 40)
    noticeparse.batch(source, tmp_path / "local", jobs=2, progress=False)
    result = noticeparse.batch(source, tmp_path / "dask", jobs=2, engine="dask", progress=False)
    assert result.ok == 40
    _same(tmp_path / "local", tmp_path / "dask")




def test_parts_written_before_the_driver_died_are_read_not_parsed_again(tmp_path: Path, cluster) -> None:
    """The workers wrote every part, then the driver died before merging any: --resume completes
    from the parts alone — with no cluster at all — and the parts are removed once merged; a part
    cut short is never trusted (its inputs need the cluster again)."""
    from noticeparse.batch import find_jobs
    from noticeparse.batch.executors import DaskExecutor
    from noticeparse.batch.work import Job, WorkState

    address, _ = cluster
    source = _inputs(tmp_path / "in", 250)
    noticeparse.batch(source, tmp_path / "local", jobs=2, progress=False)
    out = tmp_path / "dask"
    jobs = [j for j in find_jobs([source], skip=[out]) if isinstance(j, Job)]
    executor = DaskExecutor(WorkState(max_bytes=1 << 26, max_unzipped=1 << 28), address, folder=out,
                            positions={j.key: k for k, j in enumerate(jobs)})
    assert len(list(executor.run(jobs))) == 250  # results read back, never merged: the driver "died" here
    parts = sorted((out / "parts").iterdir())
    assert [p.name for p in parts] == [f"part-{k:05d}.jsonl" for k in range(5)]  # partitions of 50
    cut = parts[1].read_bytes()
    parts[1].write_bytes(cut[: len(cut) // 2])
    nowhere = f"tcp://127.0.0.1:{_free_port()}"
    failed = CliRunner().invoke(cli, ["batch", str(source), "-o", str(out), "--scheduler", nowhere, "--resume"])
    assert failed.exit_code == EXIT_USAGE and "cannot reach the Dask scheduler" in failed.stderr
    parts[1].write_bytes(cut)
    again = CliRunner().invoke(cli, ["batch", str(source), "-o", str(out), "--scheduler", nowhere, "--resume"])
    assert again.exit_code == EXIT_OK, again.stderr
    _same(tmp_path / "local", out)
    assert not (out / "parts").exists()
