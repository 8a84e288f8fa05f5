"""Train the check-worthiness head on CLEF-2024 CheckThat! task 1 English train; select on its dev split.

Dev is not held out for this dataset (dev-test and test are): C and the decision threshold are chosen
on dev F1 of the positive class, the task's official metric. Test is read only by ``spinscope eval``.

:func:`from_run` takes instead the check-worthiness head a ``spinscope train multitask`` run trained
with its encoder (``--from-run``): one linear layer over a sentence's word-piece mean, which learnt
CheckThat! sentences and, with ``--checkworthy-teacher``, news sentences in their paragraphs.
"""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import numpy as np

from ..components.claims import CUE_NAMES, columns
from ..datasets import checkthat
from ..encoder import Encoder
from ..errors import UsageError
from ..heads import LinearHead
from .article_heads import encoder_description
from .sentence_heads import (
    PIECE_BAG_C,
    best_threshold,
    binary_head,
    context_features,
    features,
    fit_logistic,
    fit_piece_bag,
    oof_piece_logits,
    piece_bag_logits,
    piece_counts,
    write_model,
)

PARTS = ["mean", "max", "cues"]
C_GRID = (0.003, 0.01, 0.03, 0.1)
THRESHOLDS = np.round(np.arange(0.20, 0.81, 0.02), 2)


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fit a logistic regression over pooled sentence states and cues; C and threshold by dev F1."""
    train_set = checkthat.sentences(data, "train", for_training=True)
    dev_set = checkthat.sentences(data, "dev", for_training=True)
    encoder = Encoder()
    cols = columns(PARTS, encoder.hidden_size)
    # Each sentence twice: encoded alone (as the datasets give it) and among other sentences (as the
    # claims component reads it, pooled out of a paragraph); a head fit on one view alone scored the
    # op-ed's clearest claims far lower in context than alone.
    texts = [s.text for s in train_set]
    x_train = np.vstack(
        [
            features(encoder, texts, desc="checkthat train")[:, cols],
            context_features(encoder, texts, seed=seed, desc="checkthat train context")[:, cols],
        ]
    )
    y_train = np.tile([s.checkworthy for s in train_set], 2)
    # Selection on the view the component uses: dev sentences in pseudo-paragraphs (the F1-best
    # threshold there was 0.62, against 0.44 on dev sentences read alone).
    x_dev = context_features(encoder, [s.text for s in dev_set], seed=seed, desc="checkthat dev context")[:, cols]
    y_dev = np.array([s.checkworthy for s in dev_set])
    # The bag-of-pieces logit as one more column, out of fold on train (a bag fit on all of train
    # would hand the head its own training sentences' answers); dev reads the bag fit on all of train.
    counts = piece_counts(encoder, texts)
    y = np.array([s.checkworthy for s in train_set])
    bag = fit_piece_bag(counts, y)
    oof = oof_piece_logits(counts, y, seed=seed)
    with_pieces = {
        False: (x_train, x_dev),
        True: (
            np.hstack([x_train, np.tile(oof, (2, 1))]),
            np.hstack([x_dev, piece_bag_logits(bag, piece_counts(encoder, [s.text for s in dev_set]))]),
        ),
    }
    grid: dict[tuple[bool, float], tuple[float, float]] = {}
    for pieces, (xt, xd) in with_pieces.items():
        for c in C_GRID:
            mean, scale, clf = fit_logistic(xt, y_train, c=c, balanced=False)
            grid[pieces, c] = best_threshold(y_dev, clf.predict_proba((xd - mean) / scale)[:, 1], THRESHOLDS)
    best = max(grid, key=lambda k: grid[k][1])
    use_pieces, best_c = best
    threshold, dev_f1 = grid[best]
    # The shipped head is refit on train alone: dev only chose the inputs, C and the threshold.
    mean, scale, clf = fit_logistic(with_pieces[use_pieces][0], y_train, c=best_c, balanced=False)
    head = binary_head("checkworthy", mean, scale, clf, threshold)
    meta = {
        "name": "spinscope-checkworthy",
        "version": "2",
        "parts": PARTS,
        "pieces": use_pieces,
        "pieces_C": PIECE_BAG_C,
        "C": best_c,
        "threshold": threshold,
        "dev_f1": round(dev_f1, 4),
        "encoder_fingerprint": encoder.fingerprint,
        "encoder": encoder.path.name,
        "n_train": len(train_set),
    }
    card = CARD.format(
        n=len(train_set),
        pos=int(y.sum()),
        n_dev=len(dev_set),
        pos_dev=int(y_dev.sum()),
        c=best_c,
        t=threshold,
        f1=dev_f1,
        inputs="with" if use_pieces else "without",
        pieces_c=PIECE_BAG_C,
        grid=", ".join(f"{'with' if p else 'without'} the bag, C={c}: {f:.3f} at {t:.2f}" for (p, c), (t, f) in grid.items()),
        cues=", ".join(CUE_NAMES),
        fingerprint=encoder.fingerprint,
        encoder=encoder_description(),
    )
    return write_model(out, {"head": head, **({"pieces": bag} if use_pieces else {})}, meta, card)


def from_run(run: Path, data: Path, out: Path, *, seed: int = 0) -> Path:
    """Write the multi-task run ``run``'s own check-worthiness head; only the threshold is chosen, by dev F1.

    The head is stage 1's best epoch's (``run/stage1.pt``), the epoch the run exported, so it only
    fits that export: the encoder it reads (``--encoder``) must be ``run/encoder``'s model, byte for byte.
    """
    import torch

    encoder = Encoder()
    config = json.loads((run / "encoder" / "config.json").read_text(encoding="utf-8")) if (run / "encoder" / "config.json").is_file() else {}
    exported = run / "encoder" / config.get("model", "model.int8.onnx")
    bundled = encoder.path / encoder.config.get("model", "model.int8.onnx")
    if not (run / "stage1.pt").is_file() or not exported.is_file():
        raise UsageError(f"--from-run {run}: no multitask run there (stage1.pt and encoder/)")
    if not filecmp.cmp(exported, bundled, shallow=False):
        raise UsageError(f"--from-run {run}: its encoder is not models/{encoder.path.name}; copy {run / 'encoder'} there first")
    state = torch.load(run / "stage1.pt", map_location="cpu", weights_only=True)
    weights = state["checkworthy.weight"].float().numpy()
    bias = state["checkworthy.bias"].float().numpy()
    hidden = encoder.hidden_size
    head = LinearHead(["checkworthy"], weights, bias, np.zeros(hidden, np.float32), np.ones(hidden, np.float32),
                      np.array([0.5], np.float32), multilabel=True)  # fmt: skip
    dev_set = checkthat.sentences(data, "dev", for_training=True)
    x_dev = context_features(encoder, [s.text for s in dev_set], seed=seed, desc="checkthat dev context")[:, columns(["mean"], hidden)]
    y_dev = np.array([s.checkworthy for s in dev_set])
    threshold, dev_f1 = best_threshold(y_dev, head.scores(x_dev)[:, 0], THRESHOLDS)
    head.thresholds = np.array([threshold], np.float32)
    run_info = json.loads((run / "run.json").read_text(encoding="utf-8")) if (run / "run.json").is_file() else {}
    meta = {
        "name": "spinscope-checkworthy",
        "version": "3",
        "parts": ["mean"],
        "pieces": False,
        "from_run": str(run),
        "checkworthy_teacher": run_info.get("checkworthy_teacher"),
        "threshold": threshold,
        "dev_f1": round(dev_f1, 4),
        "encoder_fingerprint": encoder.fingerprint,
        "encoder": encoder.path.name,
    }
    card = RUN_CARD.format(t=threshold, f1=dev_f1, n_dev=len(dev_set), pos_dev=int(y_dev.sum()), run=run.name,
                           fingerprint=encoder.fingerprint, encoder=encoder_description())  # fmt: skip
    return write_model(out, {"head": head}, meta, card)


RUN_CARD = """\
# spinscope check-worthiness head (v3)

Is a sentence a factual claim worth checking? One score per sentence (CLEF-2024 CheckThat! Lab,
task 1, English).

- **Model**: one linear layer (sigmoid) over the mean of the sentence's word-piece states from
  {encoder} (fingerprint `{fingerprint}`): the check-worthiness head that encoder's own training run
  (`{run}`) trained with it, taken as it is (`spinscope train checkworthy --from-run`). At run time the
  claims component pools the sentence's span out of its paragraph's pass of that encoder.
- **Data**: the run's check-worthiness tasks: CheckThat! 2024 task 1 English **train** sentences read
  alone, and SemEval-2023 Task 3 English **train** paragraphs whose sentences learn the probabilities of
  a teacher (all-MiniLM-L6-v2 fine-tuned end to end on CheckThat! train, `spinscope train
  checkworthy-teacher`), each sentence's span pooled in its paragraph. See the encoder's card.
  CheckThat! dev ({n_dev}, {pos_dev} check-worthy) chose the threshold only; dev-test and test are never read
  in training.
- **Terms**: CheckThat! released "to the research community" (no licence stated; see
  `../shared/data/checkthat2024-task1-english/SOURCE.md`); SemEval-2023 Task 3 for research use only.
  Treat this model as research use.
- **Selection**: the threshold {t:.2f}, F1-best on dev ({f1:.3f}), dev sentences read in pseudo-paragraphs
  as at run time. Nothing else is fitted here.
- **Train**: `spinscope train multitask … --checkworthy-teacher …` (see the encoder's card), its
  encoder copied to `models/encoder-multitask`, then `spinscope train checkworthy --from-run RUN
  --encoder encoder-multitask --data ../shared/data --out src/spinscope/models/checkworthy` and
  `python bench/checkworthy_oped.py --data ../shared/data --write-threshold`.
- **Evaluate**: `spinscope eval checkworthy --data ../shared/data --split test` (positive-class F1 on
  the released test gold, held out).
"""


CARD = """\
# spinscope check-worthiness head (v2)

Is a sentence a factual claim worth checking? One score per sentence (CLEF-2024 CheckThat! Lab,
task 1, English).

- **Model**: logistic regression over the sentence's token states from {encoder} (fingerprint
  `{fingerprint}`): mean and max over the sentence's word pieces,
  plus eight surface cues ({cues}), and, where selection kept it ({inputs} here), the logit of a
  bag-of-word-pieces model (`pieces.npz`: logistic regression, C = {pieces_c}, over the tf-idf of the
  sentence's word pieces in the encoder's own vocabulary, so it needs no tokenizer of its own; fit on
  train, stacked out of fold). At run time the claims component pools the sentence's span out
  of its paragraph's encoder pass (no second pass), so a sentence is read in its paragraph's context.
  Stored as plain numpy arrays (`head.npz`, `pieces.npz`).
- **Data**: CheckThat! 2024 task 1 English **train**, {n} sentences ({pos} check-worthy), US
  presidential debates and speeches; **dev** ({n_dev}, {pos_dev} check-worthy) for selection only.
  Every sentence is used twice: encoded alone, and encoded inside a pseudo-paragraph of four
  shuffled sentences and pooled from there, because at run time the claims component pools a
  sentence out of its paragraph's pass (a head fit on lone sentences only scored "According to the
  United Nations, more than 600 attacks … were recorded last year" 0.95 alone but 0.38 in its
  paragraph of the example op-ed).
  Dev-test and test are never read in training.
- **Terms**: released "to the research community" by the CheckThat! Lab; no licence is stated in
  the sources (see `../shared/data/checkthat2024-task1-english/SOURCE.md`). The sentences appear to be
  the ClaimBuster dataset relabelled, whose README asks for citation. Treat this model as research use.
- **Selection**: the inputs ({inputs} the bag), C = {c} and threshold {t:.2f}, chosen together by
  positive-class F1 on dev ({f1:.3f}), dev sentences read in pseudo-paragraphs as at run time; grid:
  {grid}. The head is fit on train only.
- **Train**: `spinscope train checkworthy --data ../shared/data --out src/spinscope/models/checkworthy`
  (encodes ~23.5k sentences once, a few minutes on 2 cores; features cached under
  `~/.cache/spinscope/sentence-features/<encoder fingerprint>`). `meta.json` records the encoder
  fingerprint; the claims component warns (`model-mismatch`) when the bundled encoder differs.
- **Evaluate**: `spinscope eval checkworthy --data ../shared/data --split test` (positive-class F1 on
  the released test gold, held out).
- **Limits**: trained on spoken political debate, applied to written news and opinion; the
  pseudo-paragraphs give context of the right shape, not a sentence's real neighbours.
"""
