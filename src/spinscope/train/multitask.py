"""``spinscope train multitask``: the encoder the claims and actors heads read (``models/encoder-multitask``).

The same base model fine-tuned as ``spinscope train persuasion`` does, with the claims and actors tasks
beside persuasion (:mod:`.auxiliary`: CNC, CheckThat!, NewsMTSC and SemEval-2025 roles train data),
three epochs, the best chosen on the validation scores of every task. Persuasion reads the bundled
``models/encoder`` (persuasion fine-tuning alone), so this run stops after stage 1: the persuasion
stage that ``persuasion.finetune`` offers for a single shared encoder (it won persuasion back at a
cost to the other tasks; README, *Design*) is not run. The held-out texts of every task go into the
exported ``config.json``, where the heads that read this encoder choose their settings.
"""

from __future__ import annotations

import json
from pathlib import Path


def train(data: Path, out: Path, *, seed: int = 0, layers: int | None = None) -> Path:
    """Fine-tune with every auxiliary task (resumable), export stage 1's best epoch, record the held-out IDs.

    ``layers``: keep only the base model's first K layers (a cheaper second pass; README, *Design*).
    """
    from .encoder import base_layers
    from .persuasion import export, finetune

    run = finetune(data, out, seed=seed, auxiliary_tasks=True, persuasion_stage=False, layers=layers)
    enc_dir = export(out, run)
    config_path = enc_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["held_out_ids"] = sorted(run["val_ids"])
    for key in ("held_out_causal_ids", "held_out_roles_ids"):
        config[key] = run[key]
    if layers is not None:
        config["layers"] = layers
        config["base"] += f", first {layers} of its {base_layers()} layers kept"
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return enc_dir
