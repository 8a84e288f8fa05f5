"""How often the narratives component gives a narrative to an article about neither of its domains.

    python bench/narratives_off_topic.py --data ../shared/data [--split train|dev] [--format json]

The narrative taxonomy covers the war in Ukraine and climate change. A user who points spinscope at
articles about anything else should get no narrative, not a climate conspiracy for a piece about the
Pope. This runs the component (after ingest, the sentence splitter and the encoder, as at run time) on
the SemEval-2023 English articles of ``--split`` (subtask-1 folder: mostly US politics and religion)
that name neither domain (``DOMAIN_WORDS`` of the narratives component) and prints the share given a
narrative, the labels given most often, and how many the component's own domain-word rule turned away.
Since that rule (2026-12-07) the share is 0 by construction; what the heads alone would give shows as
"turned away". ``dev`` is held out from all training. It also prints what the rule costs on the
task's own data: how many SemEval-2025 English train articles with a gold narrative of a domain name
none of that domain's words.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--split", choices=("train", "dev"), default="dev")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()

    from spinscope.components.narratives import DOMAIN_WORDS
    from spinscope.datasets import semeval2023, semeval2025
    from spinscope.ingest import from_text
    from spinscope.pipeline import build

    # For train, for_training skips the few subtask-1 train articles that are held-out subtask-3 dev articles.
    articles = semeval2023.articles(args.data, "en", args.split, subtask=1, for_training=args.split == "train")
    texts = [a.text for a in articles if not any(w.search(a.text) for w in DOMAIN_WORDS.values())]
    nlp = build(["spinscope.sentences.v1", "spinscope.encoder.v1", "spinscope.narratives.v1"])
    given, labels, gated = 0, Counter(), 0
    for doc in nlp.pipe(from_text(t) for t in texts):
        names = [lab.label for lab in doc.labels.get("narratives", []) if lab.label != "Other"]
        given += bool(names)
        labels.update(names)
        gated += any(w.code == "narratives-off-topic" for w in doc.warnings)
    # The rule's cost on the taxonomy's own articles: gold narratives whose domain the text never names.
    unnamed = {domain: [0, 0] for domain in DOMAIN_WORDS}  # domain -> [articles without its words, articles]
    for a in semeval2025.articles(args.data, "EN", "train", for_training=True):
        for domain in {n.split(":")[0] for n in a.narratives or ()} & set(DOMAIN_WORDS):
            unnamed[domain][0] += not DOMAIN_WORDS[domain].search(a.text)
            unnamed[domain][1] += 1
    result = {
        "split": args.split,
        "semeval2025_train_narratives_unnamed": unnamed,
        "articles": len(texts),
        "given_a_narrative": given,
        "share": round(given / len(texts), 4) if texts else None,
        "turned_away_by_the_domain_words": gated,
        "labels": labels.most_common(),
    }
    if args.format == "json":
        print(json.dumps(result))
        return
    print(
        f"SemEval-2023 en {args.split}: {result['articles']} articles naming neither the war in Ukraine nor climate "
        f"change; given a narrative: {given} ({result['share']:.1%}); turned away by the domain-word rule: {gated}"
    )
    for label, n in labels.most_common(8):
        print(f"  {n:3d}  {label}")
    for domain, (none, n) in unnamed.items():
        print(f"SemEval-2025 en train articles with a {domain} narrative that name none of its words: {none} of {n}")


if __name__ == "__main__":
    main()
