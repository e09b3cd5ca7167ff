"""Running a pipeline over many documents on every core, in input order.

Work goes to a pool of processes in *chunks*: a chunk holds documents until
their size reaches ``chunk_bytes`` (or ``chunk_items`` of them), so that a
corpus of small documents does not spend its time in inter-process traffic,
and a large document travels alone. At most ``window`` chunks are in flight,
so memory stays bounded however long the input is, and results come back in
the order the inputs were given.

Where processes start by forking (Linux), the caller cleans the first few
documents itself, so that its stages load the tables this input needs, and then
forks the workers, which inherit that pipeline: the tables' memory pages are shared
by all of them instead of loaded into each. Elsewhere each worker builds its own
pipeline once, from the pipeline's spec (stage names and options) when it has
one, else from a pickled copy. Stage timings and counts made in the workers
are merged back into the caller's pipeline.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from cleanse.core.pipeline import Pipeline
from cleanse.core.stage import StageStats

T = TypeVar("T")
R = TypeVar("R")

Task = Callable[[Pipeline, T], R]
"""A unit of work: a module-level function of the worker's pipeline and one item."""

# A quarter megabyte: at ten megabytes a second, a few dozen milliseconds of work per
# chunk, so that the last chunks do not leave workers idle.
DEFAULT_CHUNK_BYTES = 1 << 18
DEFAULT_CHUNK_ITEMS = 512


def default_jobs() -> int:
    """Cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


PipelinePayload = tuple[str, Any]


def pipeline_payload(pipeline: Pipeline, inherit: bool = False) -> PipelinePayload:
    """What a worker needs to build the same pipeline: nothing when it inherits the
    caller's by forking, else its spec, or a pickled copy."""
    if inherit:
        global _inherited_pipeline
        _inherited_pipeline = pipeline
        return ("inherit", None)
    if pipeline.spec is not None:
        return ("spec", pipeline.spec)
    return ("pickle", pickle.dumps(pipeline))


def build_pipeline(payload: PipelinePayload) -> Pipeline:
    kind, value = payload
    if kind == "inherit":
        assert _inherited_pipeline is not None, "no pipeline to inherit"
        take_stats(_inherited_pipeline)  # the caller's totals stay the caller's
        return _inherited_pipeline
    if kind == "spec":
        names, options = value
        return Pipeline.from_names(list(names), options=options)
    pipeline = pickle.loads(value)
    assert isinstance(pipeline, Pipeline)
    return pipeline


_worker_pipeline: Pipeline | None = None
_inherited_pipeline: Pipeline | None = None  # set in the caller just before forking


def forks() -> bool:
    """Whether worker processes start by forking this one."""
    return multiprocessing.get_start_method() == "fork"


def _init_worker(payload: PipelinePayload) -> None:
    global _worker_pipeline
    # A forked worker inherits the caller's signal handlers, which turn Ctrl-C and
    # SIGTERM into a clean stop of the run: that is the caller's job. The worker
    # ignores Ctrl-C (sent to the whole process group; the caller stops the pool)
    # and dies quietly when the caller terminates it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_pipeline = build_pipeline(payload)


def take_stats(pipeline: Pipeline) -> dict[str, StageStats]:
    """The stages' totals since the last call, and reset them."""
    taken = {}
    for stage in pipeline.stages:
        taken[stage.name] = stage.stats
        stage.stats = StageStats()
    return taken


def merge_stats(pipeline: Pipeline, stats: dict[str, StageStats]) -> None:
    for stage in pipeline.stages:
        if stage.name in stats:
            stage.stats.merge(stats[stage.name])


def _run_chunk(task: Task[T, R], items: list[T]) -> tuple[list[R], dict[str, StageStats]]:
    assert _worker_pipeline is not None, "worker started without a pipeline"
    results = [task(_worker_pipeline, item) for item in items]
    return results, take_stats(_worker_pipeline)


def chunked(
    items: Iterable[T], weigh: Callable[[T], int], chunk_bytes: int, chunk_items: int
) -> Iterator[list[T]]:
    """Group ``items`` into lists of about ``chunk_bytes`` (by ``weigh``) or ``chunk_items``."""
    chunk: list[T] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += weigh(item)
        if size >= chunk_bytes or len(chunk) >= chunk_items:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


# The caller cleans this share of the first chunk before forking (see Executor.map):
# enough documents to load the tables, little enough to keep the start short.
LEAD_SHARE = 16


def _lead(chunk: list[T], weigh: Callable[[T], int], max_bytes: int, max_items: int) -> int:
    """How many items at the head of ``chunk`` make up ``max_bytes`` or ``max_items``."""
    size = 0
    for count, item in enumerate(chunk, start=1):
        size += weigh(item)
        if size >= max_bytes or count >= max(1, max_items):
            return count
    return len(chunk)


class Executor(Generic[T, R]):
    """Maps tasks over items with a pipeline, in-process (``jobs=1``) or on a process pool.

    Use as a context manager; the pool starts on first use and is reused.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        jobs: int | None = None,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
        chunk_items: int = DEFAULT_CHUNK_ITEMS,
        window: int | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.jobs = default_jobs() if not jobs or jobs < 1 else jobs
        self.chunk_bytes = chunk_bytes
        self.chunk_items = chunk_items
        self.window = window or 2 * self.jobs + 1
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Executor[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            if _dead_workers(self._pool):
                # A pool whose worker was killed may never finish shutting down.
                _terminate(self._pool)
            else:
                self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            inherit = forks()
            if inherit:
                # Objects that exist now are never collected: the collector would
                # otherwise write to their pages and unshare them in every worker.
                gc.freeze()
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                initializer=_init_worker,
                initargs=(pipeline_payload(self.pipeline, inherit),),
            )
        return self._pool

    def map(
        self, task: Task[T, R], items: Iterable[T], weigh: Callable[[T], int] = lambda _: 1
    ) -> Iterator[R]:
        """``task(pipeline, item)`` for every item, results in input order."""
        if self.jobs == 1:
            for item in items:
                yield task(self.pipeline, item)
            return
        chunks = chunked(items, weigh, self.chunk_bytes, self.chunk_items)
        first = next(chunks, None)
        second = next(chunks, None)
        if first is None:
            return
        if self._pool is None and second is None:
            # One chunk: starting workers would cost more than it saves.
            for item in first:
                yield task(self.pipeline, item)
            return
        if self._pool is None and forks():
            # Before forking, the first few documents are cleaned here, so that the
            # stages load the tables this input needs once, for the workers to share.
            lead = _lead(
                first, weigh, self.chunk_bytes // LEAD_SHARE, self.chunk_items // LEAD_SHARE
            )
            for item in first[:lead]:
                yield task(self.pipeline, item)
            rest = first[lead:]
            if rest:
                first = rest
            else:
                assert second is not None
                first, second = second, None
        pool = self._get_pool()
        pending: deque[Future[tuple[list[R], dict[str, StageStats]]]] = deque()
        try:
            for chunk in itertools.chain([first], [second] if second else [], chunks):
                pending.append(pool.submit(_run_chunk, task, chunk))
                while len(pending) >= self.window:
                    yield from self._collect(pending.popleft())
            while pending:
                yield from self._collect(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def _collect(self, future: Future[tuple[list[R], dict[str, StageStats]]]) -> list[R]:
        # A worker killed while it sends a result leaves the pool waiting for the
        # rest of the message for ever: look at the workers while waiting.
        while True:
            try:
                results, stats = future.result(timeout=WORKER_CHECK_SECONDS)
                break
            except FuturesTimeout:
                if self._pool is not None and _dead_workers(self._pool):
                    raise BrokenProcessPool(
                        "a worker process died while the run was waiting for it"
                    ) from None
        merge_stats(self.pipeline, stats)
        return results


WORKER_CHECK_SECONDS = 1.0


def _dead_workers(pool: ProcessPoolExecutor) -> bool:
    """Whether a worker of ``pool`` ended (workers end only when the pool shuts down)."""
    processes = getattr(pool, "_processes", None) or {}
    return any(p.exitcode is not None for p in list(processes.values()))


def _terminate(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.exitcode is None:
            process.terminate()
    for process in processes:
        process.join(timeout=5)
