"""Choose the persuasion heads' decision settings on the held-out 15% of train, on the int8 ONNX encoder.

Everything here runs the exported model the way ``spinscope analyze`` does (ONNX Runtime, the runtime
windows and pooling, ``components.persuasion.decode``), so the thresholds fit the quantised outputs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from .. import __version__
from ..components.encoder import EncoderComponent
from ..components.persuasion import Heads, decode
from ..datasets import semeval2023
from ..datasets.semeval2023 import article_document
from ..metrics import multilabel_scores, span_scores
from ..pipeline import Pipeline
from .auxiliary import CHECKWORTHY_PER_EPOCH

MIXES = (1.0, 0.75, 0.5, 0.25, 0.0)
GRID = np.round(np.arange(0.05, 0.91, 0.025), 3)
SPAN_GRID = np.round(np.arange(0.3, 0.86, 0.05), 2)
# Gold spans are phrases and whole clauses; bridging longer gaps joins a clause's scattered hot tokens.
GAPS = (1, 3, 8, 20, 1000)
MIN_POSITIVES = 8  # fewer validation paragraphs than this: the technique keeps the shared threshold


def _micro(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = float((gold & pred).sum())
    return 2 * tp / max(1.0, 2 * tp + float((~gold & pred).sum()) + float((gold & ~pred).sum()))


def choose_thresholds(gold: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, float]:
    """One shared threshold for micro-F1, then per-technique ones (coordinate ascent) where support allows."""
    shared = max(GRID, key=lambda t: _micro(gold, scores >= t))
    thresholds = np.full(gold.shape[1], shared, dtype=np.float32)
    for k in np.argsort(-gold.sum(0)):
        if gold[:, k].sum() < MIN_POSITIVES:
            continue
        best, best_f = thresholds[k], _micro(gold, scores >= thresholds)
        for t in GRID:
            thresholds[k] = t
            f = _micro(gold, scores >= thresholds)
            if f > best_f + 1e-9:
                best, best_f = t, f
        thresholds[k] = best
    return thresholds, _micro(gold, scores >= thresholds)


MIN_SPANS = 15  # fewer validation spans than this: the technique keeps the shared span settings


def _span_stats(heads: Heads, articles: list, docs: list) -> np.ndarray:
    """Per technique: [precision numerator, recall numerator, predicted spans, gold spans] on ``articles``.

    The SemEval-2020 Task 11 span F1 is a ratio of sums over spans, so these add up over techniques.
    """
    techniques = heads.techniques
    out = np.zeros((len(techniques), 4))
    for a, doc in zip(articles, docs, strict=True):
        pred = [(f.label, f.start, f.end) for enc in doc.cache["encoder"]["paragraphs"] for f in decode(heads, enc, doc.text).spans]
        gold = [(s.label, s.start, s.end) for s in a.spans or ()]
        for k, t in enumerate(techniques):
            sc = span_scores({a.id: [s for s in gold if s[0] == t]}, {a.id: [s for s in pred if s[0] == t]})
            out[k] += [sc.precision * sc.n_pred, sc.recall * sc.n_gold, sc.n_pred, sc.n_gold]
    return out


def _f1(stats: np.ndarray) -> float:
    p = stats[:, 0].sum() / max(1.0, stats[:, 2].sum())
    r = stats[:, 1].sum() / max(1.0, stats[:, 3].sum())
    return 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0


def choose_span_settings(heads: Heads, articles: list, docs: list) -> tuple[np.ndarray, np.ndarray, float, tuple]:
    """(gaps, thresholds, span F1, (shared gap, shared threshold, its F1)) chosen for span F1 on ``articles``."""
    n = len(heads.techniques)
    stats = {}
    for gap in GAPS:
        for tau in SPAN_GRID:
            heads.gaps, heads.span_thresholds = np.full(n, gap), np.full(n, tau, np.float32)
            stats[(gap, float(tau))] = _span_stats(heads, articles, docs)
    shared = max(stats, key=lambda o: _f1(stats[o]))
    choice = [shared] * n
    current = stats[shared].copy()
    for k in np.argsort(-current[:, 3]):
        if current[k, 3] < MIN_SPANS:
            continue
        for option, s in stats.items():
            trial = current.copy()
            trial[k] = s[k]
            if _f1(trial) > _f1(current) + 1e-9:
                current, choice[k] = trial, option
    gaps = np.array([c[0] for c in choice], dtype=np.int64)
    taus = np.array([c[1] for c in choice], dtype=np.float32)
    return gaps, taus, _f1(current), (shared[0], shared[1], _f1(stats[shared]))


def fit_thresholds(data: Path, out: Path) -> Path:
    """Write OUT/persuasion (heads.npz, meta.json, card.md) with settings chosen on the validation IDs."""
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    techniques = run["techniques"]
    val = set(run["val_ids"])
    articles = [a for a in semeval2023.articles(data, "en", "train", subtask=3, for_training=True) if a.id in val]
    docs = [article_document(a.text) for a in articles]
    encoder = Pipeline([EncoderComponent(out / "encoder")])
    docs = list(encoder.pipe(docs))
    raw = dict(np.load(out / "heads.npz"))
    heads = Heads(techniques, raw["token_weights"], raw["token_bias"], raw["paragraph_weights"], raw["paragraph_bias"],
                  np.zeros(len(techniques), np.float32), np.zeros(len(techniques), np.float32), 1.0)
    gold, par_scores, tok_max = [], [], []
    for a, doc in zip(articles, docs, strict=True):
        for line, enc in zip(a.paragraphs, doc.cache["encoder"]["paragraphs"], strict=True):
            gold.append([t in (a.techniques or {}).get(line.number, ()) for t in techniques])
            heads.mix = 1.0
            par_scores.append(heads.scores(enc)[0])
            heads.mix = 0.0
            tok_max.append(heads.scores(enc)[0])
    g, p, m = np.array(gold, bool), np.array(par_scores), np.array(tok_max)
    trials = {mix: choose_thresholds(g, mix * p + (1 - mix) * m) for mix in MIXES}
    mix = max(trials, key=lambda k: trials[k][1])
    heads.mix, heads.thresholds = mix, trials[mix][0]

    gaps, taus, span_f1, shared = choose_span_settings(heads, articles, docs)
    heads.gaps, heads.span_thresholds = gaps, taus

    labelled = (mix * p + (1 - mix) * m) >= heads.thresholds
    pred_sets = [{t for t, on in zip(techniques, row, strict=True) if on} for row in labelled]
    scores = multilabel_scores([{t for t, on in zip(techniques, row, strict=True) if on} for row in g], pred_sets, labels=techniques)
    validation = {
        "articles": len(articles),
        "paragraphs": int(len(g)),
        "paragraph_micro_f1": round(scores.micro.f1, 4),
        "paragraph_macro_f1": round(scores.macro_f1, 4),
        "span_f1": round(span_f1, 4),
        "span_f1_shared_settings": round(shared[2], 4),
        "mix_trials": {str(k): round(v[1], 4) for k, v in trials.items()},
        "mean_labels_per_paragraph": round(float(labelled.sum(1).mean()), 3),
        "max_share_of_paragraphs": round(float(labelled.mean(0).max()), 3),
    }
    # The heads that read this encoder and whose labels fine-tuning saw choose their settings on these.
    config_path = out / "encoder" / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["held_out_ids"] = sorted(val)
    for key in ("held_out_causal_ids", "held_out_roles_ids"):  # the auxiliary tasks' held-out texts
        if key in run:
            config[key] = run[key]
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    folder = out / "persuasion"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(out / "heads.npz", folder / "heads.npz")
    meta = {
        "name": "spinscope-persuasion",
        "version": "1",
        "encoder": json.loads((out / "encoder" / "config.json").read_text(encoding="utf-8"))["name"],
        "mix": mix,
        "thresholds": {t: float(v) for t, v in zip(techniques, heads.thresholds, strict=True)},
        "span_thresholds": {t: float(v) for t, v in zip(techniques, taus, strict=True)},
        "span_gaps": {t: int(v) for t, v in zip(techniques, gaps, strict=True)},
        "validation": validation,
        "finetune_history": run["history"],
        "best_epoch": run["best_epoch"],
        "trained_with": __version__,
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (folder / "card.md").write_text(
        CARD.format(
            n_train=len(run["train_ids"]), n_val=len(run["val_ids"]), epoch=run["best_epoch"],
            epochs=len(run["history"]), mix=mix, gap=shared[0], tau=shared[1], **validation,
            history="\n".join(
                f"| {h['epoch']} | {h.get('val_selection', h['val_paragraph_micro_f1']):.3f} | {h['val_paragraph_micro_f1']:.3f} | "
                + " | ".join(f"{h[k]:.3f}" if k in h else "-" for k in ("val_causal", "val_checkworthy", "val_sentiment", "val_roles"))
                + f" | {h['minutes']} |"
                for h in run["history"]
            ),
            **_mode_text(run),
            # Runs from before the precision switch were all bf16 (no "bf16" key in run.json).
            precision="bf16 autocast on CPU" if run.get("bf16", True) else "fp32 (this CPU has no native bf16)",
            per_technique=", ".join(f"{t} {v:.3f}" for t, v in zip(techniques, heads.thresholds, strict=True)),
            per_span=", ".join(f"{t} gap {g} threshold {v:.2f}" for t, g, v in zip(techniques, gaps, taus, strict=True)
                               if (g, v) != shared[:2]),
        ),
        encoding="utf-8",
    )
    print(json.dumps(validation, indent=2))
    return folder


def _mode_text(run: dict) -> dict[str, str]:
    """The card's wording for a persuasion-only run (encoder v2) or one with the auxiliary tasks (v3)."""
    if not run.get("auxiliary_tasks"):
        return {"encoder_version": "v2", "auxiliary_model": "", "auxiliary_data": "", "auxiliary_terms": "",
                "auxiliary_training": "", "selection": "validation paragraph micro-F1",
                "command": "persuasion", "minutes": "≈25 min here"}
    return {
        "encoder_version": "v3",
        "auxiliary_model": """ The same run also trains the claims and actors
  tasks through small heads that are not shipped either (`spinscope.train.auxiliary`): causal sentences
  (one sigmoid on the pooled vector), check-worthiness (one sigmoid), target sentiment ([target mean |
  sentence mean], 3 classes) and entity roles ([mention mean | paragraph mean], main role and 22 fine
  roles); their shipped heads are re-fitted on the exported encoder.""",
        "auxiliary_data": f"""
  Auxiliary data, train splits only: Causal News Corpus subtask 1 train (a seeded 15% held out to score
  epochs), a fresh sample of {CHECKWORTHY_PER_EPOCH} CheckThat! 2024 English train sentences per epoch
  (its dev split scores epochs: CheckThat! has test gold, so dev may select), NewsMTSC train (dev-rw and
  dev-mt score epochs, likewise), SemEval-2025 Task 10 English train entity mentions (15% of articles
  held out). Never read: CNC dev, CheckThat! dev-test and test, NewsMTSC test-rw/test-mt, SemEval-2025 dev.""",
        "auxiliary_terms": """ SemEval-2025 Task 10 data (roles) carries the same
  restriction. Also trained on: CNC (CC0 1.0), CheckThat! 2024 (released "to the research community",
  no licence stated), NewsMTSC (repository MIT; the dataset readme states no licence, asks for citation).""",
        "auxiliary_training": """ Stage 1: each task's batches (32 texts of one
  task) shuffled together, the persuasion paragraphs twice per epoch. Stage 2 (the last two epochs):
  persuasion alone with distillation, from stage 1's best weights, encoder learning rate 3e-5, which
  wins back what persuasion lost beside the other tasks (`persuasion._persuasion_stage`).""",
        "selection": ("(in each stage) the mean of four validation scores (persuasion paragraph micro-F1 on the held-out "
                      "articles, causal F1 on held-out CNC train, check-worthiness F1 on CheckThat! dev, F1m on "
                      "NewsMTSC dev-rw+dev-mt; torch bf16, best single threshold)"),
        "command": "multitask", "minutes": "≈50 min here",
    }


CARD = """\
# spinscope persuasion heads and the fine-tuned shared encoder ({encoder_version})

The 23 persuasion techniques of SemEval-2023 Task 3 subtask 3, per paragraph and as exact spans,
each span with the trigger words the token head scored highest and a one-sentence description of
the technique (`report/labels.py`, written for spinscope from the annotation guidelines' ideas).

- **Model**: the shared encoder all-MiniLM-L6-v2, fine-tuned multi-task (`spinscope.train.persuasion`),
  exported to int8 per-channel ONNX as `models/encoder` {encoder_version}; two linear heads as numpy arrays
  (`heads.npz`): a token head (23 sigmoids per word piece, since spans overlap) and a paragraph head
  (23 sigmoids on the mean-pooled paragraph vector). Fine-tuning also trained a weak frames head
  (each paragraph carries its article's subtask-2 frames, weight 0.3) and distilled the base model's
  unit paragraph vector (cosine, weight 1.0) so the pooled vectors stay a general sentence embedding
  for the other heads; neither of those heads is shipped.{auxiliary_model}
- **Data**: SemEval-2023 Task 3 English **train**, subtask 3 (paragraph labels and the `*-spans`
  files) and subtask 2 (frames, as weak paragraph labels), after dropping the articles that also occur
  in a dev split. {n_train} articles fine-tune; {n_val} (a seeded 15% of the IDs) are held out of
  fine-tuning and choose the epoch and every threshold. English dev — the held-out test here, whose
  articles are also the PTC test articles — is never read. Not used: the other languages' train data
  (the encoder's vocabulary is English), PTC (its train/dev articles are these same articles, its 14
  techniques a subset of the 23), augmentation.{auxiliary_data}
- **Terms**: SemEval-2023 Task 3 data may be used only for scientific research within the shared
  task's terms and may not be redistributed; this model (the encoder included) inherits that
  restriction: research use only.{auxiliary_terms}
- **Training**: {epochs} epochs, batch 32, AdamW (encoder 6e-5, heads 2e-3), linear warm-up and decay,
  {precision}, token loss with positive weight 3, every loss weight 1 except frames 0.3.{auxiliary_training}
  Best epoch by {selection}: epoch {epoch} of {epochs}.

| epoch | selection | persuasion | causal | check-worthy | sentiment F1m | roles main acc. | minutes |
|---|---|---|---|---|---|---|---|
{history}

- **Decisions**, chosen on the validation articles with the exported int8 ONNX encoder exactly as at
  run time: paragraph score = {mix} x paragraph head + (1 - {mix}) x the token head's maximum over the
  paragraph (trials: {mix_trials}); one shared threshold for micro-F1, then per-technique thresholds
  by coordinate ascent for techniques with at least 8 validation paragraphs ({per_technique}).
  Spans: one token threshold and one gap (how many word pieces under it a span may bridge) shared by
  all techniques, {tau} and {gap} (span F1 {span_f1_shared_settings}), then per-technique settings by
  coordinate ascent on span F1 for techniques with at least 15 validation spans ({per_span}). Spans are
  reported only for a paragraph's labels; a labelled paragraph with no token over the span threshold
  shows its strongest run of tokens.
- **Validation** ({articles} articles, {paragraphs} paragraphs, held out of fine-tuning): paragraph
  micro-F1 {paragraph_micro_f1}, macro-F1 {paragraph_macro_f1}, span F1 {span_f1}; mean labels per
  paragraph {mean_labels_per_paragraph}; the most frequent technique is on {max_share_of_paragraphs}
  of paragraphs. These are optimistic: the thresholds were chosen on these same articles.
- **Train**: `spinscope train {command} --data ../shared/data --out runs/persuasion` ({minutes}),
  then copy `runs/persuasion/encoder` and `runs/persuasion/persuasion` into `src/spinscope/models/` and
  retrain every head that reads the encoder (`spinscope train frames|checkworthy|causal|portrayal|roles|actors|narratives`).
  Resumable from `runs/persuasion/checkpoints`.
- **Evaluate**: `spinscope eval persuasion --split dev` and `spinscope eval persuasion-spans --split dev`
  (results in the README).
- **Limits**: English only (a paragraph that does not look English gets a `persuasion-language`
  warning and no labels); trained on one corpus of 2019–2022 news and propaganda sites.
"""
