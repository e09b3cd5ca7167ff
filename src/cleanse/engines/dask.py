"""``--engine dask``: the same pipeline over a Dask cluster.

A partition is one input file: a text file, or a JSON Lines / Parquet shard of
a corpus. Each partition is one task; the worker builds the pipeline once from
its spec (stage names and options), cleans the partition exactly as a local run
would, writes its output under the output folder and its per-document records
to a part file, and returns its report entry. The client merges the entries
into ``report.json`` and concatenates the record parts, in input order, into
``report.jsonl``. The outputs are therefore byte for byte those of a local run.

Workers write to the output folder themselves, so on a real cluster it must be
a filesystem every worker sees (NFS, a cluster filesystem) at the same path.
"""

from __future__ import annotations

import pickle
import shutil
import time
from pathlib import Path
from typing import Any

from cleanse.core.pipeline import Pipeline
from cleanse.core.stage import StageStats
from cleanse.corpus import CorpusFileReport
from cleanse.io.html_report import HtmlReportWriter
from cleanse.io.inputs import InputFile, discover
from cleanse.io.outputs import atomic_write, check_output_dir
from cleanse.io.report import FileReport, build_report, dumps
from cleanse.parallel import (
    PipelinePayload,
    build_pipeline,
    default_jobs,
    merge_stats,
    pipeline_payload,
    take_stats,
)
from cleanse.runner import RunResult, rebuilt_document, review_decoder
from cleanse.scale import RECORDS_NAME, ScaleOptions, ScaleRun

PARTS_FOLDER = ".cleanse-parts"

_pipelines: dict[bytes, Pipeline] = {}


def _worker_pipeline(payload: PipelinePayload) -> Pipeline:
    key = pickle.dumps(payload)
    if key not in _pipelines:
        _pipelines[key] = build_pipeline(payload)
    return _pipelines[key]


def clean_partition(
    payload: PipelinePayload,
    item: InputFile,
    index: int,
    output_dir: Path,
    options: ScaleOptions,
    max_bytes: int,
) -> tuple[FileReport, str | None, dict[str, StageStats]]:
    """Clean one partition on a worker; returns its report, its records part and stage stats."""
    pipeline = _worker_pipeline(payload)
    local = ScaleOptions(
        jobs=1,
        stream_above=options.stream_above,
        block_bytes=options.block_bytes,
        chunk_bytes=options.chunk_bytes,
        corpus=options.corpus,
    )
    part = output_dir / PARTS_FOLDER / f"{index:08d}.jsonl"
    run = ScaleRun(pipeline, output_dir, local, records_path=part)
    ((report, text),) = list(run.clean([item], max_bytes))
    if text is not None and report.output is not None:
        target = output_dir / report.output
        if target.resolve() == item.path.resolve():
            report = FileReport(
                path=report.path, status="failed", message=f"refusing to overwrite input {target}"
            )
        else:
            atomic_write(target, text.encode("utf-8"))
    return report, (str(part) if part.exists() else None), take_stats(pipeline)


def _client(scheduler: str | None, jobs: int | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("--engine dask needs dask: pip install 'cleanse[dask]'") from exc
    if scheduler:
        return Client(scheduler), None  # type: ignore[no-untyped-call]
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=jobs or default_jobs(),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def run_dask(
    inputs: list[Path],
    output_dir: Path,
    pipeline: Pipeline,
    options: ScaleOptions | None = None,
    run_options: dict[str, Any] | None = None,
    max_bytes: int = 256 * 1024 * 1024,
    scheduler: str | None = None,
    client: Any = None,
    html: bool = False,
) -> RunResult:
    """Clean ``inputs`` into ``output_dir`` on a Dask cluster (``client``, or one made here).

    ``html`` also writes ``report.html`` and its pages, here on the client, from
    the outputs the workers wrote (the folder must be shared with the client, as
    it is for ``report.json``)."""
    check_output_dir(output_dir, inputs)
    options = options or ScaleOptions()
    started = time.perf_counter()
    # Workers run elsewhere, in other folders: give them absolute paths.
    inputs = [p.absolute() for p in inputs]
    output_dir = output_dir.absolute()
    items = list(discover(inputs))
    own_client, cluster = (client, None) if client is not None else _client(scheduler, options.jobs)
    payload = pipeline_payload(pipeline)
    try:
        futures = [
            own_client.submit(
                clean_partition,
                payload,
                item,
                index,
                output_dir,
                options,
                max_bytes,
                pure=False,
                key=f"cleanse-partition-{index}-{time.time_ns()}",
            )
            for index, item in enumerate(items)
        ]
        results = []
        for item, future in zip(items, futures, strict=True):
            try:
                results.append(future.result())
            except Exception as exc:  # a worker lost or a bug: this partition failed
                message = f"on the cluster: {type(exc).__name__}: {exc}"
                failed = FileReport(path=str(item.relative), status="failed", message=message)
                results.append((failed, None, {}))
    finally:
        if client is None:
            own_client.close()
            if cluster is not None:
                cluster.close()
    reports: list[FileReport] = []
    parts: list[Path] = []
    for report, part, stats in results:
        if isinstance(report, CorpusFileReport):
            report.records = RECORDS_NAME  # the parts are merged into it below
        reports.append(report)
        merge_stats(pipeline, stats)
        if part:
            parts.append(Path(part))
    if parts:
        records = output_dir / RECORDS_NAME
        tmp = records.with_name(f".{records.name}.tmp")
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    shutil.copyfileobj(fh, out)
        tmp.replace(records)
    shutil.rmtree(output_dir / PARTS_FOLDER, ignore_errors=True)
    seconds = time.perf_counter() - started
    report_dict = build_report(reports, pipeline, run_options or {}, seconds)
    atomic_write(output_dir / "report.json", dumps(report_dict).encode("utf-8"))
    page_index = None
    if html:
        writer = HtmlReportWriter(output_dir, pipeline.names)
        decoder = review_decoder(pipeline)
        for item, report in zip(items, reports, strict=True):
            writer.add(report, rebuilt_document(item, report, output_dir, decoder))
        page_index = writer.finish(report_dict)
    return RunResult(
        files=reports,
        report=report_dict,
        output_dir=output_dir,
        seconds=seconds,
        stage_seconds={s.name: s.stats.seconds for s in pipeline.stages},
        html=page_index,
    )
