"""Where a batch's jobs run: in this process, or in a pool of worker processes that this module
watches — a worker that dies (the OOM killer's SIGKILL) or overruns the per-file time limit is
killed and replaced, and its file is recorded as failed; the batch goes on.

An executor yields (position, Outcome) as jobs finish, in any order; the caller writes them in
input order. It starts a job only while it is fewer than `window` places ahead of the oldest
unfinished one, so results waiting to be written stay bounded.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from ..errors import OutputError
from .inputs import stat_key
from .parts import part_path, read_part, write_part
from .work import Job, Outcome, WorkState, parse_job

__all__ = ["DaskExecutor", "DaskMissing", "Executor", "InlineExecutor", "LocalPool", "SchedulerUnreachable"]

# How far ahead of the oldest unfinished job new jobs may start, per worker.
WINDOW_PER_WORKER = 64


class Executor(Protocol):
    """Runs jobs and yields (position, outcome) as each finishes."""

    def run(self, jobs: Sequence[Job]) -> Iterator[tuple[int, Outcome]]: ...


class InlineExecutor:
    """Jobs parsed in this process, one after the other (one file without a time limit)."""

    def __init__(self, state: WorkState) -> None:
        self.state = state

    def run(self, jobs: Sequence[Job]) -> Iterator[tuple[int, Outcome]]:
        for k, job in enumerate(jobs):
            yield k, parse_job(job, self.state)


# Signals held back while a worker is forked: one that lands in the fork's first instants
# would otherwise interrupt the child's start-up with a traceback.
_HELD = {signal.SIGINT, signal.SIGTERM}


def _serve(conn: Any, state: WorkState) -> None:
    """A worker's loop: receive (position, job), send back (position, outcome)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # a Ctrl-C held during the fork is dropped here
    # What the worker inherited (the imported pipeline, the rules) lives as long as it does: kept
    # out of the cyclic collector, a full collection walks only the worker's own objects, and the
    # parent's memory pages stay shared instead of copied when the collector would touch them.
    gc.freeze()
    try:
        while True:
            message = conn.recv()
            if message is None:
                return
            k, job = message
            conn.send((k, parse_job(job, state)))
    except (EOFError, OSError):
        pass  # the parent is gone: leave quietly, without a traceback
    finally:
        os._exit(0)


def _died(name: str, key: str, exitcode: int | None) -> Outcome:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"killed by signal {-exitcode} ({signal.Signals(-exitcode).name})"
        except ValueError:
            how = f"killed by signal {-exitcode}"
    else:
        how = f"exited with status {exitcode}"
    return Outcome(name, key, None, "failed", error_class="WorkerDied", message=f"{name}: worker died ({how})")


class _Worker:
    def __init__(self, context: Any, state: WorkState) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, state), daemon=True)
        held = hasattr(signal, "pthread_sigmask")
        if held:
            signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)  # delivered to this process right after
        try:
            self.process.start()
        finally:
            if held:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
        child.close()
        # Jobs sent and not answered, oldest first: the head is in work, the next waits in the pipe
        # (so the worker never idles while this process writes a result).
        self.jobs: list[tuple[int, Job]] = []
        self.started = 0.0

    def give(self, k: int, job: Job) -> None:
        if not self.jobs:
            self.started = time.monotonic()
        self.jobs.append((k, job))
        self.conn.send((k, job))

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(1)
        self.kill()


class LocalPool:
    """Worker processes on this machine (fork on Linux, so the pipeline is imported once)."""

    # Jobs a worker holds at once: the one in work and the next.
    DEPTH = 2

    def __init__(self, workers: int, state: WorkState, timeout: float = 0) -> None:
        self.workers = max(1, workers)
        self.state = state
        self.timeout = timeout

    def _context(self) -> Any:
        import multiprocessing

        fork = sys.platform.startswith("linux")
        if fork:
            # Import the pipeline once here; forked workers then share it instead of importing it each.
            from .. import pipeline  # noqa: F401
            from ..export import csv_format  # noqa: F401
            from ..extract import html, txt  # noqa: F401

            self.state.rules()
        return multiprocessing.get_context("fork" if fork else "spawn")

    def run(self, jobs: Sequence[Job]) -> Iterator[tuple[int, Outcome]]:
        from multiprocessing.connection import wait

        context = self._context()
        pool = [_Worker(context, self.state) for _ in range(min(self.workers, len(jobs)) or 1)]
        window = WINDOW_PER_WORKER * self.workers
        unfinished: set[int] = set()
        again: list[int] = []  # jobs queued behind a worker that died: sent anew
        following = 0
        try:
            while following < len(jobs) or unfinished:
                for worker in pool:
                    while len(worker.jobs) < self.DEPTH:
                        if again:
                            k = again.pop(0)
                        elif following < len(jobs) and following < min(unfinished, default=following) + window:
                            k, following = following, following + 1
                            unfinished.add(k)
                        else:
                            break
                        worker.give(k, jobs[k])
                busy = [w for w in pool if w.jobs]
                waits = [w.conn for w in busy] + [w.process.sentinel for w in busy]
                wait(waits, timeout=self._next_deadline(busy))
                for index, worker in enumerate(pool):
                    while worker.jobs:
                        done = self._collect(worker)
                        if done is None:
                            break
                        outcome, replace = done
                        k, _ = worker.jobs.pop(0)
                        worker.started = time.monotonic()
                        unfinished.discard(k)
                        yield k, outcome
                        if replace:
                            again.extend(j for j, _ in worker.jobs)
                            worker.kill()
                            pool[index] = worker = _Worker(context, self.state)
        finally:
            for worker in pool:
                worker.stop()

    def _next_deadline(self, busy: list[_Worker]) -> float | None:
        if not self.timeout or not busy:
            return None
        now = time.monotonic()
        return max(0.0, min(w.started + self.timeout - now for w in busy))

    def _collect(self, worker: _Worker) -> tuple[Outcome, bool] | None:
        """(outcome, whether the worker must be replaced) when its head job is over, else None."""
        _, job = worker.jobs[0]
        try:
            if worker.conn.poll():
                _, outcome = worker.conn.recv()
                return outcome, False
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            worker.process.join()
            return _died(job.name, job.key, worker.process.exitcode), True
        if self.timeout and time.monotonic() - worker.started > self.timeout:
            message = f"{job.name}: took over {self.timeout:g} s (the per-file time limit)"
            return Outcome(job.name, job.key, None, "failed", error_class="LimitExceeded", message=message), True
        return None


# Files per Dask task: a task costs the scheduler a few milliseconds, so one per file would
# dominate; a partition of many files amortises it and still spreads the work.
DEFAULT_PARTITION = 50
# Seconds to wait for a Dask scheduler to answer.
DEFAULT_CONNECT_SECONDS = 10


def _parse_partition(number: int, jobs: list[tuple[int, Job]], state: WorkState, folder: str) -> str:
    """A Dask task: parse a partition of jobs in a worker (the paths are read there) and write its
    part file into the output folder; the path of the part is the result."""
    entries = []
    for _, job in jobs:
        seen = stat_key(job)  # before reading: a file changed meanwhile is parsed again on resume
        entries.append((parse_job(job, state), seen))
    path = part_path(folder, number)
    write_part(path, entries)
    return str(path)


class DaskExecutor:
    """Partitions of jobs as tasks on a Dask cluster (`scheduler` an address, or None for a
    LocalCluster of `workers` processes). Each task writes its part file into `folder` (storage
    every worker sees); this process reads the parts as they finish. A worker that dies loses its
    task to the scheduler, which runs it again elsewhere. Partitions are numbered by position in
    the whole listing (`positions`: input key -> index), so a run resumed after this process was
    killed reads the parts already written instead of parsing their inputs again."""

    def __init__(self, state: WorkState, scheduler: str | None = None, workers: int = 2,
                 partition: int = DEFAULT_PARTITION, folder: str | Path = ".",
                 positions: dict[str, int] | None = None) -> None:
        self.state = state
        self.scheduler = scheduler
        self.workers = workers
        self.partition = max(1, partition)
        self.folder = str(Path(folder).resolve())
        self.positions = positions

    def _client(self) -> Any:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise DaskMissing('the Dask executor needs the extra: pip install "noticeparse[dask]"') from None
        if self.scheduler is None:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            return Client(cluster)
        try:
            return Client(self.scheduler, timeout=DEFAULT_CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {self.scheduler} ({exc})") from exc

    def _partitions(self, jobs: Sequence[Job]) -> dict[int, list[tuple[int, Job]]]:
        positions = self.positions or {job.key: k for k, job in enumerate(jobs)}
        parts: dict[int, list[tuple[int, Job]]] = {}
        for k, job in enumerate(jobs):
            parts.setdefault(positions.get(job.key, k) // self.partition, []).append((k, job))
        return parts

    def _read(self, path: Path, jobs: list[tuple[int, Job]]) -> list[tuple[int, Outcome]]:
        found = read_part(path)
        if found is None or any(job.key not in found for _, job in jobs):
            raise OutputError(path, "a worker's part is missing or incomplete here: the output folder must be "
                                    "on storage that every worker and this machine see")
        return [(k, found[job.key][0]) for k, job in jobs]

    def run(self, jobs: Sequence[Job]) -> Iterator[tuple[int, Outcome]]:
        parts = self._partitions(jobs)
        todo = {}
        for number, members in parts.items():
            done = read_part(part_path(self.folder, number))
            if done is not None and all(job.key in done and done[job.key][1] == stat_key(job) for _, job in members):
                yield from ((k, done[job.key][0]) for k, job in members)  # written before this run died
            else:
                todo[number] = members
        if not todo:
            return
        from distributed import as_completed

        client = self._client()
        try:
            state = client.scatter(replace(self.state, cache={}), broadcast=True)
            futures = {client.submit(_parse_partition, number, members, state, self.folder, pure=False,
                                     retries=3): number for number, members in todo.items()}
            for future in as_completed(futures):
                number = futures[future]
                yield from self._read(Path(future.result()), todo[number])
        finally:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and self.scheduler is None:
                cluster.close()


class DaskMissing(ImportError):
    """Raised when the Dask executor is asked for without the extra installed."""


class SchedulerUnreachable(ConnectionError):
    """Raised when the Dask scheduler given cannot be reached."""
