"""Batch reliability: dead and overrunning workers, the folder lock, resume against changed inputs,
canonical input keys, zip members of one name, byte-stable finals, full disks and signals."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import noticeparse
from noticeparse.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE, cli
from tests.conftest import SEED

executors = sys.modules.get("noticeparse.batch.executors") or __import__(
    "noticeparse.batch.executors", fromlist=["x"])


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def seeds(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    for k, name in enumerate(names):
        (folder / name).write_text(text + f"\n附件：清单{k}\n", encoding="utf-8")


@pytest.fixture
def misbehaving(monkeypatch: pytest.MonkeyPatch):
    """Workers (forked after this) die on die.txt and hang on slow.txt: real processes, real signals."""
    real = executors.parse_job

    def parse_job(job, state):  # type: ignore[no-untyped-def]
        if job.name.endswith("die.txt"):
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer does
        if job.name.endswith("slow.txt"):
            time.sleep(60)
        return real(job, state)

    monkeypatch.setattr(executors, "parse_job", parse_job)


def test_a_worker_killed_by_the_oom_killer_fails_its_file_and_the_batch_goes_on(
    tmp_path: Path, misbehaving: None
) -> None:
    seeds(tmp_path / "in", ["a.txt", "b-die.txt", "c.txt", "d.txt"])
    result = noticeparse.batch(tmp_path / "in", tmp_path / "out", jobs=2, progress=False)
    assert (result.ok, result.failed) == (3, 1)
    [error] = lines(tmp_path / "out" / "errors.jsonl")
    assert error["error"] == "WorkerDied" and "worker died (killed by signal 9 (SIGKILL))" in error["message"]
    assert [Path(m["file"]).name for m in lines(tmp_path / "out" / "manifest.jsonl")] == [
        "a.txt", "b-die.txt", "c.txt", "d.txt"]


@pytest.mark.parametrize("count", [1, 3])
def test_a_file_over_the_time_limit_is_killed_not_waited_for(tmp_path: Path, misbehaving: None, count: int) -> None:
    seeds(tmp_path / "in", ["a-slow.txt", "b.txt", "c.txt"][:count])
    started = time.monotonic()
    result = noticeparse.batch(tmp_path / "in", tmp_path / "out", jobs=2, timeout=1, progress=False)
    assert time.monotonic() - started < 30  # the hang was cut (it sleeps 60 s)
    assert (result.ok, result.failed) == (count - 1, 1)
    [error] = lines(tmp_path / "out" / "errors.jsonl")
    assert error["error"] == "LimitExceeded" and "took over 1 s" in error["message"]


def test_a_second_batch_into_the_same_folder_stops_at_once(tmp_path: Path) -> None:
    from noticeparse.batch.journal import Journal

    holder = Journal(tmp_path / "out", resume=False, header=b"")
    try:
        result = run("batch", str(SEED), "-o", str(tmp_path / "out"), "--resume")
        assert result.exit_code == EXIT_USAGE
        assert "another batch is writing to this folder" in result.stderr
        assert result.stderr.count("\n") == 1
    finally:
        holder.close()
    assert run("batch", str(SEED), "-o", str(tmp_path / "out"), "--resume").exit_code == EXIT_OK


def test_the_output_folder_inside_an_input_folder_is_not_read(tmp_path: Path) -> None:
    seeds(tmp_path / "inbox", ["a.txt"])
    (tmp_path / "inbox" / "MANIFEST.tsv").write_text("file\tnote\n", encoding="utf-8")
    out = tmp_path / "inbox" / "out"
    assert run("batch", str(tmp_path / "inbox"), "-o", str(out)).exit_code == EXIT_OK
    assert run("batch", str(tmp_path / "inbox"), "-o", str(out), "--resume").exit_code == EXIT_OK
    assert [Path(m["file"]).name for m in lines(out / "manifest.jsonl")] == ["a.txt"]


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    seeds(tmp_path / "in", ["a.txt", "b.txt", "c.html"])
    out = tmp_path / "out"
    assert run("batch", str(tmp_path / "in"), "-o", str(out), "--include", "*.txt", "--exclude", "b*").exit_code == 0
    assert [Path(m["file"]).name for m in lines(out / "manifest.jsonl")] == ["a.txt"]


def test_a_missing_input_is_a_usage_error_and_creates_nothing(tmp_path: Path) -> None:
    result = run("batch", str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert result.exit_code == EXIT_USAGE and "no such file or folder" in result.stderr
    assert not (tmp_path / "out").exists()


def test_zip_members_of_the_same_name_are_both_parsed(tmp_path: Path) -> None:
    archive = tmp_path / "twice.zip"
    text = SEED.read_text(encoding="utf-8")
    with zipfile.ZipFile(archive, "w") as z, pytest.warns(UserWarning):
        z.writestr("notice.txt", text)
        z.writestr("notice.txt", text.replace("质量月", "安全月"))
    result = noticeparse.batch(archive, tmp_path / "out", progress=False)
    assert (result.ok, result.duplicates) == (2, 0)
    titles = [n["notice"]["title"] for n in lines(tmp_path / "out" / "notices.jsonl")]
    assert any("安全月" in t for t in titles) and any("质量月" in t for t in titles)


def test_resume_replaces_a_changed_input_and_drops_a_deleted_one(tmp_path: Path) -> None:
    seeds(tmp_path / "in", ["a.txt", "b.txt", "c.txt"])
    out = tmp_path / "out"
    noticeparse.batch(tmp_path / "in", out, progress=False)
    b = tmp_path / "in" / "b.txt"
    b.write_text(b.read_text(encoding="utf-8").replace("质量月", "安全月"), encoding="utf-8")
    (tmp_path / "in" / "c.txt").unlink()
    (tmp_path / "in" / "a.txt").touch()  # touched, not changed
    result = noticeparse.batch(tmp_path / "in", out, resume=True, progress=False)
    assert (result.ok, result.changed, result.missing, result.skipped) == (2, 1, 1, 1)
    assert "1 changed since the last run" in result.summary() and "1 no longer present" in result.summary()
    notices = lines(out / "notices.jsonl")
    assert [Path(n["source"]["path"]).name for n in notices] == ["a.txt", "b.txt"]
    assert "安全月" in notices[1]["notice"]["title"]
    statuses = [(Path(m["file"]).name, m["status"], m.get("changed")) for m in lines(out / "manifest.jsonl")]
    assert statuses == [("a.txt", "ok", None), ("c.txt", "missing", None), ("b.txt", "ok", True)]
    # A fresh run over the inputs as they are now writes the same notices.
    fresh = tmp_path / "fresh"
    noticeparse.batch(tmp_path / "in", fresh, progress=False)
    assert (fresh / "notices.jsonl").read_bytes() == (out / "notices.jsonl").read_bytes()


def test_resume_with_the_folder_spelled_differently_adds_nothing(tmp_path: Path, monkeypatch) -> None:
    seeds(tmp_path / "in", ["a.txt", "b.txt"])
    monkeypatch.chdir(tmp_path)
    noticeparse.batch("in", tmp_path / "out", progress=False)
    again = noticeparse.batch(str(tmp_path / "in"), tmp_path / "out", resume=True, progress=False)
    assert (again.ok, again.skipped) == (2, 2)
    assert len(lines(tmp_path / "out" / "manifest.jsonl")) == 2


def test_a_single_path_string_is_one_input(tmp_path: Path) -> None:
    result = noticeparse.batch(str(SEED), tmp_path / "out", progress=False)
    assert result.ok == 1
    assert len(noticeparse.extract(str(SEED), output=tmp_path / "x.json").notices) == 1


def test_two_runs_write_the_same_xlsx_bytes(tmp_path: Path) -> None:
    for name in ("one", "two"):
        noticeparse.batch(SEED, tmp_path / name, formats=("jsonl", "csv", "xlsx"), progress=False)
        time.sleep(1.1)  # a timestamp of the run would differ
    assert (tmp_path / "one" / "activities.xlsx").read_bytes() == (tmp_path / "two" / "activities.xlsx").read_bytes()


def _spawn(args: list[str], **kwargs) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "noticeparse", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True, **kwargs)


def _finish(args: list[str]) -> int:
    proc = _spawn(args)
    proc.communicate(timeout=120)
    return proc.returncode


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limit here")
def test_a_full_disk_is_one_line_and_resume_goes_on(tmp_path: Path) -> None:
    seeds(tmp_path / "in", [f"n{k:02d}.txt" for k in range(20)])
    out = tmp_path / "out"
    proc = _spawn(["batch", str(tmp_path / "in"), "-o", str(out), "-j", "1"], preexec_fn=_limit_file_size)
    _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert proc.returncode == EXIT_FAILED, text
    assert "File too large; --resume continues" in text and "Traceback" not in text
    assert text.strip().count("\n") == 0, text
    assert _finish(["batch", str(tmp_path / "in"), "-o", str(out), "--resume"]) == 0
    full = tmp_path / "full"
    assert _finish(["batch", str(tmp_path / "in"), "-o", str(full)]) == 0
    assert lines(out / "manifest.jsonl")[-1]["status"] == "ok"
    assert (out / "notices.jsonl").read_bytes() == (full / "notices.jsonl").read_bytes()


@pytest.mark.parametrize(("sig", "code", "word"), [(signal.SIGTERM, EXIT_TERMINATED, "Terminated"),
                                                   (signal.SIGINT, EXIT_INTERRUPTED, "Interrupted")])
def test_signals_end_a_batch_with_one_line(tmp_path: Path, sig: int, code: int, word: str) -> None:
    seeds(tmp_path / "in", [f"n{k:03d}.txt" for k in range(400)])
    out = tmp_path / "out"
    proc = _spawn(["batch", str(tmp_path / "in"), "-o", str(out), "-j", "2"])
    deadline = time.monotonic() + 60
    while not (out / "notices.jsonl").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.05)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground group
    else:
        proc.send_signal(sig)  # a service manager signals the main process
    _, err = proc.communicate(timeout=60)
    text = err.decode()
    assert proc.returncode == code, text
    assert text.startswith(word) and text.count("\n") == 1, text
    assert "Traceback" not in text and "BrokenPipe" not in text and "ForkPoolWorker" not in text
