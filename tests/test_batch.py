"""`noticeparse batch`: inputs of every kind, bad files, duplicates, archives, resuming after a kill."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import noticeparse
from noticeparse.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, cli
from tests.conftest import SEED
from tests.fixtures import make_docx

FILES = ("notices.jsonl", "activities.csv", "errors.jsonl", "manifest.jsonl")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    seed = SEED.read_bytes()
    (root / "a-seed.txt").write_bytes(seed)
    (root / "sub" / "b-copy-of-seed.txt").write_bytes(seed)  # a duplicate
    (root / "sub" / "c-plan.docx").write_bytes(make_docx.plan(auto=True))
    (root / "d-binary.txt").write_bytes(b"\x00\x01\x02" * 50)  # not text
    (root / "e-fake.docx").write_bytes(b"this is no docx")
    with zipfile.ZipFile(root / "f-archive.zip", "w") as z:
        z.writestr("inner/plan.docx", make_docx.plan(auto=False))
        z.writestr("../../escape.txt", "一、活动时间：9月\n牵头部门：甲股\n")  # only a name: never written out
        z.writestr("broken.pdf", b"%PDF-1.4 broken")
    return root


def test_batch_over_a_tree(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", str(tree), "-o", str(out), "-j", "2", "--format", "xlsx")
    assert result.exit_code == EXIT_FAILED
    assert result.stderr.strip().endswith(f"3 failed, 1 duplicates, see {out / 'errors.jsonl'}")
    notices = lines(out / "notices.jsonl")
    assert [Path(n["source"]["path"]).name for n in notices] == [
        "a-seed.txt", "plan.docx", "escape.txt", "c-plan.docx",
    ]
    errors = {Path(e["file"]).name: e["error"] for e in lines(out / "errors.jsonl")}
    assert errors == {"d-binary.txt": "DecodeError", "e-fake.docx": "CorruptFile", "broken.pdf": "CorruptFile"}
    statuses = [(Path(m["file"]).name, m["status"]) for m in lines(out / "manifest.jsonl")]
    assert ("b-copy-of-seed.txt", "duplicate") in statuses
    with (out / "activities.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(n["activities"]) for n in notices)
    assert (out / "activities.xlsx").stat().st_size > 0
    assert not (tmp_path / "escape.txt").exists() and not (tree.parent / "escape.txt").exists()


def test_all_good_exits_0_and_a_used_folder_needs_resume(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("batch", str(SEED), "-o", str(out)).exit_code == EXIT_OK
    again = run("batch", str(SEED), "-o", str(out))
    assert again.exit_code == EXIT_USAGE and "add --resume" in again.stderr
    resumed = run("batch", str(SEED), "-o", str(out), "--resume")
    assert resumed.exit_code == EXIT_OK and "1 already done" in resumed.stderr
    assert len(lines(out / "notices.jsonl")) == 1


def test_api_twin(tmp_path: Path) -> None:
    result = noticeparse.batch([SEED], tmp_path / "o", jobs=1, progress=False)
    assert (result.ok, result.failed) == (1, 0)


def test_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("huge.txt", "一" * 3_000_000)  # 9 MB of one character packs a thousandfold
    out = tmp_path / "out"
    assert run("batch", str(archive), "-o", str(out)).exit_code == EXIT_FAILED
    [error] = lines(out / "errors.jsonl")
    assert error["error"] == "LimitExceeded" and "zip bomb" in error["message"]


def test_half_written_lines_are_dropped_on_resume(tree: Path, tmp_path: Path) -> None:
    full, part = tmp_path / "full", tmp_path / "part"
    run("batch", str(tree), "-o", str(full), "-j", "1")
    run("batch", str(tree), "-o", str(part), "-j", "1")
    manifest = (part / "manifest.jsonl").read_bytes().splitlines(keepends=True)
    # As if killed mid-write: three inputs recorded, more results written than recorded, half a line.
    (part / "manifest.jsonl").write_bytes(b"".join(manifest[:3]) + manifest[3][:20])
    with (part / "notices.jsonl").open("ab") as fh:
        fh.write(b'{"schema_version": 1, "sou')
    run("batch", str(tree), "-o", str(part), "-j", "1", "--resume")
    for name in FILES:
        assert (part / name).read_bytes() == (full / name).read_bytes(), name


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "noticeparse", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _manifest_lines(folder: Path) -> int:
    path = folder / "manifest.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.parametrize("delay", [0.0, 0.03])
def test_killed_and_resumed_run_equals_an_uninterrupted_one(tmp_path: Path, delay: float) -> None:
    source = tmp_path / "in"
    total = 600  # more than one commit of results (256), so the first commit lands mid-run
    seed = SEED.read_text(encoding="utf-8")
    for k in range(total):
        folder = source / f"d{k % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        # Distinct documents (no duplicates), so every one is parsed and written.
        (folder / f"n{k:03d}.txt").write_text(seed + f"\n附件：清单{k}\n", encoding="utf-8")
    full, part = tmp_path / "full", tmp_path / "part"
    assert _spawn(["batch", str(source), "-o", str(full), "-j", "2"]).wait() == 0
    proc = _spawn(["batch", str(source), "-o", str(part), "-j", "2"])
    deadline = time.monotonic() + 60
    while not _manifest_lines(part) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGSTOP)  # freeze the run and its workers where they are
    recorded = _manifest_lines(part)
    os.killpg(proc.pid, signal.SIGKILL)  # kill -9 the run and its workers
    proc.wait()
    assert 0 < recorded < total, "the kill must land mid-run, after some results were committed"
    assert _spawn(["batch", str(source), "-o", str(part), "-j", "2", "--resume"]).wait() == 0
    for name in FILES:
        assert (part / name).read_bytes() == (full / name).read_bytes(), name


def test_keywords_on_extract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTICEPARSE_CACHE_DIR", str(tmp_path / "cache"))
    doc = noticeparse.parse(SEED, keywords=True)
    first = doc.activities[0]
    assert 1 <= len(first.keywords) <= 5
    assert "质量" in first.keywords
    assert "活动" not in first.keywords  # a stopword of rules/keywords.toml
    assert any((tmp_path / "cache").iterdir())  # jieba's dictionary cache lives there


def test_glob_and_zip_member_names_from_chinese_windows(tmp_path: Path) -> None:
    archive = tmp_path / "gbk.zip"
    name = "通知.txt".encode("gbk")
    placeholder = b"x" * (len(name) - 4) + b".txt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(placeholder.decode(), SEED.read_bytes())
    # What Windows zip tools write: GBK bytes in the name, no UTF-8 flag.
    archive.write_bytes(buffer.getvalue().replace(placeholder, name))
    out = tmp_path / "out"
    assert run("batch", str(tmp_path / "*.zip"), "-o", str(out)).exit_code == EXIT_OK
    [notice] = lines(out / "notices.jsonl")
    assert notice["source"]["path"].endswith("gbk.zip!/通知.txt")


def test_ctrl_c_keeps_what_finished_and_says_how_to_go_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from noticeparse.cli import EXIT_INTERRUPTED

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(sys.modules["noticeparse.batch"], "run_batch", interrupted)
    result = run("batch", str(SEED), "-o", str(tmp_path / "out"))
    assert result.exit_code == EXIT_INTERRUPTED
    assert "run again with --resume" in result.stderr and "Traceback" not in result.stderr
