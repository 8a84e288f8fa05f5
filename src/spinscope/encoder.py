"""The shared encoder: all-MiniLM-L6-v2, int8 ONNX, run by ONNX Runtime with ``tokenizers`` (no torch).

Each text gets one pass; texts longer than the model's window are cut into overlapping windows whose
token states are averaged where they overlap, so every token of every text has a state.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelNotFound
from .runtime import MODELS_DIR, load_session, load_tokenizer

ENCODER_DIR = MODELS_DIR / "encoder"
# The encoder the frames, causal and portrayal heads read: the same base fine-tuned on the claims and actors tasks' train data
# beside persuasion (``spinscope train multitask``). It runs as a second pass: see the README, *Design*.
MULTITASK_DIR = MODELS_DIR / "encoder-multitask"
ENCODER_NAMES = (ENCODER_DIR.name, MULTITASK_DIR.name)

_default_dir = ENCODER_DIR


def default_dir() -> Path:
    """The folder ``Encoder()`` loads when given no path: ``models/encoder`` unless :func:`using` says otherwise."""
    return _default_dir


@contextmanager
def using(name: str | None) -> Iterator[Path]:
    """Make the bundled encoder ``name`` (a folder under ``models/``) the default within the block.

    Training and evaluation build their features with ``Encoder()``; a head that reads the multi-task
    encoder is trained and scored inside ``using("encoder-multitask")``. None keeps the default.
    """
    global _default_dir
    if name is None:
        yield _default_dir
        return
    if name not in ENCODER_NAMES:
        raise ValueError(f"unknown encoder {name!r}; choose one of: {', '.join(ENCODER_NAMES)}")
    previous, _default_dir = _default_dir, MODELS_DIR / name
    try:
        yield _default_dir
    finally:
        _default_dir = previous


def count_word_pieces(text: str) -> int:
    """How many word pieces the bundled encoders' tokenizer cuts ``text`` into (no special tokens).

    Both bundled encoders share the base model's tokenizer; memory and time grow with this count.
    """
    return len(load_tokenizer(ENCODER_DIR / "tokenizer.json").encode(text, add_special_tokens=False).ids)


def head_encoder(meta: dict[str, Any] | None) -> str:
    """The encoder folder a head's ``meta.json`` says it was fitted on (heads from before it was recorded: ``encoder``)."""
    return str((meta or {}).get("encoder", ENCODER_DIR.name))


@dataclass(slots=True)
class Encoded:
    """One text's encoder output; special tokens dropped, offsets are ``[start, end)`` chars into the text."""

    states: np.ndarray  # float32 [n_tokens, hidden]: last hidden state of each word piece
    offsets: np.ndarray  # int32 [n_tokens, 2]: character span of each word piece
    vector: np.ndarray  # float32 [hidden]: mean over [CLS] + tokens + [SEP], as sentence-transformers pools
    unit: np.ndarray  # float32 [hidden]: ``vector`` scaled to unit length (sentence-transformers' output)
    n_windows: int = 1
    ids: np.ndarray | None = None  # int32 [n_tokens]: each word piece's vocabulary id (bag-of-pieces heads)
    # Running sums of ``states`` (float64, one leading zero row), built on first use by ``span_mean``.
    prefix_: np.ndarray | None = field(default=None, repr=False, compare=False)

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
        return self.span_mean(i, j) if j > i else None

    def span_sum(self, i: int, j: int) -> np.ndarray:
        """Sum of the states of tokens ``[i, j)`` (float64), from running sums built on first use.

        Heads that pool many overlapping spans of one paragraph (every mention, its sentence, its
        context windows) pay one subtraction per span instead of a numpy reduction: that was half
        the actors component's time.
        """
        if self.prefix_ is None:
            prefix = np.zeros((len(self.states) + 1, self.states.shape[1]), dtype=np.float64)
            prefix[1:] = self.states
            # Row by row: the same sums in the same order as np.cumsum(axis=0), bit for bit, but numpy's
            # cumsum down the rows of a float32 array took 6-8x as long (1.18 ms against 0.15 ms for 200
            # tokens), 7 ms of every article once each pass's sums were built per paragraph.
            for row in range(1, len(prefix)):
                prefix[row] += prefix[row - 1]
            self.prefix_ = prefix
        return self.prefix_[j] - self.prefix_[i] if j > i else np.zeros(self.states.shape[1])

    def span_mean(self, i: int, j: int) -> np.ndarray:
        """Mean state (float32) of tokens ``[i, j)``; zeros when the range is empty."""
        return (self.span_sum(i, j) / max(1, j - i)).astype(np.float32)


def fingerprint(folder: Path | str) -> str:
    """The fingerprint ``Encoder(folder).fingerprint`` has with the folder's own settings.

    Heads compare it with the one their meta.json records; this reads the config and hashes the
    model file without building an ONNX Runtime session. An encoder that runs on another's bottom
    layers (``"trunk"`` in its config) counts that encoder's fingerprint among its settings.
    """
    folder = Path(folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return _file_fingerprint(folder / config.get("model", "model.int8.onnx"), (*_settings(config), *_trunk_key(config)))


def _trunk_key(config: dict[str, Any]) -> tuple[str, ...]:
    trunk = config.get("trunk")
    return (trunk["encoder"], trunk["fingerprint"], str(trunk["layers"])) if trunk else ()


def _settings(config: dict[str, Any], **overrides: int | None) -> tuple[int, int, int, int, int]:
    """(max_tokens, overlap, batch_tokens, max_batch, call_tokens): the config's, unless overridden."""
    max_tokens, overlap = overrides.get("max_tokens"), overrides.get("overlap")
    batch_tokens, max_batch = overrides.get("batch_tokens"), overrides.get("max_batch")
    return (
        int(max_tokens or config["max_tokens"]),
        int(overlap if overlap is not None else config["overlap"]),
        int(batch_tokens or config.get("batch_tokens", 1024)),
        int(max_batch or config.get("max_batch", 64)),
        # What one ONNX call costs beyond its tokens, in tokens' worth of time; it decides when padding
        # is cheaper than another call. Measured on en train articles, 2 cores: 8-16 is best, and
        # beats both one call per paragraph (-12% CPU) and a greedy 1024-token budget (-40% time).
        int(config.get("call_tokens", 12)),
    )


def _file_fingerprint(model_file: Path, settings: tuple[int, ...]) -> str:
    stat = model_file.stat()
    return _fingerprint(model_file, (stat.st_size, stat.st_mtime_ns), settings)


@lru_cache(maxsize=8)
def _fingerprint(model_file: Path, stamp: tuple[int, int], settings: tuple[int, ...]) -> str:
    # Cached on the file's size and mtime too, so a model re-exported in the same process is hashed
    # again; hashing the 20+ MB model costs tens of milliseconds and every head that checks asks.
    digest = hashlib.sha1()
    with open(model_file, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    digest.update(repr(settings).encode())
    return digest.hexdigest()[:16]


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
        self.path = Path(path) if path is not None else default_dir()
        config_path = self.path / "config.json"
        if not config_path.is_file():
            raise ModelNotFound(f"encoder config {config_path} is missing; reinstall spinscope")
        self.config: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
        self.max_tokens, self.overlap, self.batch_tokens, self.max_batch, self.call_tokens = _settings(
            self.config,
            max_tokens=max_tokens,
            overlap=overlap,
            batch_tokens=batch_tokens,
            max_batch=max_batch,
        )
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
        # An encoder fine-tuned above another's frozen bottom layers (``spinscope train multitask --trunk K``)
        # keeps only its top layers; its inputs are the trunk's layer-K states and mask index.
        self.trunk: dict[str, Any] | None = self.config.get("trunk")
        self.trunk_session_ = self._trunk_session() if self.trunk else None
        # Encoders that run on this one's bottom layers, computed in the same pass (:meth:`share_trunk`).
        self.branches_: list[Encoder] = []

    def _trunk_session(self) -> Any:
        assert self.trunk is not None
        folder = MODELS_DIR / self.trunk["encoder"]
        current = fingerprint(folder)
        if current != self.trunk["fingerprint"]:
            raise ModelNotFound(
                f"encoder {self.path} runs on the bottom layers of {folder} as it was when exported "
                f"(fingerprint {self.trunk['fingerprint']}), but that model is now {current}: re-export it"
            )
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        return load_session(folder / config.get("model", "model.int8.onnx"))

    def share_trunk(self, branch: Encoder) -> bool:
        """Compute ``branch``'s states in this encoder's pass when it runs on this encoder's bottom layers.

        Returns whether it does: :meth:`encode_shared` then returns both encoders' outputs from one
        run of the shared layers. The windows and batches are this encoder's, so they must be the
        branch's too (same settings); otherwise the branch is left to run alone.
        """
        trunk = branch.trunk
        # An encoder that is itself a top over a trunk computes no layer states to share (``_run``).
        if self.trunk or not trunk or trunk["encoder"] != self.path.name or trunk["fingerprint"] != fingerprint(self.path):
            return False
        ours = (self.max_tokens, self.overlap, self.batch_tokens, self.max_batch, self.call_tokens)
        if ours != (branch.max_tokens, branch.overlap, branch.batch_tokens, branch.max_batch, branch.call_tokens):
            return False
        self.branches_.append(branch)
        return True

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the model file and of every setting that changes outputs (windows, batching, trunk)."""
        settings = (self.max_tokens, self.overlap, self.batch_tokens, self.max_batch, self.call_tokens)
        return _file_fingerprint(self.path / self.config.get("model", "model.int8.onnx"), (*settings, *_trunk_key(self.config)))

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

    def encode(self, texts: list[str], *, groups: list[int] | None = None) -> list[Encoded]:
        """Token states, offsets and pooled vectors for each text, in input order.

        Dynamic int8 quantisation scales activations per batch, so a text's output depends slightly on
        its batch-mates. ``groups`` (one id per text, e.g. its document) keeps texts of different groups
        out of each other's batches: a group's results then depend on that group alone.
        """
        return self._encode(texts, groups, branches=False)[0]

    def encode_shared(self, texts: list[str], *, groups: list[int] | None = None) -> list[list[Encoded]]:
        """:meth:`encode` for this encoder and each of its branches (:meth:`share_trunk`), in that order.

        The shared bottom layers run once; each branch's outputs are exactly those it computes alone.
        """
        return self._encode(texts, groups, branches=True)

    def _encode(self, texts: list[str], groups: list[int] | None, *, branches: bool) -> list[list[Encoded]]:
        models = 1 + (len(self.branches_) if branches else 0)
        if not texts:
            return [[] for _ in range(models)]
        if groups is None:
            groups = [0] * len(texts)
        elif len(groups) != len(texts):
            raise ValueError(f"groups has {len(groups)} ids for {len(texts)} texts")
        encodings = self.tokenizer_.encode_batch(list(texts), add_special_tokens=False)
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        # Every window of every text; within a group, shortest first so a batch pads little.
        jobs = [(t, a, b) for t, x in enumerate(ids) for a, b in self.windows(len(x))]
        order = sorted(range(len(jobs)), key=lambda k: (groups[jobs[k][0]], jobs[k][2] - jobs[k][1]))
        # Each text's states are summed into one array per encoder as its windows come back, allocated
        # before the first batch. Keeping a copy of every window until the end, among ONNX Runtime's
        # freed temporaries, fragmented the heap: 3.5 GB for bench/long_input.py's 180,000-piece
        # figures text with both encoders in one pass, against 1.3 GB for the same text one encoder
        # at a time.
        sums = [[np.zeros((len(x), self.hidden_size), dtype=np.float32) for x in ids] for _ in range(models)]
        edges: list[list[list[tuple[int, np.ndarray, np.ndarray]]]] = [[[] for _ in texts] for _ in range(models)]
        for batch in self._batches(order, jobs, groups):
            runs = self._run([ids[jobs[k][0]][jobs[k][1] : jobs[k][2]] for k in batch], branches=branches)
            for m, states in enumerate(runs):
                for row, k in enumerate(batch):
                    t, a, b = jobs[k]
                    _add_window(sums[m][t], edges[m][t], a, b, states[row])
        return [
            [self._finish(x, encodings[t].offsets, sums[m][t], edges[m][t]) for t, x in enumerate(ids)]
            for m in range(models)
        ]

    def _batches(
        self, order: list[int], jobs: list[tuple[int, int, int]], groups: list[int]
    ) -> list[list[int]]:
        # Split each group's length-sorted windows into runs of consecutive windows, one batch each.
        batches: list[list[int]] = []
        start = 0
        for end in range(1, len(order) + 1):
            if end == len(order) or groups[jobs[order[end]][0]] != groups[jobs[order[start]][0]]:
                run = order[start:end]
                lengths = [jobs[k][2] - jobs[k][1] + 2 for k in run]
                batches.extend([run[a:b] for a, b in self._split(lengths)])
                start = end
        return batches

    def _split(self, lengths: list[int]) -> list[tuple[int, int]]:
        """Cut ascending ``lengths`` into batches ``[a, b)`` that minimise padded tokens plus per-call cost.

        A batch costs ``count x longest`` tokens (every row is padded to the longest) plus a fixed
        ``call_tokens`` for the call itself; dynamic programming over the cut points, O(n x max_batch).
        """
        n = len(lengths)
        best = [0.0] + [float("inf")] * n
        cut = [0] * (n + 1)
        for b in range(1, n + 1):
            longest = lengths[b - 1]
            for a in range(b - 1, max(-1, b - 1 - self.max_batch), -1):
                count = b - a
                if count > 1 and count * longest > self.batch_tokens:
                    break
                cost = best[a] + self.call_tokens + count * longest
                if cost < best[b]:
                    best[b], cut[b] = cost, a
        spans = []
        b = n
        while b > 0:
            spans.append((cut[b], b))
            b = cut[b]
        return spans[::-1]

    def _run(self, pieces: list[np.ndarray], *, branches: bool = False) -> list[np.ndarray]:
        """This encoder's token states for one padded batch, then each branch's if ``branches``."""
        width = max(len(p) for p in pieces) + 2
        input_ids = np.full((len(pieces), width), self.pad_id_, dtype=np.int64)
        mask = np.zeros((len(pieces), width), dtype=np.int64)
        for row, p in enumerate(pieces):
            input_ids[row, 0] = self.cls_id_
            input_ids[row, 1 : len(p) + 1] = p
            input_ids[row, len(p) + 1] = self.sep_id_
            mask[row, : len(p) + 2] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if self.trunk_session_ is not None:
            return [self._top(self.trunk_session_.run(self._trunk_outputs(), feeds))]
        if not (branches and self.branches_):
            (states,) = self.session_.run([self.output_name_], feeds)
            return [np.asarray(states, dtype=np.float32)]
        wanted = [self.output_name_, *dict.fromkeys(name for b in self.branches_ for name in b._trunk_outputs())]
        values = dict(zip(wanted, self.session_.run(wanted, feeds), strict=True))
        branch_states = [b._top([values[name] for name in b._trunk_outputs()]) for b in self.branches_]
        return [np.asarray(values[self.output_name_], dtype=np.float32), *branch_states]

    def _trunk_outputs(self) -> list[str]:
        # The trunk tensors this encoder's top layers read, in the order of ``_top``'s arguments.
        assert self.trunk is not None
        return [self.trunk["states"], self.trunk["mask_index"]]

    def _top(self, trunk_values: list[np.ndarray]) -> np.ndarray:
        feeds = dict(zip(self._trunk_outputs(), trunk_values, strict=True))
        (states,) = self.session_.run([self.output_name_], feeds)
        return np.asarray(states, dtype=np.float32)

    def _stitch(
        self, ids: np.ndarray, offsets: list[tuple[int, int]], windows: list[tuple[int, int, np.ndarray]]
    ) -> Encoded:
        """The Encoded text from its windows' outputs ``(a, b, [CLS] + states + [SEP])``, in window order."""
        total = np.zeros((len(ids), self.hidden_size), dtype=np.float32)
        edges: list[tuple[int, np.ndarray, np.ndarray]] = []
        for a, b, out in windows:
            _add_window(total, edges, a, b, out)
        return self._finish(ids, offsets, total, edges)

    def _finish(
        self, ids: np.ndarray, offsets: list[tuple[int, int]], total: np.ndarray, edges: list[tuple[int, np.ndarray, np.ndarray]]
    ) -> Encoded:
        # ``total``: the sum of the windows' states per token (:func:`_add_window`), averaged here in place.
        n = len(ids)
        states = total
        if len(edges) == 1:
            cls, sep = edges[0][1], edges[0][2]
        else:
            count = np.zeros((n, 1), dtype=np.float32)
            for a, b in self.windows(n):
                count[a:b] += 1
            states /= count
            # [CLS] and [SEP] differ per window; their average stands for the whole text's.
            edges.sort(key=lambda e: e[0])
            cls = np.mean([e[1] for e in edges], axis=0)
            sep = np.mean([e[2] for e in edges], axis=0)
        vector = ((states.sum(axis=0) + cls + sep) / (n + 2)).astype(np.float32)
        norm = float(np.linalg.norm(vector))
        unit = vector / norm if norm > 0 else vector.copy()
        offs = np.asarray(offsets, dtype=np.int32).reshape(n, 2)
        return Encoded(
            states=states, offsets=offs, vector=vector, unit=unit, n_windows=len(edges), ids=ids.astype(np.int32)
        )


def _add_window(total: np.ndarray, edges: list[tuple[int, np.ndarray, np.ndarray]], a: int, b: int, out: np.ndarray) -> None:
    """Add one window's output (``[CLS]``, the states of tokens ``a..b``, ``[SEP]``, then any padding) to
    its text's running ``total`` and keep its ``[CLS]`` and ``[SEP]`` rows in ``edges``."""
    if a == 0 and b == len(total):  # the text's only window: its states as they are
        total[:] = out[1 : b + 1]
    else:
        total[a:b] += out[1 : b - a + 1]
    edges.append((a, out[0].copy(), out[b - a + 1].copy()))
