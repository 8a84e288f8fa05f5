"""Rebuild paragraphs from badly extracted text and flag places where words were lost.

Bad extractions put every hyperlink's text on a line of its own, so one paragraph arrives as several
lines; some drop the link's words and leave a hole. ``rebuild`` looks at every line break:

1. a small cross-encoder (all-MiniLM-L6-v2 fine-tuned on damaged SemEval-2023 train articles, int8
   ONNX) reads the words either side of the break and says whether a sentence ends there, runs on
   intact, or has lost words (see ``spinscope/models/repair/card.md``);
2. a layout head (logistic regression) combines that with the page's shape (blank lines, line
   lengths, capitals, the neighbouring breaks, hard wrapping) to decide paragraph break or join;
3. a hole head (logistic regression) adds the strongest layout cue -- link text that stayed sits on
   a short line between two mid-sentence breaks, a dropped link leaves one break between ordinary
   lines -- and a join that passes its threshold becomes a ``missing-words`` warning on the words
   either side of the hole. Hard-wrapped pages, and in-line sites (a double space, a space before
   a comma), have no such cue: there the break model alone must pass a strict threshold.

Only whitespace changes: every other character of the input survives, in order.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document import Notice, Span

if TYPE_CHECKING:
    import numpy as np

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "repair"
# Tokens of context each side of a break (the model was trained with these). Short on purpose: a
# hole is a local gap, and every token costs training time on a shared 2-core machine.
LEFT_TOKENS = 16
RIGHT_TOKENS = 16
_CONTEXT_CHARS = 160
MAX_WARNING_CHARS = 80
N_LAYOUT_FEATURES = 17
N_HOLE_FEATURES = 21
# A hard-wrapped page with blank lines at fewer than this share of its breaks separates paragraphs
# without them (a blank line after the title alone does not count); see ``is_tight_page``.
TIGHT_BLANK_SHARE = 0.05

_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*$""")
_TERMINAL = re.compile(r"""[.!?…]["'”’)\]]*$|[:;]$""")
# Characters that attach to the word before them when a line starting with them is joined.
_ATTACH = re.compile(r"""^(?:[.,;:!?%)\]}”’…]|'s\b|’s\b|n't\b|n’t\b|"(?=[\s.,;:!?]|$))""")


@dataclass
class Rebuilt:
    """Cleaned text, its paragraphs (offsets into ``text``) and warnings about lost words."""

    text: str
    paragraphs: list[Span] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)


@dataclass
class Lines:
    """The non-blank lines of a raw text and, for each break between two of them, whether it was blank."""

    texts: list[str]
    blank: list[bool]  # len(texts) - 1 entries: a blank line (or more) separates line i and i + 1


def split_lines(raw: str) -> Lines:
    """The stripped non-blank lines of ``raw`` and which breaks between them hold a blank line."""
    texts: list[str] = []
    blank: list[bool] = []
    seen_blank = False
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line:
            seen_blank = True
            continue
        if texts:
            blank.append(seen_blank)
        texts.append(line)
        seen_blank = False
    return Lines(texts, blank)


def break_contexts(texts: list[str]) -> list[tuple[str, str]]:
    """For each break between consecutive lines: (words before it, words after it), lines joined by spaces."""
    pairs = []
    for i in range(len(texts) - 1):
        left, j = texts[i], i - 1
        while len(left) < _CONTEXT_CHARS and j >= 0:
            left, j = texts[j] + " " + left, j - 1
        right, j = texts[i + 1], i + 2
        while len(right) < _CONTEXT_CHARS and j < len(texts):
            right, j = right + " " + texts[j], j + 1
        pairs.append((left[-_CONTEXT_CHARS:], right[:_CONTEXT_CHARS]))
    return pairs


def encode_pairs(tokenizer: Any, pairs: list[tuple[str, str]]) -> list[tuple[list[int], list[int]]]:
    """Token ids and type ids of ``[CLS] left [SEP] right [SEP]`` with the words nearest the break kept."""
    if not pairs:
        return []
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    lefts = tokenizer.encode_batch([p[0] for p in pairs], add_special_tokens=False)
    rights = tokenizer.encode_batch([p[1] for p in pairs], add_special_tokens=False)
    out = []
    for le, ri in zip(lefts, rights, strict=True):
        # Drop padding in case the tokenizer was saved with padding switched on (MiniLM's is).
        a = [t for t, m in zip(le.ids, le.attention_mask, strict=True) if m][-LEFT_TOKENS:]
        b = [t for t, m in zip(ri.ids, ri.attention_mask, strict=True) if m][:RIGHT_TOKENS]
        ids = [cls, *a, sep, *b, sep]
        types = [0] * (len(a) + 2) + [1] * (len(b) + 1)
        out.append((ids, types))
    return out


def pad_pairs(
    encoded: list[tuple[list[int], list[int]]], idx: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, type ids and attention mask (int64) of the ``encode_pairs`` rows ``idx``, right-padded with 0."""
    import numpy as np

    width = max(len(encoded[k][0]) for k in idx)
    ids = np.zeros((len(idx), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for r, k in enumerate(idx):
        a, t = encoded[k]
        ids[r, : len(a)], types[r, : len(a)], mask[r, : len(a)] = a, t, 1
    return ids, types, mask


def tight_features(lines: Lines, probs: np.ndarray) -> np.ndarray:
    """The layout features plus one for hard-wrapped pages: would the next line's first word have fitted?

    A wrapping program breaks a line only when the next word does not fit within the page's width, so
    a line that stops although the next word fits (the longest line stands for the width) was ended on
    purpose: the end of a paragraph, when no blank line says so.
    """
    import numpy as np

    texts = lines.texts
    width = max((len(t) for t in texts), default=0)
    fits = np.array(
        [len(texts[i]) + 1 + len(texts[i + 1].split(maxsplit=1)[0]) <= width for i in range(len(texts) - 1)],
        dtype=np.float32,
    )
    return np.hstack([layout_features(lines, probs), fits[:, None]])


def layout_features(lines: Lines, probs: np.ndarray) -> np.ndarray:
    """Features of each break for the layout head: the break model's view plus the page's shape."""
    import numpy as np

    texts, n = lines.texts, len(lines.texts) - 1
    eps = 1e-4
    p0 = np.clip(probs[:, 0], eps, 1 - eps)
    logit0 = np.log(p0) - np.log1p(-p0)
    blank = np.array(lines.blank, dtype=np.float32)
    blank_frac = float(blank.mean()) if n else 0.0
    wrap = _wrap_score(texts, lines.blank)
    lens = np.array([len(t) for t in texts], dtype=np.float32)
    feats = np.zeros((n, N_LAYOUT_FEATURES), dtype=np.float32)
    for i in range(n):
        prev_l0 = logit0[i - 1] if i > 0 else 6.0
        next_l0 = logit0[i + 1] if i + 1 < n else 6.0
        next_blank = blank[i + 1] if i + 1 < n else 1.0
        ends_terminal = 1.0 if _TERMINAL.search(texts[i]) else 0.0
        first = texts[i + 1][0]
        starts_upper = 1.0 if first.isupper() or first.isdigit() else 0.0
        starts_lower = 1.0 if first.islower() else 0.0
        attach = 1.0 if _ATTACH.match(texts[i + 1]) else 0.0
        short_next = 1.0 if lens[i + 1] < 60 else 0.0
        feats[i] = (
            logit0[i] / 4,
            blank[i],
            blank[i] * logit0[i] / 4,
            1.0 if i == 0 else 0.0,
            prev_l0 / 4,
            next_l0 / 4 * short_next * (1 - next_blank),
            next_blank,
            math.log1p(lens[i]) / 5,
            math.log1p(lens[i + 1]) / 5,
            ends_terminal,
            starts_upper,
            starts_lower,
            blank_frac,
            wrap,
            wrap * (1 - blank[i]) * (1.0 if lens[i] < 0.75 * lens.max() else 0.0),
            probs[i, 2],
            attach,
        )
    return feats


def _logit(p: np.ndarray) -> np.ndarray:
    import numpy as np

    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p) - np.log1p(-p)


def _link_like(text: str) -> bool:
    # An anchor's own line: a few words, not a finished sentence.
    return len(text.split()) <= 8 and not _TERMINAL.search(text)


def hole_features(lines: Lines, probs: np.ndarray) -> np.ndarray:
    """Features of each break for the hole head: the break model's view plus what the layout says.

    The strongest layout cue: link text that stayed sits on a short line between two mid-sentence
    breaks, while a dropped link leaves a single mid-sentence break between two ordinary lines.
    """
    import numpy as np

    texts, n = lines.texts, len(lines.texts) - 1
    l0, l1, l2 = _logit(probs[:, 0]), _logit(probs[:, 1]), _logit(probs[:, 2])
    mid = probs[:, 0] < 0.5
    wrap = _wrap_score(texts, lines.blank)
    feats = np.zeros((n, N_HOLE_FEATURES), dtype=np.float32)
    for i in range(n):
        prev_link = float(i > 0 and mid[i - 1] and not lines.blank[i - 1] and _link_like(texts[i]))
        next_link = float(i + 1 < n and mid[i + 1] and not lines.blank[i + 1] and _link_like(texts[i + 1]))
        alone = (1 - prev_link) * (1 - next_link) * float(mid[i])
        terminal = 1.0 if _TERMINAL.search(texts[i]) else 0.0
        lower = 1.0 if texts[i + 1][0].islower() else 0.0
        attach = 1.0 if _ATTACH.match(texts[i + 1]) else 0.0
        feats[i] = (
            l0[i] / 4,
            l1[i] / 4,
            l2[i] / 4,
            prev_link,
            next_link,
            prev_link * next_link,
            alone,
            wrap,
            float(lines.blank[i]),
            math.log1p(len(texts[i].split())) / 3,
            math.log1p(len(texts[i + 1].split())) / 3,
            lower,
            attach,
            terminal,
            # The break model is uncased: a finished sentence followed by a lower-case word or a comma
            # is a sentence that lost its start.
            terminal * lower,
            terminal * attach,
            wrap * float(mid[i]),
            wrap * l2[i] / 4,
            wrap * alone,
            lower * l0[i] / 4,
            1.0,
        )
    return feats


def _wrap_score(texts: list[str], blank: list[bool]) -> float:
    # Hard-wrapped text: most lines that run on into the next are filled close to one width <= 100,
    # and most of them stop mid-sentence (short one-sentence paragraphs, one per line, do not).
    if len(texts) < 5:
        return 0.0
    lens = sorted(len(t) for t in texts)
    width = lens[int(0.9 * (len(lens) - 1))]
    if width > 100 or width < 30:
        return 0.0
    inner = [t for i, t in enumerate(texts[:-1]) if not blank[i]]
    if not inner or sum(1 for t in inner if not _TERMINAL.search(t)) < 0.5 * len(inner):
        return 0.0
    return sum(1 for t in inner if 0.7 * width <= len(t) <= 1.1 * width) / len(inner)


def is_tight_page(lines: Lines, *, wrap_cutoff: float, blank_share: float = TIGHT_BLANK_SHARE) -> bool:
    """Whether the page is hard-wrapped with (almost) no blank line between its paragraphs."""
    n = len(lines.blank)
    return n > 0 and sum(lines.blank) < blank_share * n and _wrap_score(lines.texts, lines.blank) >= wrap_cutoff


class RepairModel:
    """The break model (ONNX), its tokenizer, the layout and hole heads and their thresholds, from one folder."""

    def __init__(self, path: Path = MODEL_DIR) -> None:
        from ..runtime import load_session, load_tokenizer

        params = json.loads((path / "thresholds.json").read_text(encoding="utf-8"))
        self.session = load_session(path / params.get("onnx", "model.int8.onnx"))
        self.tokenizer = load_tokenizer(path / "tokenizer.json")
        self._inputs = {i.name for i in self.session.get_inputs()}
        # Heads are absent only while training fits them.
        layout = params.get("layout", {"weights": [0.0] * N_LAYOUT_FEATURES, "bias": 0.0, "threshold": 0.5})
        hole = params.get("hole", {"weights": [0.0] * N_HOLE_FEATURES, "bias": 0.0, "threshold": 0.5})
        self.layout_w, self.layout_b = layout["weights"], layout["bias"]
        self.para_threshold: float = layout["threshold"]
        # Hard-wrapped pages without blank lines between paragraphs have a head of their own: there a
        # short line is the only sign of a paragraph's end, which means nothing where blank lines say it.
        tight = params.get("layout_tight")
        self.tight_w, self.tight_b = (tight["weights"], tight["bias"]) if tight else (None, 0.0)
        self.tight_threshold: float = tight["threshold"] if tight else 0.5
        self.tight_blank_share: float = params.get("tight_blank_share", TIGHT_BLANK_SHARE)
        self.hole_w, self.hole_b = hole["weights"], hole["bias"]
        self.hole_threshold: float = hole["threshold"]
        # Hard-wrapped pages and holes inside a line have no layout cue: the break model alone, strictly.
        self.wrap_cutoff: float = params.get("wrap_cutoff", 0.5)
        self.strict_threshold: float = params.get("strict_threshold", 0.95)

    def break_probs(self, pairs: list[tuple[str, str]], *, batch_size: int = 64) -> np.ndarray:
        """P(sentence ends, runs on intact, words lost) at each break, from the words either side."""
        import numpy as np

        encoded = encode_pairs(self.tokenizer, pairs)
        out = np.zeros((len(encoded), 3), dtype=np.float32)
        # Sort by length so each batch pads little.
        order = sorted(range(len(encoded)), key=lambda k: len(encoded[k][0]))
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            ids, types, mask = pad_pairs(encoded, idx)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            logits = self.session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
            logits = logits - logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            out[idx] = e / e.sum(axis=1, keepdims=True)
        return out

    def para_probs(self, lines: Lines, probs: np.ndarray, *, tight: bool = False) -> np.ndarray:
        """P(paragraph break) at each break, from the layout head (``tight``: the tight pages' head)."""
        import numpy as np

        if tight and self.tight_w is not None:
            feats, w, b = tight_features(lines, probs), self.tight_w, self.tight_b
        else:
            feats, w, b = layout_features(lines, probs), self.layout_w, self.layout_b
        z = feats @ np.asarray(w, dtype=np.float32) + b
        return 1 / (1 + np.exp(-z))

    def hole_probs(self, lines: Lines, probs: np.ndarray) -> np.ndarray:
        """P(words lost) at each break, from the hole head (pages that are not hard-wrapped)."""
        import numpy as np

        z = hole_features(lines, probs) @ np.asarray(self.hole_w, dtype=np.float32) + self.hole_b
        return 1 / (1 + np.exp(-z))


@lru_cache(maxsize=1)
def _bundled() -> RepairModel | None:
    if not (MODEL_DIR / "thresholds.json").is_file():
        return None
    return RepairModel(MODEL_DIR)


def load_model(path: Path | None = None) -> RepairModel:
    """The bundled repair model (or the one in ``path``)."""
    if path is not None:
        return RepairModel(Path(path))
    model = _bundled()
    if model is None:
        from ..errors import ModelNotFound

        raise ModelNotFound(f"the repair model is missing from {MODEL_DIR}; reinstall spinscope")
    return model


@dataclass
class Decision:
    """What ``rebuild`` decided at one break between two non-blank lines."""

    paragraph: bool
    hole: bool
    probs: tuple[float, float, float]  # sentence ends, runs on, words lost
    para_prob: float
    hole_prob: float = 0.0


def decide(lines: Lines, *, model: RepairModel | None) -> list[Decision]:
    """Paragraph break or join, and hole or not, at each break between the non-blank lines."""
    n = len(lines.texts) - 1
    if n <= 0:
        return []
    if model is None:
        # No model: punctuation and capitals only, and no hole detection.
        out = []
        for i in range(n):
            mid = (
                not _TERMINAL.search(lines.texts[i])
                or lines.texts[i + 1][0].islower()
                or bool(_ATTACH.match(lines.texts[i + 1]))
            )
            para = not mid and (lines.blank[i] or _wrap_score(lines.texts, lines.blank) < 0.5)
            out.append(Decision(para, False, (0.0 if mid else 1.0, 1.0 if mid else 0.0, 0.0), float(para)))
        return out
    probs = _break_probs(model, lines.texts)
    tight = model.tight_w is not None and is_tight_page(
        lines, wrap_cutoff=model.wrap_cutoff, blank_share=model.tight_blank_share
    )
    para = model.para_probs(lines, probs, tight=tight)
    para_threshold = model.tight_threshold if tight else model.para_threshold
    if _wrap_score(lines.texts, lines.blank) >= model.wrap_cutoff:
        hole_p, hole_t = probs[:, 2], model.strict_threshold
    else:
        hole_p, hole_t = model.hole_probs(lines, probs), model.hole_threshold
    out = []
    for i in range(n):
        is_para = bool(para[i] >= para_threshold)
        hole = not is_para and bool(hole_p[i] >= hole_t)
        out.append(
            Decision(is_para, hole, tuple(float(x) for x in probs[i]), float(para[i]), float(hole_p[i]))
        )
    return out


# The break model's mean output at clean sentence ends (933 such breaks in 60 SemEval-2023 en
# train articles; its hole probability passed 0.5 at one of them).
_CLEAN_BREAK_PROBS = (0.978, 0.005, 0.017)


def _clean_break(left: str, right: str) -> bool:
    # A finished sentence followed by a capitalised one: no link words can be missing here, and the
    # break model only confirms "sentence ends". Skipping it there makes one-paragraph-per-line text
    # (most saved articles) cheap; the layout head still decides paragraph break or join.
    return bool(_SENTENCE_END.search(left)) and (right[:1].isupper() or right[:1] in "“\"‘'")


def _break_probs(model: RepairModel, texts: list[str]) -> np.ndarray:
    import numpy as np

    contexts = break_contexts(texts)
    probs = np.tile(np.asarray(_CLEAN_BREAK_PROBS, dtype=np.float32), (len(contexts), 1))
    todo = [i for i in range(len(contexts)) if not _clean_break(texts[i], texts[i + 1])]
    if todo:
        probs[todo] = model.break_probs([contexts[i] for i in todo])
    return probs


def _glue(left: str, right: str) -> str:
    # How two joined lines meet: punctuation and clitics attach, everything else takes one space.
    return "" if _ATTACH.match(right) or left.endswith(("(", "[", "“")) else " "


def _hole_span(text: str, at: int, lo: int, hi: int) -> tuple[int, int]:
    # Up to three words either side of the join at ``at``, inside the paragraph [lo, hi), <= 80 characters.
    half = MAX_WARNING_CHARS // 2 - 1
    base = max(lo, at - 4 * half)
    start = at
    for k, m in enumerate(reversed(list(re.finditer(r"\S+", text[base:at])))):
        # Stay inside the sentence: a word that ends the previous sentence is not "either side".
        if k == 3 or at - (base + m.start()) > half or (k and _SENTENCE_END.search(m.group())):
            break
        start = base + m.start()
    end = at
    for k, m in enumerate(re.finditer(r"\S+", text[at : min(hi, at + 4 * half)])):
        if k == 3 or m.end() > half:
            break
        end = at + m.end()
        if _SENTENCE_END.search(m.group()):
            break
    # A single word longer than the budget (a URL): show part of it rather than nothing.
    if start == at:
        start = max(lo, at - half)
    if end == at:
        end = min(hi, at + half)
    return start, end


def rebuild(raw: str, *, model: RepairModel | None | bool = True) -> Rebuilt:
    """Join lines that belong to one paragraph, separate paragraphs by a blank line, flag holes.

    ``model=True`` uses the bundled model (falling back to punctuation rules, without hole detection,
    if it is missing); ``False`` forces the rules; a ``RepairModel`` is used as given.
    """
    lines = split_lines(raw)
    if not lines.texts:
        return Rebuilt("", [], [])
    warnings: list[Notice] = []
    if model is True:
        model = _bundled()
        if model is None:
            warnings.append(
                Notice(
                    "repair-degraded",
                    "the repair model is missing: paragraphs rebuilt by punctuation only, holes not checked",
                )
            )
    elif model is False:
        model = None
    decisions = decide(lines, model=model)

    paragraphs: list[Span] = []
    holes: list[int] = []  # positions in ``text`` of joins that lost words
    para_start = 0
    text = lines.texts[0]
    for i, d in enumerate(decisions):
        nxt = lines.texts[i + 1]
        if d.paragraph:
            paragraphs.append(Span(para_start, len(text)))
            text += "\n\n"
            para_start = len(text)
            text += nxt
            continue
        glue = _glue(text, nxt)
        if d.hole:
            holes.append(len(text))
        text += glue + nxt
    paragraphs.append(Span(para_start, len(text)))
    if model is not None:
        holes = sorted(set(holes) | set(_inline_holes(text, model)))

    hole_notices: list[Notice] = []
    for at in holes:
        para = next(p for p in paragraphs if p.start <= at <= p.end)
        start, end = _hole_span(text, at, para.start, para.end)
        before, after = text[start:at].strip(), text[at:end].strip()
        hole_notices.append(
            Notice(
                "missing-words",
                f"words appear to be missing between “{before}” and “{after}” (probably a stripped link)",
                start,
                end,
            )
        )
    if hole_notices:
        n = _count_sentences(text, holes)
        noun = "sentence appears" if n == 1 else "sentences appear"
        hole_notices.append(
            Notice(
                "missing-words-summary",
                f"{n} {noun} to have lost words, probably stripped links: claims there may read wrongly",
            )
        )
    return Rebuilt(text, paragraphs, warnings + hole_notices)


# Inside a line, an extractor that drops a link's words leaves a double space ("has  that") or a space
# before punctuation ("costs , and"); clean text rarely has either, so only those sites are checked.
_INLINE_SITE = re.compile(r"(?<=\S)(?: {2,}|\t+)(?=\S)|(?<=\w)(?= [,;:.](?:\s|$))")


def _inline_holes(text: str, model: RepairModel) -> list[int]:
    sites = [m.start() for m in _INLINE_SITE.finditer(text)]
    if not sites:
        return []
    pairs = [(text[max(0, at - _CONTEXT_CHARS) : at], text[at : at + _CONTEXT_CHARS]) for at in sites]
    probs = model.break_probs(pairs)
    return [at for at, p in zip(sites, probs[:, 2], strict=True) if p >= model.strict_threshold]


# Sentence-final punctuation followed by more text (the sentences component's gate reads it too).
INNER_END = re.compile(r"""[.!?…]["'”’)\]]*\s+\S""")


def _count_sentences(text: str, holes: list[int]) -> int:
    # Several holes in one sentence count once. Two holes share a sentence when no sentence end lies
    # between them: a count for a warning does not justify a second spaCy pass over the article (it
    # was 40% of ingest time), and an abbreviation ("Mr. Putin") between two holes only counts one more.
    holes = sorted(holes)
    return 1 + sum(bool(INNER_END.search(text, a, b + 1)) or "\n" in text[a:b] for a, b in itertools.pairwise(holes))
