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


def train(
    data: Path, out: Path, *, seed: int = 0, layers: int | None = None, trunk: int | None = None, distil: Path | None = None,
    export_layers: int | None = None, checkworthy_teacher: Path | None = None,
) -> Path:
    """Fine-tune with every auxiliary task (resumable), export stage 1's best epoch, record the held-out IDs.

    ``layers``: keep only the base model's first K layers (a cheaper second pass; README, *Design*).
    ``trunk``: start from ``models/encoder`` with its bottom K layers frozen; the run-time pass shares
    them with that encoder and runs only the layers above (:func:`spinscope.encoder.Encoder`).
    ``distil`` (with ``trunk``): a whole multi-task encoder's folder; the layers above start from its
    layers and learn to reproduce its token states besides the tasks.
    ``export_layers``: export only the encoder's first K layers (:func:`cut_export`); the layers above
    are trained with the rest, then dropped.
    ``checkworthy_teacher``: :func:`.auxiliary.checkworthy_news`'s teacher file, or None.
    """
    from .encoder import base_layers
    from .persuasion import export, finetune

    run = finetune(data, out, seed=seed, auxiliary_tasks=True, persuasion_stage=False, layers=layers, trunk=trunk, distil=distil,
                   checkworthy_teacher=checkworthy_teacher)
    enc_dir = export(out, run)
    config_path = enc_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["held_out_ids"] = sorted(run["val_ids"])
    for key in ("held_out_causal_ids", "held_out_roles_ids"):
        config[key] = run[key]
    if layers is not None:
        config["layers"] = layers
        config["base"] += f", first {layers} of its {base_layers()} layers kept"
    if trunk is not None:
        config["trunk"] = keep_top(enc_dir / config["model"], trunk)
        above = f"layers {trunk}-{layers - 1}" if layers is not None else "the layers above"
        config["base"] = (f"models/encoder ({config['trunk']['fingerprint']}), its embeddings and bottom {trunk} layers "
                          f"frozen and shared at run time, {above} fine-tuned by spinscope train multitask")
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    if export_layers is not None:
        cut_export(enc_dir, export_layers)
    return enc_dir


def cut_export(folder: Path, layers: int) -> None:
    """Cut an exported encoder (``folder``: model and config.json) after its first ``layers`` layers, in place.

    Version 3 of the bundled second encoder was version 2 cut after its layer 4: the heads that read it
    chose a little better on those states than on its last layer's (README, *Design*), and a layer
    fewer is a tenth of the encoder stage. For a top over a trunk, ``layers`` counts the trunk's layers too.
    """
    import onnx

    from .onnx_graph import bottom_layers

    config_path = folder / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    trunk = config.get("trunk", {}).get("layers", 0)
    if not trunk < layers:
        raise ValueError(f"{folder}: cannot keep {layers} layers of an encoder whose first {trunk} are its trunk's")
    model_file = folder / config.get("model", "model.int8.onnx")
    onnx.save(bottom_layers(onnx.load(str(model_file)), layers), str(model_file))
    config["export_layers"] = layers
    config["base"] += f"; cut after its layer {layers - 1} (the layers above trained, then dropped)"
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def keep_top(model_file: Path, trunk: int) -> dict:
    """Cut an exported encoder to its layers above ``trunk``, in place; returns the config's ``trunk`` entry.

    Its bottom layers are ``models/encoder``'s, frozen during fine-tuning, so at run time they are not
    run again: the graph left reads ``models/encoder``'s layer-``trunk`` states and mask index, which
    that graph exposes (``expose_layers``). The entry records that model's fingerprint; the encoder
    refuses to run on any other.
    """
    import onnx

    from ..encoder import ENCODER_DIR, fingerprint
    from .onnx_graph import MASK_INDEX, expose_layer_states, layer_output, top_layers

    states = layer_output(trunk - 1)
    base = onnx.load(str(ENCODER_DIR / "model.int8.onnx"))
    if not {states, MASK_INDEX} <= {out.name for out in base.graph.output}:
        raise ValueError(f"{ENCODER_DIR / 'model.int8.onnx'} does not expose {states!r}: export it again")
    model = onnx.load(str(model_file))
    expose_layer_states(model, 384)
    onnx.save(top_layers(model, trunk), str(model_file))
    return {"encoder": ENCODER_DIR.name, "fingerprint": fingerprint(ENCODER_DIR), "layers": trunk,
            "states": states, "mask_index": MASK_INDEX}
