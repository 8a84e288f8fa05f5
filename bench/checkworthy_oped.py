"""How the check-worthy claims an op-ed's report lists compare with a fact-checker's list: the installed
pipeline against our hand labels, and the threshold for articles chosen on them.

    python bench/checkworthy_oped.py --data ../shared/data [--format json] [--write-threshold]

The check-worthiness head is trained on CheckThat! 2024 (US debate sentences) and its threshold chosen
on CheckThat! dev. Its users read op-eds. ``bench/labels/checkworthy-oped.jsonl`` labels *every*
sentence (as spinscope splits them) of 12 SemEval-2023 English *train* opinion articles — the 15th
to 26th of ``bench/causal_claims_oped.py``'s shuffle — check-worthy or not, by two annotators working
alone under ``bench/labels/checkworthy-oped.md``, a third (shown neither's labels) settling where they
disagree. Train data only: no held-out split is read. Sentences are named by the SHA-1 of their
whitespace-normalised text, never by their words. Two samples: "design" (6 articles: the threshold
for articles is chosen here) and "test" (the other 6, not used to choose anything).

The pipeline runs once with the claims component's threshold at 0, so every eligible sentence (not a
headline, byline, list item, question or verbless line) comes back with its score; a sentence counts as
listed as check-worthy at threshold t when it comes back and its score is at least t, which is the
component's own test. For each sample and threshold this prints precision, recall and F1 of the
listed sentences against the labels, and the share of the sentences in the whole claims list (causal
claims included). Thresholds: the one the bundled claims component uses for articles, the head's
CheckThat! one, and the F1-best on the design sample (grid 0.20-0.90; ties: the higher); and per
article, the share of its sentences the labels call check-worthy against the share listed.
``--write-threshold`` records the F1-best one as ``article_threshold`` in the bundled check-worthiness
model's ``meta.json`` (after ``spinscope train checkworthy``, whose scores it was chosen for).
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from pathlib import Path

from actors_oped import kappa
from causal_claims_oped import TRAIN, sentence_key

from spinscope.datasets.semeval2023 import opinion_train_articles
from spinscope.metrics import per_label_scores

LABELS = Path(__file__).resolve().parent / "labels" / "checkworthy-oped.jsonl"
# Which of the shuffled opinion articles each sample holds (the causal bench uses the first 14).
SAMPLES = {"design": (14, 20), "test": (20, 26)}
GRID = [round(0.20 + 0.01 * k, 2) for k in range(71)]


def scores_at(rows: list[dict], t: float) -> dict[str, float | int]:
    """P/R/F1 of "listed as check-worthy at t" against the labels, and the claims list's share of sentences."""
    listed = [r["score"] is not None and r["score"] >= t for r in rows]
    (score,) = per_label_scores([bool(r["gold"]) for r in rows], listed, labels=[True])
    claims = sum(x or r["causal"] for x, r in zip(listed, rows, strict=True))
    return {
        "threshold": t,
        "listed": sum(listed),
        "precision": round(score.precision, 3),
        "recall": round(score.recall, 3),
        "f1": round(score.f1, 3),
        "claims_share": round(claims / len(rows), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--write-threshold", action="store_true", help="record the design sample's F1-best threshold as the model's article_threshold")
    args = parser.parse_args()

    from spinscope.pipeline import build

    labels: dict[tuple[str, str], dict] = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[(row["article"], row["sentence_sha1"])] = row
    opinion = opinion_train_articles(args.data)
    if len(opinion) < max(b for _, b in SAMPLES.values()):
        raise SystemExit(f"expected the SemEval-2023 English opinion train articles under {args.data / TRAIN}")

    bundled = build()
    claims = next(c for c in bundled.components if c.name == "claims")
    in_use, checkthat = claims.threshold_, float(claims.head_.thresholds[0])
    del bundled, claims
    nlp = build(**{"spinscope.claims.v1": {"threshold": 0.0}})

    rows: dict[str, list[dict]] = defaultdict(list)
    articles: list[dict] = []
    missing = 0
    for sample, (a, b) in SAMPLES.items():
        files = opinion[a:b]
        for f, doc in zip(files, nlp.pipe(f.read_text(encoding="utf-8") for f in files), strict=True):
            article = f.stem[len("article") :]
            found = {(x.start, x.end): x for x in doc.findings if x.task == "claim"}
            first = len(rows[sample])
            for s in doc.sentences:
                label = labels.get((article, sentence_key(doc.text[s.start : s.end])))
                if label is None:
                    missing += 1
                    continue
                x = found.get((s.start, s.end))
                rows[sample].append(
                    {
                        "gold": int(label["checkworthy"]),
                        "score": x.attrs["checkworthy"] if x is not None else None,
                        # listed for its causal reading even below the check-worthiness threshold
                        "causal": x is not None and x.attrs.get("kind") == "causal",
                        "a": label["a"],
                        "b": label["b"],
                    }
                )
            articles.append({"sample": sample, "article": article, "rows": rows[sample][first:]})
    design = rows["design"]
    best = max(GRID, key=lambda t: (scores_at(design, t)["f1"], t))
    every = [r for sample in rows.values() for r in sample]
    result = {
        "thresholds": {"in_use": in_use, "checkthat_dev": checkthat, "design_f1_best": best},
        "agreement": {"kappa": round(kappa([r["a"] for r in every], [r["b"] for r in every]), 3), "sentences": len(every)},
        "unlabelled_sentences": missing,
        **{
            sample: {
                "articles": b - a,
                "sentences": len(rows[sample]),
                "checkworthy_by_labels": sum(r["gold"] for r in rows[sample]),
                **{name: scores_at(rows[sample], t) for name, t in (("in_use", in_use), ("checkthat_dev", checkthat), ("design_f1_best", best))},
            }
            for sample, (a, b) in SAMPLES.items()
        },
        "articles": [
            {
                "sample": art["sample"],
                "article": art["article"],
                "sentences": len(art["rows"]),
                "checkworthy_share_by_labels": round(sum(r["gold"] for r in art["rows"]) / len(art["rows"]), 3),
                "listed_checkworthy_share": round(scores_at(art["rows"], in_use)["listed"] / len(art["rows"]), 3),
                "claims_share": scores_at(art["rows"], in_use)["claims_share"],
            }
            for art in articles
            if art["rows"]
        ],
    }
    result["article_shares"] = {
        name: {
            "median": round(statistics.median(a[name] for a in result["articles"]), 3),
            "over_60pct": sum(a[name] > 0.6 for a in result["articles"]),
        }
        for name in ("checkworthy_share_by_labels", "listed_checkworthy_share", "claims_share")
    }
    if args.write_threshold:
        from spinscope.runtime import MODELS_DIR

        path = MODELS_DIR / "checkworthy" / "meta.json"
        meta = json.loads(path.read_text(encoding="utf-8"))
        meta["article_threshold"] = best
        meta["article_threshold_chosen_by"] = "F1 on the design sample of bench/labels/checkworthy-oped.jsonl (bench/checkworthy_oped.py)"
        path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if args.format == "json":
        print(json.dumps(result))
        return
    print(
        f"thresholds: in use {in_use}, CheckThat! dev {checkthat}, F1-best on design {best}; "
        f"labellers' kappa {result['agreement']['kappa']} over {len(every)} sentences; unlabelled {missing}"
    )
    for sample in SAMPLES:
        r = result[sample]
        print(f"{sample}: {r['articles']} op-eds, {r['sentences']} sentences, {r['checkworthy_by_labels']} check-worthy by the labels")
        for name in ("in_use", "checkthat_dev", "design_f1_best"):
            s = r[name]
            print(
                f"  {name:>15} t={s['threshold']:.2f}: listed {s['listed']:3d}  P {s['precision']:.3f}  R {s['recall']:.3f}"
                f"  F1 {s['f1']:.3f}  claims list {s['claims_share']:.3f} of the sentences"
            )
    print("per article (at the threshold in use): share of sentences check-worthy by the labels / listed as check-worthy / in the claims list")
    for art in result["articles"]:
        print(
            f"  {art['sample']:>6} {art['article']}: {art['sentences']:3d} sentences  {art['checkworthy_share_by_labels']:.2f}"
            f" / {art['listed_checkworthy_share']:.2f} / {art['claims_share']:.2f}"
        )
    shares = result["article_shares"]
    print(
        "over the 12 op-eds, median share (articles over 60 %): check-worthy by the labels "
        + ", listed as check-worthy ".join(
            f"{shares[k]['median']:.3f} ({shares[k]['over_60pct']})"
            for k in ("checkworthy_share_by_labels", "listed_checkworthy_share")
        )
        + f", in the claims list {shares['claims_share']['median']:.3f} ({shares['claims_share']['over_60pct']})"
    )
    if args.write_threshold:
        print(f"wrote article_threshold {best} to the check-worthiness model's meta.json")


if __name__ == "__main__":
    main()
