"""Training entry points (extra [train]). Each task module exposes ``train(data, out, *, seed) -> Path``.

Training never reads a held-out split: SemEval-2023 / SemEval-2025 dev and every test split.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import DataNotFound, MissingExtra, UnknownTask

TASKS: dict[str, str] = {
    "encoder": ".encoder",
    "repair": ".repair",
    "genre": ".genre",
    "frames": ".frames",
    "persuasion": ".persuasion",
    "multitask": ".multitask",
    "checkworthy": ".checkworthy",
    "causal": ".causal",
    "portrayal": ".portrayal",
    "roles": ".roles",
    "cast": ".cast",
    "actors": ".actors",
    "narratives": ".narratives",
}


def run(task: str, data: Path, out: Path, *, seed: int = 0) -> Path:
    """Train ``task`` from the data under ``data`` and write the artefacts to ``out``."""
    if task not in TASKS:
        raise UnknownTask(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    if not data.is_dir():
        raise DataNotFound(f"data folder {data} does not exist (pass --data PATH)")
    try:
        module = importlib.import_module(TASKS[task], __name__)
    except ModuleNotFoundError as err:
        raise MissingExtra(
            f"training needs the [train] extra ({err.name} is missing): python -m pip install -e '.[train]'"
        ) from None
    out.mkdir(parents=True, exist_ok=True)
    return module.train(data, out, seed=seed)
