"""Shared evaluation of the article-level SemEval-2023 heads (genre, frames) on English articles."""

from __future__ import annotations

import json
from pathlib import Path

from ..datasets import semeval2023
from ..encoder import head_encoder, using
from ..pipeline import build
from ..runtime import MODELS_DIR


def predict(data: Path, split: str, *, subtask: int, component: str) -> tuple[list[semeval2023.Article], list[list[str]]]:
    """The gold articles of ``split`` and the labels the bundled ``component`` gives each."""
    articles = list(semeval2023.articles(data, "en", split, subtask=subtask))
    docs = [semeval2023.article_document(a.text) for a in articles]
    meta = MODELS_DIR / component.split(".")[1] / "meta.json"
    with using(head_encoder(json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else None)):
        nlp = build(["spinscope.encoder.v1", component])  # the encoder pass the head reads
        task = nlp.components[-1].task
        preds = [[lab.label for lab in doc.labels.get(task, [])] for doc in nlp.pipe(docs)]
    return articles, preds
