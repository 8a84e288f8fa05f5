"""CPU time per article of each pipeline component, and of the actors component with spaCy's NER.

    python bench/stage_cpu.py --data ../shared/data [--n 30]

Process CPU time (``time.process_time``, all threads) rather than wall time, so the figures hold up
while other jobs share the machine; a component running on 2 threads shows up to twice its wall time.
Reads the first N SemEval-2023 en dev articles (timing only). Median of 3 passes, batches of 8.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def main() -> None:
    """Print CPU ms per article for ingest and every component."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args()

    import spinscope
    from spinscope.components.actors import Actors
    from spinscope.datasets import semeval2023
    from spinscope.ingest import from_text

    articles = list(semeval2023.articles(args.data, "en", "dev", subtask=3))[: args.n]
    nlp = spinscope.load()
    comps = list(zip(nlp.component_names, nlp.components, strict=True)) + [("actors (spaCy NER)", Actors(ner="spacy"))]
    times: dict[str, list[float]] = {n: [] for n in ["ingest", *(n for n, _ in comps)]}
    for _ in range(3):
        t = time.process_time()
        docs = [from_text(a.text) for a in articles]
        times["ingest"].append(time.process_time() - t)
        total = dict.fromkeys((n for n, _ in comps), 0.0)
        for i in range(0, len(docs), 8):
            batch = docs[i : i + 8]
            for name, component in comps:
                t = time.process_time()
                component.set_annotations(batch, component.predict(batch))
                total[name] += time.process_time() - t
        for name, value in total.items():
            times[name].append(value)
    for name, values in times.items():
        print(f"{name:22s} {statistics.median(values) / len(articles) * 1000:7.1f} ms CPU/article")


if __name__ == "__main__":
    main()
