"""How often a causal claim listed on an op-ed is causal: the installed pipeline against our hand labels.

    python bench/causal_claims_oped.py --data ../shared/data [--format json]

The causal head is scored on the Causal News Corpus (protest news, half of it causal). Its users read
op-eds. ``bench/labels/causal-claims-oped.jsonl`` holds our labels for every causal claim the
pipeline of 2026-12-06 listed in 14 SemEval-2023 English *train* opinion articles (train data: no
held-out split is read; the claims first listed by the sixth session's refitted causal head were
labelled then, under ``bench/labels/causal-claims-oped.md``): is the sentence causal by the corpus's own broad definition (a cause, an
effect, a purpose, an enabling or preventing link, an explicit reason)? The labels name each
sentence by the SHA-1 of its whitespace-normalised text, never by its words. Two samples: "design"
(8 articles, read first, to study the errors) and "test" (6 other articles, labelled before any
change was measured on them). The articles are the first 14 English train opinion articles shuffled
with ``random.Random(20261206)``.

For each sample this prints how many sentences the articles have, how many the pipeline lists as
causal claims, and the precision over the listed ones the labels cover. A listed claim the labels do
not cover (after a model change) is counted as "unlabelled", not guessed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import defaultdict
from pathlib import Path

from spinscope.datasets.semeval2023 import opinion_train_articles

TRAIN = Path("semeval2023-task3") / "data" / "en" / "train-articles-subtask-3"
LABELS = Path(__file__).resolve().parent / "labels" / "causal-claims-oped.jsonl"
# Which of the shuffled opinion articles each sample holds.
SAMPLES = {"design": (0, 8), "test": (8, 14)}


def sentence_key(text: str) -> str:
    """The labels' name for a sentence: SHA-1 of its whitespace-normalised text, 16 hex digits."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args()

    import spinscope

    labels: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["sample"]][(row["article"], row["sentence_sha1"])] = int(row["causal"])
    opinion = opinion_train_articles(args.data)
    if len(opinion) < max(b for _, b in SAMPLES.values()):
        raise SystemExit(f"expected the SemEval-2023 English opinion train articles under {args.data / TRAIN}")
    nlp = spinscope.load()
    result = {}
    for sample, (a, b) in SAMPLES.items():
        files = opinion[a:b]
        ids = [f.stem[len("article") :] for f in files]
        sentences = listed = causal = unlabelled = 0
        for i, doc in zip(ids, nlp.pipe(f.read_text(encoding="utf-8") for f in files), strict=True):
            sentences += len(doc.sentences)
            for f in doc.findings:
                if f.task != "claim" or f.attrs.get("kind") != "causal":
                    continue
                listed += 1
                gold = labels[sample].get((i, sentence_key(doc.text[f.start : f.end])))
                if gold is None:
                    unlabelled += 1
                else:
                    causal += gold
        labelled = listed - unlabelled
        result[sample] = {
            "articles": len(ids),
            "sentences": sentences,
            "listed_causal": listed,
            "labelled": labelled,
            "causal": causal,
            "precision": round(causal / labelled, 3) if labelled else None,
            "unlabelled": unlabelled,
        }
    if args.format == "json":
        print(json.dumps(result))
        return
    for sample, r in result.items():
        print(
            f"{sample}: {r['articles']} op-eds, {r['sentences']} sentences, {r['listed_causal']} listed as causal claims; "
            f"causal by our labels: {r['causal']} of {r['labelled']} (precision {r['precision']}); unlabelled {r['unlabelled']}"
        )


if __name__ == "__main__":
    main()
