"""Run a bundled model over a dataset split and score it with the task's official metric.

Each task lives in its own module exposing ``SPLITS`` (the splits it can score) and
``evaluate(data: Path, split: str) -> EvalResult``.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataNotFound, UnknownSplit, UnknownTask
from ..metrics import Interval

# task name -> module (relative to this package)
TASKS: dict[str, str] = {
    "repair": ".repair",
    "genre": ".genre",
    "frames": ".frames",
    "persuasion": ".persuasion",
    "persuasion-spans": ".persuasion_spans",
    "checkworthy": ".checkworthy",
    "causal": ".causal",
    "portrayal": ".portrayal",
    "roles": ".roles",
    "cast": ".cast",
    "narratives": ".narratives",
    "narrative-explanations": ".narrative_explanations",
}


@dataclass
class EvalResult:
    """One evaluation: the official metric and a per-label table."""

    task: str
    split: str
    metric: str
    value: float
    n: int
    per_label: list[dict[str, Any]] = field(default_factory=list)  # {label, precision, recall, f1, support}
    extra: dict[str, Any] = field(default_factory=dict)  # other metrics worth printing (macro-F1 …)
    interval: Interval | None = None  # how far ``value`` could move on another sample of the same size

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--format json``."""
        return asdict(self)


def run(task: str, data: Path, split: str) -> EvalResult:
    """Evaluate the bundled model for ``task`` on ``split`` of the data under ``data``."""
    if task not in TASKS:
        raise UnknownTask(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    module = importlib.import_module(TASKS[task], __name__)
    if split not in module.SPLITS:
        raise UnknownSplit(f"task {task!r} has no split {split!r}; choose one of: {', '.join(module.SPLITS)}")
    if not data.is_dir():
        raise DataNotFound(f"data folder {data} does not exist (pass --data PATH)")
    return module.evaluate(data, split)
