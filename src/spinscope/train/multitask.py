"""``spinscope train multitask``: the persuasion fine-tuning with the claims and actors tasks beside it.

Writes an encoder (v3) and persuasion heads like ``spinscope train persuasion`` does, the encoder also
fine-tuned on CNC, CheckThat!, NewsMTSC and SemEval-2025 roles train data (:mod:`.auxiliary`). It is
not the bundled encoder: measured, it lifts causal and portrayal over their bars but costs persuasion
its span bar (README, *Results*), so it is kept as a reproducible experiment.
"""

from __future__ import annotations

from pathlib import Path


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fine-tune with every auxiliary task, export, choose the persuasion settings (``persuasion.train``)."""
    from .persuasion import train as train_persuasion

    return train_persuasion(data, out, seed=seed, auxiliary_tasks=True)
