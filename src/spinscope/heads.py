"""Small task heads over the shared encoder's vectors: a standardised linear layer stored as ``.npz``.

A head is plain numpy at run time (no scikit-learn, no torch); training writes the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from .document import Label
from .errors import ModelNotFound


@dataclass
class LinearHead:
    """``scores = act((x - mean) / scale @ weights.T + bias)``; softmax for one label, sigmoid for many.

    Arrays are read-only once scored: the layer is folded and cached on first use.
    """

    labels: list[str]
    weights: np.ndarray  # [n_labels, n_features]
    bias: np.ndarray  # [n_labels]
    mean: np.ndarray  # [n_features]
    scale: np.ndarray  # [n_features]
    thresholds: np.ndarray  # [n_labels]; a label is reported when its score passes its threshold
    multilabel: bool

    @cached_property
    def _folded(self) -> tuple[np.ndarray, np.ndarray]:
        # The standardisation folded into the layer, weights stored contiguous as the right operand:
        # BLAS was ten times slower on the transposed view ``weights.T`` (narratives' 700-label heads).
        w = self.weights / self.scale[None, :]
        return np.ascontiguousarray(w.T, dtype=np.float32), (self.bias - w @ self.mean).astype(np.float32)

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Label scores for feature rows ``x`` ([n, n_features] -> [n, n_labels])."""
        w, b = self._folded
        z = np.asarray(x, dtype=np.float32) @ w + b
        if self.multilabel:
            # Labels never seen in training sit near -20; the clip keeps exp from overflowing.
            return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def decide(self, scores: np.ndarray) -> list[Label]:
        """The labels of one row that pass their thresholds, highest first (argmax for single-label)."""
        if not self.multilabel:
            best = int(np.argmax(scores))
            return [Label(self.labels[best], round(float(scores[best]), 4))]
        keep = [Label(lab, round(float(s), 4)) for lab, s, t in zip(self.labels, scores, self.thresholds, strict=True) if s >= t]
        return sorted(keep, key=lambda lab: -lab.score)

    def save(self, path: Path) -> None:
        """Write the head as a compressed ``.npz``."""
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32),
            thresholds=self.thresholds.astype(np.float32),
            multilabel=np.array(self.multilabel),
        )

    @classmethod
    def load(cls, path: Path) -> LinearHead:
        """Read a head written by :meth:`save`."""
        if not path.is_file():
            raise ModelNotFound(f"model file {path} is missing; reinstall spinscope or retrain with `spinscope train`")
        with np.load(path, allow_pickle=False) as z:
            return cls(
                labels=[str(s) for s in z["labels"]],
                weights=z["weights"],
                bias=z["bias"],
                mean=z["mean"],
                scale=z["scale"],
                thresholds=z["thresholds"],
                multilabel=bool(z["multilabel"]),
            )


@dataclass(frozen=True)
class WordPieceBag:
    """A linear model over a bag of word pieces: ``logits = tfidf(pieces) @ weights + bias``.

    The tf-idf is scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` (l2-normalised ``(1 + log
    count) x idf``) over ids of the encoder's own vocabulary, so the ids come from the encoder pass
    that already ran. It gives a head the exact-word evidence ("per cent", "according to") that
    pooled states blur; its logits are more input columns of the head that stacks it (the
    check-worthiness head).
    """

    idf: np.ndarray  # float32 [n_features]
    weights: np.ndarray  # float32 [n_features, n_outputs]
    bias: np.ndarray  # float32 [n_outputs]

    def logits(self, ids: np.ndarray) -> np.ndarray:
        """The model's logits [n_outputs] for one bag of feature ids (none: the bias alone)."""
        pieces, counts = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
        x = (1.0 + np.log(counts)) * self.idf[pieces]
        norm = float(np.sqrt(x @ x))
        if norm == 0:
            return self.bias.astype(np.float32)
        return ((x / norm) @ self.weights[pieces] + self.bias).astype(np.float32)

    def save(self, path: Path) -> None:
        """Write the model as a compressed ``.npz``."""
        np.savez_compressed(path, idf=self.idf.astype(np.float32), weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32))

    @classmethod
    def load(cls, path: Path) -> WordPieceBag:
        """Read a model written by :meth:`save`."""
        if not path.is_file():
            raise ModelNotFound(f"model file {path} is missing; reinstall spinscope or retrain with `spinscope train`")
        with np.load(path, allow_pickle=False) as z:
            return cls(idf=z["idf"], weights=z["weights"], bias=z["bias"])
