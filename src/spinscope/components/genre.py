"""Genre of the whole article: opinion, reporting or satire (SemEval-2023 Task 3 subtask 1)."""

from __future__ import annotations

from ..registry import component
from .article_head import ArticleHead


@component("spinscope.genre.v1")
class Genre(ArticleHead):
    """One label per article, with its probability."""

    name = "genre"
    task = "genre"
