"""What the page-chrome filter drops from real articles saved as text, for reading by hand.

    python bench/page_chrome.py --data ../shared/data [--format json]

Runs ``spinscope.ingest.chrome.strip_chrome`` over the SemEval-2023 and SemEval-2025 English train
articles (web pages the organisers saved as text: title, blank line, body; the 2025 ones about the war
in Ukraine and climate change) and the Webis-Editorials-16 editorials, and
prints how many articles lost lines, how many lines, and every dropped line with its count. These
texts were cleaned by their publishers' datasets, so every dropped line is either chrome the cleaning
missed or a false alarm: the list is what to read to judge precision.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from spinscope.datasets import semeval2025, webis
from spinscope.ingest.chrome import strip_chrome

SEMEVAL_TRAIN = Path("semeval2023-task3") / "data" / "en" / "train-articles-subtask-3"


def survey(texts: list[str]) -> dict:
    """Counts of articles touched and lines dropped, the dropped lines by frequency, titles found."""
    dropped: Counter[str] = Counter()
    touched = titles = authors = dates = 0
    for text in texts:
        chrome = strip_chrome(text)
        touched += bool(chrome.dropped)
        titles += chrome.title is not None
        authors += chrome.author is not None
        dates += chrome.published is not None
        dropped.update(chrome.dropped)
    return {
        "articles": len(texts),
        "articles_with_drops": touched,
        "lines_dropped": sum(dropped.values()),
        "titles": titles,
        "authors": authors,
        "dates": dates,
        "dropped": dropped.most_common(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args()
    semeval = sorted((args.data / SEMEVAL_TRAIN).glob("article*.txt"))
    if not semeval:
        raise SystemExit(f"no SemEval-2023 en train articles under {args.data / SEMEVAL_TRAIN}")
    result = {
        "semeval2023_en_train": survey([f.read_text(encoding="utf-8") for f in semeval]),
        "semeval2025_en_train": survey([a.text for a in semeval2025.articles(args.data, "EN", "train", for_training=True)]),
        "webis_editorials": survey(
            ["\n\n".join("".join(s.text for s in p) for p in e.paragraphs) for e in webis.editorials(args.data)]
        ),
    }
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False))
        return
    for name, r in result.items():
        print(f"{name}: {r['articles']} articles, {r['lines_dropped']} lines dropped from {r['articles_with_drops']}; "
              f"titles {r['titles']}, authors {r['authors']}, dates {r['dates']}")
        for line, n in r["dropped"]:
            print(f"  {n:4d}  {line[:100]}")


if __name__ == "__main__":
    main()
