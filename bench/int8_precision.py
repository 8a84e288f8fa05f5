"""The bundled encoder with ONNX Runtime's exact int8 kernels and with its fast ones, on this machine.

    python bench/int8_precision.py --data ../shared/data [--n 30] [--repeats 3] [--threads 1]

On x86 CPUs without VNNI, ONNX Runtime's fast uint8 x int8 kernels add pairs of products in 16 bits
and can saturate; ``session.x64quantprecision`` makes them exact at some cost in speed. spinscope asks
for it only on such CPUs (``SPINSCOPE_EXACT_INT8=1`` or ``=0`` forces either); on a VNNI CPU this shows
what the option would cost for nothing. This encodes the paragraphs of the first N SemEval-2023 en
dev articles (timing only) both ways, alternating, and prints the median milliseconds per article of
each and how far apart the two modes' pooled vectors are: cosine 1.0 means the CPU has no saturation
to avoid (VNNI), anything lower is what the default protects.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

from spinscope import runtime
from spinscope.encoder import Encoder

DEV = Path("semeval2023-task3") / "data" / "en" / "dev-articles-subtask-3"


def encode(texts: list[str], exact: bool) -> tuple[float, np.ndarray]:
    """Seconds to encode ``texts`` in one mode (a fresh session) and their pooled vectors."""
    os.environ["SPINSCOPE_EXACT_INT8"] = "1" if exact else "0"
    runtime._session.cache_clear()  # the option is read when a session is built
    encoder = Encoder()
    encoder.encode(texts[:8])  # warm-up: first allocations
    start = time.perf_counter()
    vectors = np.stack([e.vector for e in encoder.encode(texts)])
    return time.perf_counter() - start, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=30, help="articles (default 30)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    os.environ["SPINSCOPE_THREADS"] = str(args.threads)
    files = sorted((args.data / DEV).glob("article*.txt"))[: args.n]
    if not files:
        raise SystemExit(f"no SemEval-2023 en dev articles under {args.data / DEV}")
    texts = [line.strip() for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    seconds: dict[str, list[float]] = {"exact": [], "fast": []}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.repeats):
        for mode in ("exact", "fast"):
            elapsed, vectors[mode] = encode(texts, mode == "exact")
            seconds[mode].append(elapsed)
    a, b = vectors["exact"], vectors["fast"]
    cosine = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    flags = set(Path("/proc/cpuinfo").read_text().split()) if Path("/proc/cpuinfo").exists() else set()
    ms = {mode: 1000 * statistics.median(v) / len(files) for mode, v in seconds.items()}
    result = {
        "vnni": sorted(flags & {"avx512_vnni", "avx_vnni", "amx_int8"}),
        **{f"{mode}_ms_per_article": round(v, 1) for mode, v in ms.items()},
        "exact_over_fast": round(ms["exact"] / ms["fast"], 3),
        "cosine_exact_fast_mean": round(float(cosine.mean()), 5),
        "cosine_exact_fast_min": round(float(cosine.min()), 5),
        "articles": len(files), "paragraphs": len(texts), "threads": args.threads, "repeats": args.repeats,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
