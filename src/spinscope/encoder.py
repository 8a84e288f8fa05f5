"""The shared encoder: all-MiniLM-L6-v2, int8 ONNX, run by ONNX Runtime with ``tokenizers`` (no torch).

Each text gets one pass; texts longer than the model's window are cut into overlapping windows whose
token states are averaged where they overlap, so every token of every text has a state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelNotFound
from .runtime import MODELS_DIR, load_session, load_tokenizer

ENCODER_DIR = MODELS_DIR / "encoder"


@dataclass(slots=True)
class Encoded:
    """One text's encoder output; special tokens dropped, offsets are ``[start, end)`` chars into the text."""

    states: np.ndarray  # float32 [n_tokens, hidden]: last hidden state of each word piece
    offsets: np.ndarray  # int32 [n_tokens, 2]: character span of each word piece
    vector: np.ndarray  # float32 [hidden]: mean over [CLS] + tokens + [SEP], as sentence-transformers pools
    unit: np.ndarray  # float32 [hidden]: ``vector`` scaled to unit length (sentence-transformers' output)
    n_windows: int = 1

    @property
    def n_tokens(self) -> int:
        """How many word pieces the text has (special tokens excluded)."""
        return int(self.states.shape[0])

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[i, j)`` of the tokens that overlap the character span ``[start, end)``."""
        i = int(np.searchsorted(self.offsets[:, 1], start, side="right"))
        j = int(np.searchsorted(self.offsets[:, 0], end, side="left"))
        return i, max(i, j)

    def pool(self, start: int, end: int) -> np.ndarray | None:
        """Mean token state over the character span ``[start, end)``; None if no token overlaps it."""
        i, j = self.token_range(start, end)
        return self.states[i:j].mean(axis=0) if j > i else None


class Encoder:
    """Encodes texts in length-sorted batches, one ONNX Runtime call per batch."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        max_tokens: int | None = None,
        overlap: int | None = None,
        batch_tokens: int | None = None,
        max_batch: int | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else ENCODER_DIR
        config_path = self.path / "config.json"
        if not config_path.is_file():
            raise ModelNotFound(f"encoder config {config_path} is missing; reinstall spinscope")
        self.config: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
        self.max_tokens = int(max_tokens or self.config["max_tokens"])
        self.overlap = int(overlap if overlap is not None else self.config["overlap"])
        self.batch_tokens = int(batch_tokens or self.config.get("batch_tokens", 4096))
        self.max_batch = int(max_batch or self.config.get("max_batch", 64))
        if not 0 <= self.overlap < self.max_tokens - 2:
            raise ValueError(f"overlap must be in [0, {self.max_tokens - 2}), got {self.overlap}")
        self.session_ = load_session(self.path / self.config.get("model", "model.int8.onnx"))
        self.tokenizer_ = load_tokenizer(self.path / self.config.get("tokenizer", "tokenizer.json"))
        self.cls_id_ = self.tokenizer_.token_to_id(self.config.get("cls_token", "[CLS]"))
        self.sep_id_ = self.tokenizer_.token_to_id(self.config.get("sep_token", "[SEP]"))
        self.pad_id_ = self.tokenizer_.token_to_id(self.config.get("pad_token", "[PAD]"))
        self.hidden_size = int(self.config["hidden_size"])
        self.output_name_ = self.config.get("output", "token_states")
        self.version = str(self.config.get("version", "1"))
        self.name = str(self.config.get("name", "encoder"))

    def windows(self, n_tokens: int) -> list[tuple[int, int]]:
        """Token ranges ``[a, b)`` of the windows that cover ``n_tokens`` content tokens."""
        size = self.max_tokens - 2  # room for [CLS] and [SEP]
        if n_tokens <= size:
            return [(0, n_tokens)]
        step = size - self.overlap
        starts = list(range(0, n_tokens - size, step))
        # The last window ends at the text's end, so it is full and no token sits alone at an edge.
        starts.append(n_tokens - size)
        return [(a, a + size) for a in starts]

    def encode(self, texts: list[str]) -> list[Encoded]:
        """Token states, offsets and pooled vectors for each text, in input order."""
        if not texts:
            return []
        encodings = self.tokenizer_.encode_batch(list(texts), add_special_tokens=False)
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        # Every window of every text, then run them shortest first so a batch pads little.
        jobs = [(t, a, b) for t, x in enumerate(ids) for a, b in self.windows(len(x))]
        order = sorted(range(len(jobs)), key=lambda k: jobs[k][2] - jobs[k][1])
        outputs: list[np.ndarray | None] = [None] * len(jobs)
        for batch in self._batches(order, jobs):
            states = self._run([ids[jobs[k][0]][jobs[k][1] : jobs[k][2]] for k in batch])
            for row, k in enumerate(batch):
                length = jobs[k][2] - jobs[k][1] + 2
                outputs[k] = states[row, :length]
        by_text: list[list[tuple[int, int, np.ndarray]]] = [[] for _ in texts]
        for (t, a, b), out in zip(jobs, outputs, strict=True):
            assert out is not None
            by_text[t].append((a, b, out))
        return [self._stitch(len(x), encodings[t].offsets, by_text[t]) for t, x in enumerate(ids)]

    def _batches(self, order: list[int], jobs: list[tuple[int, int, int]]) -> list[list[int]]:
        # Greedy over length-sorted windows: the padded batch (count x longest) stays under the budget.
        batches: list[list[int]] = []
        current: list[int] = []
        for k in order:
            length = jobs[k][2] - jobs[k][1] + 2
            if current and ((len(current) + 1) * length > self.batch_tokens or len(current) >= self.max_batch):
                batches.append(current)
                current = []
            current.append(k)
        if current:
            batches.append(current)
        return batches

    def _run(self, pieces: list[np.ndarray]) -> np.ndarray:
        width = max(len(p) for p in pieces) + 2
        input_ids = np.full((len(pieces), width), self.pad_id_, dtype=np.int64)
        mask = np.zeros((len(pieces), width), dtype=np.int64)
        for row, p in enumerate(pieces):
            input_ids[row, 0] = self.cls_id_
            input_ids[row, 1 : len(p) + 1] = p
            input_ids[row, len(p) + 1] = self.sep_id_
            mask[row, : len(p) + 2] = 1
        (states,) = self.session_.run([self.output_name_], {"input_ids": input_ids, "attention_mask": mask})
        return np.asarray(states, dtype=np.float32)

    def _stitch(
        self, n: int, offsets: list[tuple[int, int]], windows: list[tuple[int, int, np.ndarray]]
    ) -> Encoded:
        hidden = self.hidden_size
        if len(windows) == 1:
            states = windows[0][2][1 : n + 1].copy()
            cls, sep = windows[0][2][0], windows[0][2][n + 1]
        else:
            total = np.zeros((n, hidden), dtype=np.float32)
            count = np.zeros((n, 1), dtype=np.float32)
            for a, b, out in windows:
                total[a:b] += out[1:-1]
                count[a:b] += 1
            states = total / count
            # [CLS] and [SEP] differ per window; their average stands for the whole text's.
            cls = np.mean([out[0] for _, _, out in windows], axis=0)
            sep = np.mean([out[-1] for _, _, out in windows], axis=0)
        vector = ((states.sum(axis=0) + cls + sep) / (n + 2)).astype(np.float32)
        norm = float(np.linalg.norm(vector))
        unit = vector / norm if norm > 0 else vector.copy()
        offs = np.asarray(offsets, dtype=np.int32).reshape(n, 2)
        return Encoded(states=states, offsets=offs, vector=vector, unit=unit, n_windows=len(windows))
