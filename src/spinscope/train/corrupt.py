"""Damage clean paragraphs the way bad HTML-to-text extraction does, with the gold answer kept.

Shared by repair training (``train/repair.py``) and its evaluation (``evaluate/repair.py``), so both
see the same kind of damage. Needs spaCy only (no torch).

What a bad extraction does (``soup.get_text("\\n")``, copy-paste from some readers, newspaper3k):
every hyperlink's anchor text lands on a line of its own, paragraphs are separated by one newline or a
blank line, and some extractors drop the anchor text altogether, leaving a hole where the link was.
Anchors are whole constituents: a verb group ("has demanded"), a noun phrase ("a lengthy essay"), a
named entity, a prepositional phrase or predicate ("on the table"), a verb with its object. So the
damage removes parsed constituents, never random words (random deletions are often still grammatical,
and a detector trained on them misses real holes).
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Where each kind of break belongs: a paragraph break ("para") or inside a paragraph (everything else).
# "sent": a sentence boundary inside a paragraph (a link that starts a sentence, a hard wrap);
# "link": a mid-sentence break around link text that stayed; "wrap": a mid-sentence hard wrap;
# "hole": a mid-sentence break where link text was removed.
BREAK_KINDS = ("para", "sent", "link", "wrap", "hole")
# Classes of the break model: 0 = a sentence ends here, 1 = the sentence runs on intact, 2 = words lost.
MODEL_CLASS = {"para": 0, "sent": 0, "link": 1, "wrap": 1, "hole": 2}

# Article ID buckets of the SemEval-2023 English *train* articles. Training never reads the other parts.
PARTS = {"train": range(2, 10), "val": range(1, 2), "heldout": range(0, 1)}


@dataclass
class Break:
    """One line break in the damaged text: ``offset`` of its first newline in ``raw`` and its gold kind."""

    offset: int
    kind: str


@dataclass
class Damaged:
    """A damaged article and the gold kind of each of its line breaks (in order)."""

    raw: str
    breaks: list[Break] = field(default_factory=list)
    doc_id: str = ""
    layout: str = ""


@dataclass
class Article:
    """A clean article: its title (may be empty) and its paragraphs."""

    doc_id: str
    title: str
    paragraphs: list[str]


# ---------------------------------------------------------------------------------------------------
# Clean text sources


def semeval_part(doc_id: str) -> str:
    """The part ("train", "val" or "heldout") a SemEval-2023 English train article belongs to, by ID."""
    bucket = zlib.crc32(doc_id.encode()) % 10
    return next(name for name, r in PARTS.items() if bucket in r)


def semeval_train_articles(data: Path, *, part: str) -> list[Article]:
    """SemEval-2023 Task 3 English *train* articles of one part (never the dev or test sets)."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    folder = Path(data) / "semeval2023-task3" / "data" / "en" / "train-articles-subtask-3"
    if not folder.is_dir():
        from ..errors import DataNotFound

        raise DataNotFound(f"{folder} is missing: the SemEval-2023 Task 3 English train articles")
    articles = []
    for path in sorted(folder.glob("article*.txt")):
        doc_id = path.stem.removeprefix("article")
        if semeval_part(doc_id) != part:
            continue
        lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n")]
        lines = [line for line in lines if line]
        if len(lines) < 2:
            continue
        articles.append(Article(doc_id, lines[0], lines[1:]))
    return articles


_NO_SPACE_BEFORE = tuple(".,;:!?)]}%")


def _detokenise(segments: list[str]) -> str:
    # The Webis segments were cut at unit boundaries with the whitespace stripped; put it back.
    text = ""
    for seg in (s.strip() for s in segments):
        if not seg:
            continue
        if not text or seg.startswith(_NO_SPACE_BEFORE) or text.endswith(("(", "[", "$", "\u201c")):
            text += seg
        else:
            text += " " + seg
    return re.sub(r"\s+", " ", text).strip()


def webis_articles(data: Path) -> list[Article]:
    """The Webis-Editorials-16 subset (op-eds; used only for evaluation), paragraphs rebuilt from units."""
    folder = Path(data) / "webis-editorials-16-coling20-subset" / "data-source"
    if not folder.is_dir():
        from ..errors import DataNotFound

        raise DataNotFound(f"{folder} is missing: the Webis-Editorials-16 subset")
    articles = []
    for path in sorted(folder.glob("*/*.json")):
        units = json.loads(path.read_text(encoding="utf-8"))["paragraphs"]
        title, paragraphs = "", []
        for para in units:
            if any(u.get("label") == "title" for u in para):
                title = _detokenise([u["text"] for u in para])
                continue
            text = _detokenise([u["text"] for u in para])
            # The corpus writes the pound sign as "?"; drop paragraphs too short to hold a sentence.
            if len(text.split()) >= 4:
                paragraphs.append(text)
        if paragraphs:
            articles.append(Article(f"{path.parent.name}/{path.stem}", title, paragraphs))
    return articles


# ---------------------------------------------------------------------------------------------------
# Link-like constituents

# Relative weights of the kinds of anchor text; noun phrases and names are the most common anchors.
KIND_WEIGHTS = {"np": 0.30, "ent": 0.15, "verb": 0.22, "pp": 0.18, "vp": 0.10, "pred": 0.05}
MAX_WORDS = 8


@dataclass(frozen=True)
class Constituent:
    """A span of a paragraph that could be a link's anchor text (character offsets)."""

    start: int
    end: int
    kind: str


def _ok(span, max_words: int = MAX_WORDS) -> bool:  # noqa: ANN001 - a spaCy Span
    words = [t for t in span if not t.is_punct]
    if not words or len(words) > max_words:
        return False
    # Anchors start and end on words; a span that crosses a sentence boundary is no anchor.
    if span[0].is_punct or span[-1].is_punct or span[0].is_space or span[-1].is_space:
        return False
    sent = span[0].sent
    if span[-1].i >= sent.end:
        return False
    # Removing the whole sentence (or all but punctuation) is not a hole inside a sentence.
    rest = [t for t in sent if not t.is_punct and not (span.start <= t.i < span.end)]
    return len(rest) >= 2


def constituents(doc) -> list[Constituent]:  # noqa: ANN001 - a parsed spaCy Doc
    """Candidate anchor spans of a parsed paragraph, by kind (verb groups, NPs, names, PPs, predicates)."""
    found: dict[tuple[int, int], str] = {}

    def add(start: int, end: int, kind: str) -> None:
        if end <= start:
            return
        span = doc[start:end]
        if _ok(span):
            found.setdefault((span.start_char, span.end_char), kind)

    for chunk in doc.noun_chunks:
        if chunk[0].pos_ != "PRON":
            add(chunk.start, chunk.end, "np")
    for ent in doc.ents:
        if ent.label_ not in ("CARDINAL", "ORDINAL"):
            add(ent.start, ent.end, "ent")
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            # The verb group: auxiliaries and negation right before the verb, a particle right after.
            left = tok.i
            while (
                left - 1 >= 0
                and doc[left - 1].head.i == tok.i
                and doc[left - 1].dep_ in ("aux", "auxpass", "neg")
            ):
                left -= 1
            right = tok.i + 1
            if right < len(doc) and doc[right].dep_ == "prt" and doc[right].head.i == tok.i:
                right += 1
            if tok.pos_ == "VERB":
                add(left, right, "verb")
            # The verb with its direct object: "demanded an inquiry".
            for child in tok.rights:
                if child.dep_ in ("dobj", "attr", "acomp", "oprd") and child.i == right:
                    sub = list(child.subtree)
                    add(left, sub[-1].i + 1, "vp")
        if tok.dep_ == "prep" and tok.head.pos_ in ("VERB", "AUX", "NOUN", "PROPN", "ADJ"):
            sub = list(tok.subtree)
            if sub[-1].i - sub[0].i + 1 == len(sub):
                add(sub[0].i, sub[-1].i + 1, "pp")
        if (
            tok.dep_ in ("acomp", "attr", "advmod")
            and tok.head.pos_ == "AUX"
            and tok.pos_ in ("ADJ", "ADV", "NOUN")
        ):
            sub = list(tok.subtree)
            if sub[-1].i - sub[0].i + 1 == len(sub):
                add(sub[0].i, sub[-1].i + 1, "pred")
    return [Constituent(s, e, k) for (s, e), k in sorted(found.items())]


def choose_links(cands: list[Constituent], n: int, rng: random.Random, *, text: str) -> list[Constituent]:
    """Up to ``n`` non-overlapping, non-adjacent anchors, drawn by kind weight."""
    chosen: list[Constituent] = []
    pool = list(cands)
    while pool and len(chosen) < n:
        weights = [KIND_WEIGHTS.get(c.kind, 0.1) for c in pool]
        c = rng.choices(pool, weights=weights)[0]
        chosen.append(c)
        # Keep a word between two anchors: adjacent links would read as one line (and one hole).
        pool = [
            d
            for d in pool
            if d.end < c.start - 1
            and not _touch(text, d.end, c.start)
            or d.start > c.end + 1
            and not _touch(text, c.end, d.start)
        ]
    return sorted(chosen, key=lambda c: c.start)


def _touch(text: str, a: int, b: int) -> bool:
    # True when only whitespace/punctuation separates offsets a < b (no word between them).
    return not re.search(r"\w", text[a:b])


# ---------------------------------------------------------------------------------------------------
# Damaging an article


@dataclass
class Style:
    """How one damaged article is laid out (drawn per article)."""

    # "lines" (one paragraph per line), "blank" (blank lines), "mixed", "wrapped" (hard-wrapped, blank
    # lines between paragraphs), "wrapped-tight" (hard-wrapped, one newline between paragraphs)
    layout: str
    link_rate: float  # anchors per 20 words
    strip: float  # chance that an anchor's words are dropped
    title: bool
    wrap_width: int = 72


def draw_style(rng: random.Random, *, layouts: tuple[str, ...] = ("lines", "blank", "mixed")) -> Style:
    """A random article style."""
    layout = rng.choice(layouts)
    return Style(
        layout=layout,
        link_rate=rng.uniform(0.15, 0.8),
        strip=rng.choice((0.0, 0.3, 0.5, 0.7, 1.0)),
        title=rng.random() < 0.7,
        wrap_width=rng.randint(60, 80),
    )


class Writer:
    """Builds the raw text piece by piece and records the gold kind of every line break."""

    def __init__(self) -> None:
        self.raw = ""
        self.breaks: list[Break] = []
        self.pending: str | None = None  # kind of a break to put before the next piece
        self.pending_nl = "\n"

    def brk(self, kind: str, newline: str = "\n") -> None:
        if not self.raw:
            return
        if self.pending is not None:
            # Two breaks meet (an empty piece between them): the stronger kind wins.
            order = ("hole", "para", "sent", "link", "wrap")
            kind = min(kind, self.pending, key=order.index)
            newline = max(newline, self.pending_nl, key=len)
        self.pending, self.pending_nl = kind, newline

    def put(self, piece: str) -> None:
        piece = piece.strip()
        if not piece:
            return
        if self.pending is not None and self.raw:
            self.breaks.append(Break(len(self.raw), self.pending))
            self.raw += self.pending_nl
        elif self.raw and not self.raw.endswith("\n"):
            self.raw += " "
        self.pending = None
        self.raw += piece


def damage(article: Article, parses: list, rng: random.Random, style: Style) -> Damaged:  # noqa: ANN001
    """Lay ``article`` out as a bad extraction would, with links on their own lines and some dropped."""
    w = Writer()
    if style.title and article.title:
        w.put(article.title)
        w.brk("para", "\n\n" if style.layout not in ("lines", "wrapped-tight") or rng.random() < 0.5 else "\n")
    for i, (text, doc) in enumerate(zip(article.paragraphs, parses, strict=True)):
        if i:
            if style.layout in ("lines", "wrapped-tight"):
                nl = "\n"
            elif style.layout in ("blank", "wrapped"):
                nl = "\n\n"
            else:
                nl = rng.choice(("\n", "\n\n"))
            w.brk("para", nl)
        if style.layout in ("wrapped", "wrapped-tight"):
            _wrapped(w, text, doc, style.wrap_width)
            continue
        n_words = len(text.split())
        n_links = _poisson(rng, style.link_rate * n_words / 20)
        links = choose_links(constituents(doc), n_links, rng, text=text) if n_links else []
        sent_starts = {s.start_char for s in doc.sents}
        sent_ends = {s.end_char for s in doc.sents}
        cur = 0
        for link in links:
            before = text[cur : link.start]
            strip = rng.random() < style.strip and text[: link.start].strip() and text[link.end :].strip()
            if strip:
                w.put(before)
                w.brk("hole")
            else:
                w.put(before)
                # A break where a sentence starts is a sentence boundary, whatever the anchor.
                w.brk("sent" if link.start in sent_starts else "link")
                w.put(text[link.start : link.end])
                w.brk("sent" if _ends_sentence(text, link.end, sent_ends) else "link")
            cur = link.end
        w.put(text[cur:])
    return Damaged(w.raw, w.breaks, article.doc_id, style.layout)


def _ends_sentence(text: str, end: int, sent_ends: set[int]) -> bool:
    # The sentence is over at ``end`` only if no punctuation of it follows on the next line.
    rest = text[end:]
    return end in sent_ends or (not rest.strip())


def _wrapped(w: Writer, text: str, doc, width: int) -> None:  # noqa: ANN001
    # Hard-wrapped plain text (e-mail, pasted terminals): lines cut at one width of ~60-80 columns.
    sent_starts = {s.start_char for s in doc.sents}
    line = ""
    for m in re.finditer(r"\S+", text):
        word = m.group()
        if line and len(line) + 1 + len(word) > width:
            w.put(line)
            w.brk("sent" if m.start() in sent_starts else "wrap")
            line = word
        else:
            line = f"{line} {word}" if line else word
    w.put(line)


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method; lam is small here.
    import math

    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def parse_articles(articles: list[Article], *, batch_size: int = 64) -> Iterator[tuple[Article, list]]:
    """Each article with the spaCy parse of each of its paragraphs."""
    from ..nlp import load_spacy

    nlp = load_spacy(exclude=("lemmatizer",))
    for article in articles:
        yield article, list(nlp.pipe(article.paragraphs, batch_size=batch_size))


def damaged_articles(
    articles: Iterable[Article],
    *,
    seed: int,
    layouts: tuple[str, ...] = ("lines", "blank", "mixed"),
    copies: int = 1,
) -> Iterator[Damaged]:
    """Damaged versions of ``articles`` (``copies`` independent damages each), reproducible by ``seed``."""
    rng = random.Random(seed)
    for article, parses in parse_articles(list(articles)):
        for _ in range(copies):
            yield damage(article, parses, rng, draw_style(rng, layouts=layouts))
