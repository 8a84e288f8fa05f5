"""Frames the article looks through: the 14 frames of SemEval-2023 Task 3 subtask 2, multi-label."""

from __future__ import annotations

from ..registry import component
from .article_head import ArticleHead


@component("spinscope.frames.v1")
class Frames(ArticleHead):
    """Every frame whose score passes its cross-validated threshold."""

    name = "frames"
    task = "frames"
