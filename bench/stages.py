"""Where an article's time goes, stage by stage, and how the sentence splitters compare.

    python bench/stages.py --data ../shared/data [--n 50] [--format json]

* ``ms_per_article``: median over 3 passes of ingest (``from_text``, repair included) and of each
  pipeline component, on the first N SemEval-2023 en dev articles (timing only), with one thread
  as each worker of ``pipe(n_process=cores)`` has: ONNX Runtime (``SPINSCOPE_THREADS=1``) and
  numpy's BLAS (threadpoolctl) alike. Limiting ONNX Runtime alone left OpenBLAS a thread per core
  spinning beside it, which made the claims and actors stages half as slow again on 2026-12-06.
  An encoder that runs on another's bottom layers (``"trunk"`` in its config) is computed in that
  encoder's pass, so its time shows under the first encoder and its own stage reads about 0.
* ``sentence_boundaries``: boundary precision/recall/F1 and ms per 1,000 words of spaCy's
  statistical sentence recogniser (what spinscope uses) and its rule-based sentencizer, on PTC
  train articles, whose files hold one gold sentence per line; every 4 consecutive sentences are
  joined into one pseudo-paragraph (bare splitters: no quote merge, no one-sentence shortcut).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

DEV = Path("semeval2023-task3") / "data" / "en" / "dev-articles-subtask-3"
PTC_TRAIN = Path("ptc-semeval2020-task11") / "datasets" / "train-articles"


def stage_times(data: Path, n: int) -> dict[str, float]:
    """Median milliseconds per article for ingest and for each component, one thread each."""
    os.environ["SPINSCOPE_THREADS"] = "1"  # before any ONNX Runtime session is made
    from threadpoolctl import threadpool_limits

    import spinscope
    from spinscope.ingest import from_text

    texts = [f.read_text(encoding="utf-8") for f in sorted((data / DEV).glob("article*.txt"))[:n]]
    nlp = spinscope.load()
    threadpool_limits(limits=1)  # after loading, as a worker does: it limits the pools it finds
    list(nlp.pipe([from_text(t) for t in texts[:2]]))  # warm-up: sessions, first allocations
    runs: dict[str, list[float]] = {"ingest": [], **{c.name: [] for c in nlp.components}}
    for _ in range(3):
        t = time.perf_counter()
        docs = [from_text(text) for text in texts]
        runs["ingest"].append(time.perf_counter() - t)
        for component in nlp.components:
            t = time.perf_counter()
            for s in range(0, len(docs), 8):
                batch = docs[s : s + 8]
                component.set_annotations(batch, component.predict(batch))
            runs[component.name].append(time.perf_counter() - t)
    return {name: round(1000 * statistics.median(v) / len(texts), 1) for name, v in runs.items()}


def sentence_boundaries(data: Path, n_articles: int = 60) -> dict[str, dict[str, float]]:
    """Boundary P/R/F1 and speed of the recogniser and the sentencizer on PTC train sentences."""
    import spacy

    from spinscope.nlp import load_senter

    paragraphs: list[tuple[str, set[int]]] = []
    for f in sorted((data / PTC_TRAIN).glob("article*.txt"))[:n_articles]:
        lines = [line.strip() for line in f.read_text(encoding="utf-8").split("\n")[2:] if line.strip()]
        for i in range(0, len(lines), 4):
            group = lines[i : i + 4]
            gold, pos = set(), 0
            for sentence in group[:-1]:
                pos += len(sentence) + 1
                gold.add(pos)
            paragraphs.append((" ".join(group), gold))
    words = sum(len(text.split()) for text, _ in paragraphs)
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    out = {}
    for name, nlp in (("recogniser", load_senter()), ("sentencizer", sentencizer)):
        tp = fp = fn = 0
        t = time.perf_counter()
        parsed = list(nlp.pipe(text for text, _ in paragraphs))
        seconds = time.perf_counter() - t
        for (_, gold), doc in zip(paragraphs, parsed, strict=True):
            pred = {s.start_char for s in list(doc.sents)[1:]}
            tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
        p, r = tp / (tp + fp), tp / (tp + fn)
        out[name] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3),
            "ms_per_1000_words": round(1000 * seconds / words * 1000, 1),
        }
    return out


def main() -> None:
    """Print the stage times and the sentence-splitter comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "ms_per_article": stage_times(args.data, args.n),
        "sentence_boundaries": sentence_boundaries(args.data),
    }
    if args.format == "json":
        print(json.dumps(result, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    stages = Table("stage", "ms / article", title=f"time per SemEval-2023 en dev article (n={args.n})")
    for name, ms in result["ms_per_article"].items():
        stages.add_row(name, f"{ms:.1f}")
    console.print(stages)
    splitters = Table("splitter", "precision", "recall", "F1", "ms / 1,000 words", title="sentence boundaries, PTC train")
    for name, row in result["sentence_boundaries"].items():
        splitters.add_row(name, *(str(v) for v in row.values()))
    console.print(splitters)


if __name__ == "__main__":
    main()
