"""Train the article-level heads (genre, frames) on SemEval-2023 Task 3 train articles.

Features come from the bundled int8 ONNX encoder, exactly as at run time. Hyper-parameters and
thresholds are chosen by stratified 5-fold cross-validation on train; dev is never read here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from .. import __version__
from ..document import Document
from ..features import STYLE_NAMES, article_features
from ..heads import LinearHead
from ..pipeline import build
from ..runtime import feature_cache


def encode(docs: list[Document], *, style: bool, desc: str) -> np.ndarray:
    """Feature rows for ``docs`` from the bundled encoder, cached on disk per text and encoder version."""
    encoder = build(["spinscope.encoder.v1"])
    # Keyed on the encoder's fingerprint, so a re-exported model or changed batching recomputes.
    version = encoder.components[0].encoder_.fingerprint
    cache_dir = feature_cache("features", version)
    paths = [cache_dir / f"{hashlib.sha1(doc.text.encode()).hexdigest()}.npy" for doc in docs]
    todo = [doc for doc, path in zip(docs, paths, strict=True) if not path.is_file()]
    by_text = {}
    for doc in tqdm(encoder.pipe(todo, batch_size=8), total=len(todo), desc=desc, unit="article"):
        by_text[doc.text] = article_features(doc, style=True)  # cache both; slice below
        doc.cache.clear()  # token states are large; only the feature row is kept
    for doc, path in zip(docs, paths, strict=True):
        if doc.text in by_text:
            np.save(path, by_text[doc.text])
    rows = np.stack([np.load(path) for path in paths])
    return rows if style else rows[:, : -len(STYLE_NAMES)]


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale for standardising the feature columns (scale never zero)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-6, scale, 1.0)


def cv_scores(
    x: np.ndarray, y: np.ndarray, *, fit: Callable[[np.ndarray, np.ndarray], LogisticRegression], strata: np.ndarray, seed: int
) -> np.ndarray:
    """Out-of-fold probabilities of ``fit`` (5 folds stratified on ``strata``)."""
    out = np.zeros((len(x), y.shape[1] if y.ndim == 2 else len(np.unique(y))))
    for train_idx, test_idx in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, strata):
        mean, scale = standardise(x[train_idx])
        xs, xt = (x[train_idx] - mean) / scale, (x[test_idx] - mean) / scale
        if y.ndim == 2:
            for j in range(y.shape[1]):
                out[test_idx, j] = fit(xs, y[train_idx, j]).predict_proba(xt)[:, 1]
        else:
            out[test_idx] = fit(xs, y[train_idx]).predict_proba(xt)
    return out


def held_out_ids(key: str = "held_out_ids") -> frozenset[str]:
    """Train IDs the bundled encoder was *not* fine-tuned on (empty for the base encoder).

    Features of texts the encoder was fine-tuned on are fitted too well, so cross-validation over
    them is optimistic; heads whose labels the fine-tuning saw choose their settings on these instead.
    ``held_out_ids``: SemEval-2023 en train articles; ``held_out_causal_ids``: CNC train sentences;
    ``held_out_roles_ids``: SemEval-2025 en train articles. Read from the config of the encoder the
    head is fitted on (``encoder.default_dir()``).
    """
    from ..encoder import default_dir

    config = json.loads((default_dir() / "config.json").read_text(encoding="utf-8"))
    return frozenset(config.get(key, ()))


def held_out_scores(
    x: np.ndarray, y: np.ndarray, *, fit: Callable[[np.ndarray, np.ndarray], LogisticRegression], held_out: np.ndarray
) -> np.ndarray:
    """Probabilities for the ``held_out`` rows from ``fit`` on the other rows (multi-label ``y``)."""
    mean, scale = standardise(x[~held_out])
    xs, xt = (x[~held_out] - mean) / scale, (x[held_out] - mean) / scale
    return np.stack([fit(xs, y[~held_out, j]).predict_proba(xt)[:, 1] for j in range(y.shape[1])], axis=1)


def encoder_description() -> str:
    """How a model card names the encoder a head is fitted on (``encoder.default_dir()``) and its data terms."""
    from ..encoder import MULTITASK_DIR, default_dir

    if default_dir() == MULTITASK_DIR:
        return ("the multi-task encoder `models/encoder-multitask` (int8 all-MiniLM-L6-v2 fine-tuned on SemEval-2023 "
                "Task 3, Causal News Corpus, CheckThat! 2024, NewsMTSC and SemEval-2025 Task 10 train data; "
                "research use only, see its card)")  # fmt: skip
    return ("the bundled encoder `models/encoder` (int8 all-MiniLM-L6-v2 fine-tuned on SemEval-2023 Task 3 "
            "train; research use only, see its card)")  # fmt: skip


def write_model(out: Path, head: LinearHead, meta: dict, card: str) -> Path:
    """Write ``head.npz``, ``meta.json`` and ``card.md`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    head.save(out / "head.npz")
    (out / "meta.json").write_text(json.dumps({**meta, "trained_with": __version__}, indent=2) + "\n", encoding="utf-8")
    (out / "card.md").write_text(card, encoding="utf-8")
    return out
