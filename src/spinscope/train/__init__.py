"""Training entry points (extra [train]). Each task module exposes ``train(data, out, *, seed) -> Path``.

Training never reads a held-out split: SemEval-2023 / SemEval-2025 dev and every test split.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from ..errors import DataNotFound, MissingExtra, UnknownTask, UsageError

TASKS: dict[str, str] = {
    "encoder": ".encoder",
    "repair": ".repair",
    "genre": ".genre",
    "frames": ".frames",
    "persuasion": ".persuasion",
    "multitask": ".multitask",
    "checkworthy": ".checkworthy",
    "checkworthy-teacher": ".checkworthy_teacher",
    "causal": ".causal",
    "portrayal": ".portrayal",
    "roles": ".roles",
    "cast": ".cast",
    "actors": ".actors",
    "narratives": ".narratives",
}


# The heads that can be fitted on either bundled encoder (``--encoder``); the others fit their own.
ENCODER_CHOICE = ("frames", "checkworthy", "causal", "portrayal", "roles")


def run(
    task: str, data: Path, out: Path, *, seed: int = 0, encoder: str | None = None, layers: int | None = None,
    trunk: int | None = None, distil: Path | None = None, export_layers: int | None = None, checkworthy_teacher: Path | None = None,
    from_run: Path | None = None,
) -> Path:
    """Train ``task`` from the data under ``data`` and write the artefacts to ``out``.

    ``encoder`` names the bundled encoder (a folder under ``models/``) a head is fitted on; the
    head's meta.json records it and the pipeline feeds the head that encoder's pass. None: the one
    the bundled head reads now. ``layers`` (multitask only) keeps the base model's first that many layers;
    ``trunk`` (multitask only) fine-tunes on top of ``models/encoder``'s bottom that many layers, frozen
    (with ``layers``, only the layers up to that many: a shallower top, trained as its own last layer);
    ``distil`` (with ``trunk``): the folder of a whole (six-layer) multi-task encoder, such as
    ``spinscope train multitask``'s export, whose layers above the trunk the run starts from and whose
    token states it distils. ``export_layers`` (multitask only): export the trained encoder's first
    that many layers only. ``checkworthy_teacher`` (multitask only): the JSON Lines that ``spinscope
    train checkworthy-teacher`` writes, so the run also learns that model's check-worthiness of news
    sentences in their paragraphs. ``from_run`` (checkworthy only): a multitask run's folder; its own
    check-worthiness head is written instead of fitting one (the encoder must be that run's export).
    """
    if task not in TASKS:
        raise UnknownTask(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    if encoder is not None and task not in ENCODER_CHOICE:
        raise UnknownTask(f"--encoder applies to {', '.join(ENCODER_CHOICE)} only, not {task!r}")
    if layers is not None and task != "multitask":
        raise UsageError(f"--layers applies to multitask only, not {task!r}")
    if layers is not None and not 1 <= layers <= 6:
        raise UsageError(f"--layers must be between 1 and 6 (the base model has 6), not {layers}")
    if trunk is not None and task != "multitask":
        raise UsageError(f"--trunk applies to multitask only, not {task!r}")
    if trunk is not None and not 1 <= trunk < (layers or 6):
        raise UsageError(f"--trunk must be at least 1 and below --layers (6 without it: the base model's layers), not {trunk}")
    if distil is not None and trunk is None:
        raise UsageError("--distil needs --trunk K: it trains the layers above a shared trunk")
    if export_layers is not None and task != "multitask":
        raise UsageError(f"--export-layers applies to multitask only, not {task!r}")
    # Checked here, not after a run of 40 minutes: the cut keeps fewer layers than it trains, more than its trunk.
    if export_layers is not None and not (trunk or 0) < export_layers < (layers or 6):
        raise UsageError(f"--export-layers must be above --trunk and below the layers trained, not {export_layers}")
    if checkworthy_teacher is not None and task != "multitask":
        raise UsageError(f"--checkworthy-teacher applies to multitask only, not {task!r}")
    if checkworthy_teacher is not None and not checkworthy_teacher.is_file():
        raise UsageError(f"--checkworthy-teacher {checkworthy_teacher}: no such file (spinscope train checkworthy-teacher writes it)")
    if from_run is not None and task != "checkworthy":
        raise UsageError(f"--from-run applies to checkworthy only, not {task!r}")
    if from_run is not None and not (from_run / "stage1.pt").is_file():
        raise UsageError(f"--from-run {from_run}: no multitask run there (stage1.pt)")
    if distil is not None:
        teacher = distil / "config.json"
        if not (distil / "model.int8.onnx").is_file() or not teacher.is_file():
            raise UsageError(f"--distil {distil}: no exported encoder there (model.int8.onnx and config.json)")
        if "trunk" in json.loads(teacher.read_text(encoding="utf-8")):
            raise UsageError(f"--distil {distil}: that encoder is itself a top over a trunk; give a whole encoder")
    # Checked before the [train] import so a typo is named even where the extra is missing.
    from ..encoder import ENCODER_NAMES, using

    if encoder is not None and encoder not in ENCODER_NAMES:
        raise UnknownTask(f"unknown encoder {encoder!r}; choose one of: {', '.join(ENCODER_NAMES)}")
    if not data.is_dir():
        raise DataNotFound(f"data folder {data} does not exist (pass --data PATH)")
    try:
        module = importlib.import_module(TASKS[task], __name__)
    except ModuleNotFoundError as err:
        raise MissingExtra(
            f"training needs the [train] extra ({err.name} is missing): python -m pip install -e '.[train]'"
        ) from None
    if encoder is None and task in ENCODER_CHOICE:
        encoder = _bundled_encoder(task)
    out.mkdir(parents=True, exist_ok=True)
    with using(encoder):
        if task == "multitask":
            return module.train(data, out, seed=seed, layers=layers, trunk=trunk, distil=distil, export_layers=export_layers,
                                checkworthy_teacher=checkworthy_teacher)
        if from_run is not None:
            return module.from_run(from_run, data, out, seed=seed)
        return module.train(data, out, seed=seed)


def _bundled_encoder(task: str) -> str:
    """The encoder the bundled head of ``task`` reads (its meta.json), ``encoder`` if none is bundled."""
    from ..encoder import head_encoder
    from ..runtime import MODELS_DIR

    meta = MODELS_DIR / task / "meta.json"
    return head_encoder(json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else None)
