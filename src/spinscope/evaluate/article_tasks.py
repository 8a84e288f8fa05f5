"""Shared evaluation of the article-level SemEval-2023 heads (genre, frames) on English articles."""

from __future__ import annotations

from pathlib import Path

from ..datasets import semeval2023
from ..pipeline import build


def predict(data: Path, split: str, *, subtask: int, component: str) -> tuple[list[semeval2023.Article], list[list[str]]]:
    """The gold articles of ``split`` and the labels the bundled ``component`` gives each."""
    articles = list(semeval2023.articles(data, "en", split, subtask=subtask))
    docs = [semeval2023.article_document(a.text) for a in articles]
    nlp = build(["spinscope.encoder.v1", component])
    task = nlp.components[-1].task
    preds = [[lab.label for lab in doc.labels.get(task, [])] for doc in nlp.pipe(docs)]
    return articles, preds
