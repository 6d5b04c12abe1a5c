"""Batch throughput: files/s of `noticeparse batch` with 1 worker and with N, on a generated tree,
and, with the extra noticeparse[dask], the Dask executor: on a running cluster of N local workers
(a `dask scheduler` and N `dask worker` processes started here and warmed by a first small batch,
as a site runs them: the figure is the batch's, not the cluster's start-up) and on a LocalCluster
started by `--engine dask`.

The tree holds distinct variants of the bundled sample (2,000 files by default:
a different date and attachment line each, so none is a duplicate). Each run
writes a fresh output folder; the figure is files per second of the whole run,
the best of `--repeat` runs.

    python bench/batch.py                 # 2,000 files, 1 job against 2 jobs
    python bench/batch.py --files 500 --jobs 4
    python bench/batch.py --dask          # also the Dask executor (target: within 15% of the pool)
    python bench/batch.py --archive       # also 1 job against 2 on the school-site archive (target 1.8x)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "gongqingcheng-quality-month-plan-2024.txt"
# The speed-up two workers must reach over one (issue 7).
TARGET_SPEEDUP = 1.7
# Two workers against one on the school-site archive (issue 19).
TARGET_ARCHIVE_SPEEDUP = 1.8
ARCHIVE = ROOT.parent / "shared" / "corpus" / "archive" / "school-site-2500.zip"
ARCHIVE_FILES = 2500
# The Dask executor on N local workers against the local pool of N (issue 21).
TARGET_DASK_SHARE = 0.85


def make_tree(folder: Path, count: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    for k in range(count):
        sub = folder / f"d{k // 100:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        variant = text.replace("2024年9月13日", f"2024年{k % 12 + 1}月{k % 28 + 1}日")
        (sub / f"notice-{k:05d}.txt").write_text(f"{variant}\n附件：清单{k}\n", encoding="utf-8")


def files_per_second(tree: Path, out: Path, jobs: int, count: int, engine: str = "local",
                     scheduler: str | None = None) -> float:
    import noticeparse

    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    result = noticeparse.batch([tree], out, jobs=jobs, progress=False, engine=engine,  # type: ignore[arg-type]
                               scheduler=scheduler)
    took = time.perf_counter() - start
    assert result.ok + result.failed + result.duplicates == count, result.summary()
    return count / took


@contextlib.contextmanager
def dask_cluster(workers: int, folder: Path) -> Iterator[str]:
    """A scheduler and `workers` single-threaded workers on localhost; their address."""
    import socket
    import subprocess

    from distributed import Client

    dask = str(Path(sys.executable).with_name("dask"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"], **quiet)]  # type: ignore[call-overload]
    try:
        procs += [subprocess.Popen([dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                                    "--local-directory", str(folder / f"w{k}")], **quiet)  # type: ignore[call-overload]
                  for k in range(workers)]
        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2, help="workers to compare with one")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--dask", action="store_true", help="also time the Dask executor (LocalCluster)")
    ap.add_argument("--archive", action="store_true",
                    help="also time 1 job against N on ../shared/corpus/archive/school-site-2500.zip")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        make_tree(tree, args.files)
        one = max(files_per_second(tree, Path(tmp) / "o1", 1, args.files) for _ in range(args.repeat))
        many = max(files_per_second(tree, Path(tmp) / "on", args.jobs, args.files) for _ in range(args.repeat))
        dask = local_cluster = None
        if args.dask:
            with dask_cluster(args.jobs, Path(tmp)) as address:
                # A running cluster has imported noticeparse in its workers at its first batch.
                files_per_second(tree / "d000", Path(tmp) / "warm", args.jobs, min(args.files, 100), scheduler=address)
                dask = max(files_per_second(tree, Path(tmp) / "od", args.jobs, args.files, scheduler=address)
                           for _ in range(args.repeat))
            local_cluster = max(files_per_second(tree, Path(tmp) / "ol", args.jobs, args.files, "dask")
                                for _ in range(args.repeat))
        archive = None
        if args.archive and ARCHIVE.exists():
            archive = [max(files_per_second(ARCHIVE, Path(tmp) / f"oa{j}", j, ARCHIVE_FILES)  # type: ignore[arg-type]
                           for _ in range(args.repeat)) for j in (1, args.jobs)]
    speedup = many / one
    print(f"{args.files} files, {os.cpu_count()} CPUs: 1 job {one:.0f} files/s, {args.jobs} jobs {many:.0f} files/s, "
          f"speed-up {speedup:.2f}x (target >= {TARGET_SPEEDUP}x for 2 jobs)")
    ok = args.jobs != 2 or speedup >= TARGET_SPEEDUP
    if archive is not None:
        print(f"{ARCHIVE.name}: 1 job {archive[0]:.0f} files/s, {args.jobs} jobs {archive[1]:.0f} files/s, "
              f"speed-up {archive[1] / archive[0]:.2f}x (target >= {TARGET_ARCHIVE_SPEEDUP}x for 2 jobs)")
        ok = ok and (args.jobs != 2 or archive[1] / archive[0] >= TARGET_ARCHIVE_SPEEDUP)
    if dask is not None and local_cluster is not None:
        share = dask / many
        print(f"dask cluster of {args.jobs} workers (running): {dask:.0f} files/s = {share:.2f} of the local pool "
              f"(target >= {TARGET_DASK_SHARE}); --engine dask (its LocalCluster started in the run): "
              f"{local_cluster:.0f} files/s = {local_cluster / many:.2f}")
        ok = ok and share >= TARGET_DASK_SHARE
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
