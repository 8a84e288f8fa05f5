"""Time and peak memory of ``spinscope analyze`` on the longest inputs it accepts, and one it refuses.

    python bench/long_input.py --data ../shared/data [--format json]

The texts are built from the SemEval-2023 English subtask-3 *train* articles, run together in file
name order (as ``cat article*.txt`` gives them), and written to a temporary folder, never kept:

* **prose at the limit**: cut to ``ingest.text.MAX_WORD_PIECES`` word pieces;
* **figures at the limit**: every other word replaced by a seeded 6-digit number (a number is
  several word pieces, so this text reaches the limit at about 60 % of the characters), cut the same way;
* **one piece over**: the prose cut one word piece past the limit, which must be refused (exit 2);
* **a folder of long texts**: ten 200,000-character pieces of the same run, as ten files, analysed
  in one call (the worker processes batch them by characters, see ``pipeline.BATCH_CHARS``).

Each case runs ``spinscope analyze`` in a fresh process; the peak is the largest resident set of
that process or any worker it started (``getrusage(RUSAGE_CHILDREN)`` of a wrapper process, which
is what ``/usr/bin/time -f %M`` reports).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from spinscope.encoder import count_word_pieces
from spinscope.ingest.text import MAX_WORD_PIECES

# Runs the command given as its arguments and prints its exit status and the largest RSS (KB) of it
# and its descendants: a fresh wrapper per case, since RUSAGE_CHILDREN only ever grows.
_WRAPPER = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _cut(text: str, pieces: int) -> str:
    """The longest prefix of ``text`` (at a word boundary) with at most ``pieces`` word pieces."""
    words = text.split(" ")
    lo, hi = 0, len(words)
    while lo < hi:  # binary search over the number of words
        mid = (lo + hi + 1) // 2
        if count_word_pieces(" ".join(words[:mid])) <= pieces:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(words[:lo])


def _with_figures(text: str, seed: int = 0) -> str:
    rng = random.Random(seed)
    return " ".join(w if i % 2 else str(rng.randint(100_000, 999_999)) for i, w in enumerate(text.split(" ")))


def _run(args: list[str]) -> dict[str, float]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True, check=True)
    status, kb = out.stdout.split()
    return {"exit": int(status), "seconds": round(time.perf_counter() - t, 1), "peak_mb": round(int(kb) / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    folder = args.data / "semeval2023-task3" / "data" / "en" / "train-articles-subtask-3"
    files = sorted(folder.glob("article*.txt"))
    if not files:
        parser.exit(2, f"no SemEval-2023 en train articles in {folder}\n")
    everything = "".join(p.read_text(encoding="utf-8") for p in files)
    run = everything[:1_000_000]
    prose = _cut(run, MAX_WORD_PIECES)
    over = _cut(run, MAX_WORD_PIECES + 1)
    if count_word_pieces(over) <= MAX_WORD_PIECES:  # the next word may be several pieces
        over = " ".join(run.split(" ")[: len(prose.split(" ")) + 1])
    figures = _cut(_with_figures(run), MAX_WORD_PIECES)
    spinscope = [sys.executable, "-m", "spinscope", "analyze"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        for name, text in (("prose at the limit", prose), ("figures at the limit", figures), ("one piece over", over)):
            path = Path(tmp) / "text.txt"
            path.write_text(text, encoding="utf-8")
            rows.append({"case": name, "characters": len(text), "words": len(text.split()),
                         "word_pieces": count_word_pieces(text),
                         **_run([*spinscope, str(path), "-f", "json", "-o", str(out)])})
        pieces = Path(tmp) / "folder"
        pieces.mkdir()
        for i in range(10):
            (pieces / f"piece{i}.txt").write_text(everything[i * 200_000 : (i + 1) * 200_000], encoding="utf-8")
        rows.append({"case": "folder of ten 200,000-character texts", "characters": 2_000_000,
                     "words": len(everything[:2_000_000].split()), "word_pieces": None,
                     **_run([*spinscope, str(pieces), "-o", str(Path(tmp) / "reports.jsonl"), "--no-progress"])})
    if args.format == "json":
        print(json.dumps({"max_word_pieces": MAX_WORD_PIECES, "cases": rows}))
        return
    table = Table(title=f"spinscope analyze on long inputs (limit {MAX_WORD_PIECES:,} word pieces)")
    for column in ("case", "characters", "words", "word pieces", "exit", "seconds", "peak MB"):
        table.add_column(column, justify="left" if column == "case" else "right")
    for r in rows:
        pieces_text = f"{r['word_pieces']:,}" if r["word_pieces"] is not None else "-"
        table.add_row(r["case"], f"{r['characters']:,}", f"{r['words']:,}", pieces_text, str(r["exit"]),
                      f"{r['seconds']}", f"{r['peak_mb']}")
    Console().print(table)


if __name__ == "__main__":
    main()
