"""Small task heads over the shared encoder's vectors, stored as ``.npz``: a standardised linear layer,
and a linear layer over RBF-kernel similarities to the training rows (:class:`KernelHead`).

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

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays :meth:`save` writes (a :class:`KernelHead` writes them beside its own)."""
        return {
            "labels": np.array(self.labels),
            "weights": self.weights.astype(np.float32),
            "bias": self.bias.astype(np.float32),
            "mean": self.mean.astype(np.float32),
            "scale": self.scale.astype(np.float32),
            "thresholds": self.thresholds.astype(np.float32),
            "multilabel": np.array(self.multilabel),
        }

    def save(self, path: Path) -> None:
        """Write the head as a compressed ``.npz``."""
        np.savez_compressed(path, **self.arrays())

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


@dataclass
class KernelHead:
    """A kernel logistic regression: a :class:`LinearHead` over ``exp(-gamma * |z - anchor|^2)``.

    ``z`` is ``columns`` of a feature row, standardised; the anchors are the training rows in the same
    space (stored float16: the kernel values move by < 1e-3). It draws non-linear boundaries that a
    linear head over the same vectors cannot (the role heads: which actor an article casts as what
    depends on the mention *and* the article together) and is still two matrix products at run time.
    """

    columns: np.ndarray  # int [n_columns]: which features of a row the kernel reads
    mean: np.ndarray  # [n_columns]
    scale: np.ndarray  # [n_columns]
    anchors: np.ndarray  # [n_anchors, n_columns], standardised
    gamma: float
    linear: LinearHead  # over the n_anchors kernel values

    @property
    def labels(self) -> list[str]:
        return self.linear.labels

    def kernel(self, x: np.ndarray) -> np.ndarray:
        """RBF similarities of feature rows ``x`` to the anchors ([n, n_features] -> [n, n_anchors])."""
        z = (np.asarray(x, dtype=np.float32)[:, self.columns] - self.mean) / self.scale
        return rbf_kernel(z, self.anchors, self.gamma)

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Label scores for feature rows ``x`` ([n, n_features] -> [n, n_labels])."""
        return self.linear.scores(self.kernel(x))

    def decide(self, scores: np.ndarray) -> list[Label]:
        """As :meth:`LinearHead.decide`."""
        return self.linear.decide(scores)

    def save(self, path: Path) -> None:
        """Write the head as a compressed ``.npz`` (the linear layer's arrays plus the kernel's)."""
        np.savez_compressed(
            path,
            **self.linear.arrays(),
            kernel_columns=self.columns.astype(np.int32),
            kernel_mean=self.mean.astype(np.float32),
            kernel_scale=self.scale.astype(np.float32),
            kernel_anchors=self.anchors.astype(np.float16),
            kernel_gamma=np.array(self.gamma, dtype=np.float64),
        )

    @classmethod
    def load(cls, path: Path) -> KernelHead:
        """Read a head written by :meth:`save`."""
        head = load_head(path)
        if not isinstance(head, KernelHead):
            raise ModelNotFound(f"model file {path} is a linear head, not a kernel head")
        return head


def rbf_kernel(z: np.ndarray, anchors: np.ndarray, gamma: float) -> np.ndarray:
    """``exp(-gamma * |z_i - anchor_j|^2)`` for rows ``z`` [n, d] and ``anchors`` [m, d] -> [n, m]."""
    z = np.asarray(z, dtype=np.float32)
    a = np.asarray(anchors, dtype=np.float32)
    d = (z * z).sum(axis=1)[:, None] + (a * a).sum(axis=1)[None, :] - 2.0 * (z @ a.T)
    return np.exp(-gamma * np.maximum(d, 0.0)).astype(np.float32)


def load_head(path: Path) -> LinearHead | KernelHead:
    """Read a head written by :meth:`LinearHead.save` or :meth:`KernelHead.save`, whichever it is."""
    linear = LinearHead.load(path)
    with np.load(path, allow_pickle=False) as z:
        if "kernel_anchors" not in z.files:
            return linear
        return KernelHead(
            columns=z["kernel_columns"].astype(np.int64),
            mean=z["kernel_mean"],
            scale=z["kernel_scale"],
            anchors=z["kernel_anchors"].astype(np.float32),
            gamma=float(z["kernel_gamma"]),
            linear=linear,
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
