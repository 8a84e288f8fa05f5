"""What every report format shows, computed once from a schema-v1 dict: legend, marks, text segments, panels."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from . import labels as L

# Findings of these tasks are evidence for a panel (clicked to show), not spans coloured by default.
PANEL_TASKS = frozenset({"narrative"})

FAMILY_ORDER = list(L.FAMILIES)
# Terminal colours are foreground colours: readable on dark and light backgrounds alike.
_TERM_FAMILY = {
    "attack on reputation": "red",
    "justification": "blue",
    "simplification": "magenta",
    "distraction": "cyan",
    "call": "green",
    "manipulative wording": "yellow",
}
_TERM_OTHER = ["bright_blue", "bright_magenta", "bright_cyan", "bright_green", "bright_red"]
_TERM_WARNING = "black on yellow"
# HTML colours: one hue per family, a different lightness per technique so toggled labels stay distinct.
_HTML_FAMILY_HUE = {
    "attack on reputation": 0,
    "justification": 215,
    "simplification": 285,
    "distraction": 180,
    "call": 125,
    "manipulative wording": 40,
}
_HTML_OTHER_HUES = [250, 330, 160, 20, 90]
_LIGHTNESS = [80, 72, 87, 76, 84]
_HTML_WARNING = "#fde68a"
_MAX_TIP = 240


@dataclass
class LegendEntry:
    """One toggleable label: a finding label of a task, or a warning code."""

    key: int
    kind: str  # "finding" | "warning"
    task: str
    label: str
    name: str
    description: str | None
    family: str | None
    count: int
    term_style: str
    html_color: str


@dataclass
class Mark:
    """Something drawn over the text: a finding, a warning, an actor mention or a link."""

    id: str  # f<i> finding, w<i> warning, e<i>.<j> mention, l<i> link
    start: int
    end: int
    kind: str  # finding | warning | mention | link
    key: int | None = None  # legend key when the mark is coloured by default
    group: str | None = None  # e<i> (actor) or n<i> (narrative): highlighted on request
    tip: list[str] = field(default_factory=list)
    href: str | None = None
    block: int | None = None  # for a zero-width mark: the number of the block it is drawn in

    @property
    def length(self) -> int:
        """Characters covered."""
        return self.end - self.start


@dataclass
class Segment:
    """A run of text covered by the same marks (``gap``: a zero-width mark drawn as a marker)."""

    start: int
    end: int
    marks: list[Mark]  # shortest first, so marks[0] is the innermost
    opens: list[Mark] = field(default_factory=list)  # marks starting here, outermost first
    closes: list[Mark] = field(default_factory=list)  # marks ending here, innermost first
    gap: bool = False


@dataclass
class Block:
    """A paragraph (``index`` into report["paragraphs"]) or stray text between paragraphs (index None)."""

    start: int
    end: int
    index: int | None
    number: int  # 1-based, as shown to the reader


@dataclass
class NarrativeGroup:
    """One narrative with its evidence findings."""

    id: str
    name: str
    score: float
    subnarratives: list[str]
    explanation: str | None
    marks: list[Mark]
    paragraphs: list[int]


@dataclass
class View:
    """Everything a writer needs beyond the report itself."""

    report: dict[str, Any]
    title: str
    legend: list[LegendEntry]
    marks: list[Mark]
    blocks: list[Block]
    narratives: list[NarrativeGroup]

    @property
    def text(self) -> str:
        """The document text."""
        return self.report["text"]

    def legend_for(self, key: int | None) -> LegendEntry | None:
        """The legend entry with this key."""
        return self.legend[key - 1] if key else None

    def block_of(self, pos: int) -> Block | None:
        """The block holding character ``pos``."""
        for b in self.blocks:
            if b.start <= pos < b.end or pos == b.end:
                return b
        return None

    def segments(self, block: Block, *, kinds: frozenset[str] | None = None) -> list[Segment]:
        """The block cut at every mark boundary; each segment lists the marks covering it."""
        marks = [
            m
            for m in self.marks
            if (kinds is None or m.kind in kinds) and (m.length > 0 or m.block == block.number)
        ]
        return segment(block.start, block.end, marks)


def build(report: dict[str, Any]) -> View:
    """The view of a (valid) schema-v1 report."""
    legend = _legend(report)
    by_label = {(e.kind, e.task, e.label): e for e in legend}
    blocks = _blocks(report)
    marks: list[Mark] = []
    narrative_ids = _narrative_ids(report)
    for i, f in enumerate(report["findings"]):
        entry = by_label.get(("finding", f["task"], f["label"]))
        group = narrative_ids.get(_narrative_name(f)) if f["task"] in PANEL_TASKS else None
        marks.append(
            Mark(
                f"f{i}", f["start"], f["end"], "finding", entry.key if entry else None, group, _finding_tip(f, report["text"])
            )
        )
    for i, w in enumerate(report["warnings"]):
        if "start" in w:
            entry = by_label[("warning", "warning", w["code"])]
            marks.append(Mark(f"w{i}", w["start"], w["end"], "warning", entry.key, None, _warning_tip(w)))
    for i, ent in enumerate(report["entities"]):
        tip = [f"actor · {ent['name']} ({ent['kind']})"]
        if actor_note(ent):
            tip.append(actor_note(ent))
        if "portrayal" in ent:
            tip.append(f"portrayal: {ent['portrayal']['label']} {ent['portrayal']['score']:.2f}")
        if shows_role(ent):
            tip.append(f"role: {ent['role']['main']} {ent['role']['score']:.2f}")
        for j, m in enumerate(ent["mentions"]):
            marks.append(Mark(f"e{i}.{j}", m["start"], m["end"], "mention", None, f"e{i}", tip))
    for i, link in enumerate(report["links"]):
        marks.append(
            Mark(
                f"l{i}", link["start"], link["end"], "link", tip=[f"link: {link['href']}"], href=link["href"]
            )
        )
    view = View(report, title(report), legend, marks, blocks, [])
    for m in marks:
        if m.length == 0 and blocks:
            _place_gap(m, view)
    view.narratives = _narratives(view, narrative_ids)
    return view


def title(report: dict[str, Any]) -> str:
    """What to call the article: its title, else its URL or path, else its first words."""
    src = report["source"]
    for key in ("title", "url", "path"):
        if src.get(key) and src[key] != "-":
            return src[key]
    first = report["text"].strip().split("\n", 1)[0]
    return clip(first, 70) if first else "Untitled text"


def clip(text: str, n: int) -> str:
    """``text`` on one line, cut to at most ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def segment(start: int, end: int, marks: list[Mark]) -> list[Segment]:
    """Cut ``text[start:end]`` at every boundary of the marks overlapping it (zero-width marks become gaps)."""
    inside = [m for m in marks if m.start < end and m.end > start and m.length > 0]
    gaps: dict[int, list[Mark]] = defaultdict(list)
    for m in marks:
        if m.length == 0 and start <= m.start <= end:
            gaps[m.start].append(m)
    cuts = sorted(
        {start, end, *gaps, *(max(m.start, start) for m in inside), *(min(m.end, end) for m in inside)}
    )
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:] + [None], strict=True):
        if a in gaps:
            out.append(Segment(a, a, gaps[a], gap=True))
        if b is None:
            break
        covering = sorted((m for m in inside if m.start <= a and m.end >= b), key=lambda m: (m.length, m.id))
        # A mark cut at a block edge opens and closes there too, so markers stay balanced per block.
        opens = sorted((m for m in covering if max(m.start, start) == a), key=lambda m: (-m.length, m.id))
        closes = [m for m in covering if min(m.end, end) == b]
        out.append(Segment(a, b, covering, opens, closes))
    return out


def counts(report: dict[str, Any]) -> list[tuple[str, int]]:
    """(what, how many) for the summary line; zero counts of annotations are left out."""
    text = report["text"]
    items = [
        ("words", len(text.split())),
        ("paragraphs", len(report["paragraphs"])),
        ("sentences", len(report["sentences"])),
        ("links", len(report["links"])),
        ("findings", len(report["findings"])),
        ("actors", len(report["entities"])),
        ("warnings", len(report["warnings"])),
    ]
    return [(k, v) for k, v in items if v or k in ("words", "paragraphs")]


def plural(n: int, word: str) -> str:
    """ "1 paragraph", "3 paragraphs"."""
    if n == 1 and word.endswith("s"):
        word = word[:-1]
    return f"{n} {word}"


def label_sections(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(task, labels) for every article-level task that has labels; empty ones are left out."""
    return [(task, items) for task, items in report["labels"].items() if items]


def reason(task: str, label: str, attrs: dict[str, Any] | None = None) -> str | None:
    """Why a finding was shown: the component's own reason, else the label's description."""
    given = (attrs or {}).get("reason")
    return given if isinstance(given, str) and given else L.describe(task, label)


def family_of(task: str, label: str) -> str | None:
    """The persuasion family of a technique label, if it is one."""
    if task != "persuasion":
        return None
    try:
        return L.family(label)
    except KeyError:
        return None


def persuasion_summary(
    view: View,
) -> tuple[list[tuple[str, int, list[tuple[str, int]]]], list[tuple[Block, int]]]:
    """Techniques by family (most used first) and the most persuasive paragraphs (with technique counts)."""
    report = view.report
    spans = [f for f in report["findings"] if f["task"] == "persuasion"]
    per_block: Counter[int] = Counter()
    labels: Counter[str] = Counter()
    if spans:
        for f in spans:
            labels[f["label"]] += 1
            block = view.block_of(f["start"])
            if block is not None:
                per_block[block.number] += 1
    else:  # paragraph labels only
        for block in view.blocks:
            if block.index is None:
                continue
            for item in report["paragraphs"][block.index]["labels"].get("persuasion", []):
                labels[item["label"]] += 1
                per_block[block.number] += 1
    families: dict[str, Counter[str]] = defaultdict(Counter)
    for label, n in labels.items():
        families[family_of("persuasion", label) or "other"][label] += n
    fam = sorted(
        ((name, sum(c.values()), c.most_common()) for name, c in families.items()),
        key=lambda x: (-x[1], x[0]),
    )
    numbered = {b.number: b for b in view.blocks}
    top = [(numbered[number], n) for number, n in sorted(per_block.items(), key=lambda x: (-x[1], x[0]))[:3]]
    return fam, top


def actor_sentences(report: dict[str, Any], ent: dict[str, Any]) -> list[tuple[str, float, str]]:
    """(label, score, sentence text) for the sentences that carry an actor's portrayal, most telling first."""
    out = []
    n = len(report["text"])
    items = (ent.get("attrs") or {}).get("sentences")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        start, end, label, score = item.get("start"), item.get("end"), item.get("label"), item.get("score")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n):
            continue
        if isinstance(label, str) and isinstance(score, int | float):
            out.append((label, float(score), report["text"][start:end]))
    return out


def actor_note(ent: dict[str, Any]) -> str:
    """What the text's name for an actor stands for ("refers to UK government"), or ""."""
    refers = (ent.get("attrs") or {}).get("refers_to")
    return f"refers to {refers}" if isinstance(refers, str) and refers else ""


def portrayal_text(ent: dict[str, Any]) -> str:
    """An actor's portrayal as shown: "negative 0.59", or "positive 0.41 (victim)" when it was read
    off the role the story casts the actor in (``attrs.portrayal_from``); "" when there is none."""
    if "portrayal" not in ent:
        return ""
    text = f"{ent['portrayal']['label']} {ent['portrayal']['score']:.2f}"
    if (ent.get("attrs") or {}).get("portrayal_from") == "role":
        text += " (victim)"
    return text


def actor_rows(report: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    """(entity, portrayal, role) as plain text for every actor, most mentioned first ("" where absent)."""
    rows = []
    for ent in sorted(report["entities"], key=lambda e: -len(e["mentions"])):
        portrayal = portrayal_text(ent)
        role = ""
        if shows_role(ent):
            role = f"{ent['role']['main']} {ent['role']['score']:.2f}"
            if ent["role"]["fine"]:
                role += " (" + ", ".join(x["label"] for x in ent["role"]["fine"]) + ")"
        elif "role" in ent or (ent.get("attrs") or {}).get("office_only"):
            role = "–"  # not cast, or named by office alone (no role is given then)
        rows.append((ent, portrayal, role))
    return rows


def shows_role(ent: dict[str, Any]) -> bool:
    """Whether the report shows the actor's role: it has one and the casting gate did not turn it down.

    The role heads label every actor; the gate (``attrs.cast``) says which ones the story casts in a
    role at all. Without a gate verdict the role is shown.
    """
    return "role" in ent and (ent.get("attrs") or {}).get("cast", True) is not False


def _legend(report: dict[str, Any]) -> list[LegendEntry]:
    findings: Counter[tuple[str, str]] = Counter(
        (f["task"], f["label"]) for f in report["findings"] if f["task"] not in PANEL_TASKS
    )
    warnings: Counter[str] = Counter(w["code"] for w in report["warnings"] if "start" in w)

    def order(item: tuple[str, str]) -> tuple[int, str, int, str]:
        task, label = item
        fam = family_of(task, label)
        if fam is not None:
            return (0, "", FAMILY_ORDER.index(fam), L.display(label))
        return (1, task, 0, L.display(label))

    entries: list[LegendEntry] = []
    other_tasks: dict[str, int] = {}
    family_seen: Counter[str] = Counter()
    for task, label in sorted(findings, key=order):
        fam = family_of(task, label)
        if fam is not None:
            hue, shade = _HTML_FAMILY_HUE[fam], family_seen[fam]
            family_seen[fam] += 1
            term = f"bold {_TERM_FAMILY[fam]}"
        else:
            slot = other_tasks.setdefault(task, len(other_tasks))
            hue, shade = _HTML_OTHER_HUES[slot % len(_HTML_OTHER_HUES)], family_seen[task]
            family_seen[task] += 1
            term = f"bold {_TERM_OTHER[slot % len(_TERM_OTHER)]}"
        color = f"hsl({hue}, 85%, {_LIGHTNESS[shade % len(_LIGHTNESS)]}%)"
        entries.append(
            LegendEntry(
                len(entries) + 1,
                "finding",
                task,
                label,
                L.display(label),
                L.describe(task, label),
                fam,
                findings[(task, label)],
                term,
                color,
            )
        )
    for code in sorted(warnings):
        entries.append(
            LegendEntry(
                len(entries) + 1,
                "warning",
                "warning",
                code,
                code,
                L.describe("warning", code),
                None,
                warnings[code],
                _TERM_WARNING,
                _HTML_WARNING,
            )
        )
    return entries


def _blocks(report: dict[str, Any]) -> list[Block]:
    text = report["text"]
    spans: list[tuple[int, int, int | None]] = [
        (p["start"], p["end"], i) for i, p in enumerate(report["paragraphs"])
    ]
    # Text no paragraph covers (a title line, or no paragraphs at all) is still shown.
    pos, extra = 0, []
    for s, e, _ in spans + [(len(text), len(text), None)]:
        for chunk_start, chunk_end in _nonblank_chunks(text, pos, s):
            extra.append((chunk_start, chunk_end, None))
        pos = max(pos, e)
    ordered = sorted(spans + extra, key=lambda x: (x[0], x[1]))
    return [Block(s, e, i, n) for n, (s, e, i) in enumerate(ordered, start=1)]


def _place_gap(mark: Mark, view: View) -> None:
    # A zero-width mark between paragraphs is drawn at the end of the paragraph before it.
    block = view.block_of(mark.start)
    if block is None:
        before = [b for b in view.blocks if b.end <= mark.start]
        block = before[-1] if before else view.blocks[0]
        mark.start = mark.end = block.end if before else block.start
    mark.block = block.number


def _nonblank_chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for part in text[start:end].split("\n\n"):
        stripped = part.strip()
        if stripped:
            a = pos + part.index(stripped)
            out.append((a, a + len(stripped)))
        pos += len(part) + 2
    return out


def _narrative_name(f: dict[str, Any]) -> str:
    name = f["attrs"].get("narrative")
    return name if isinstance(name, str) and name else f["label"]


def _narrative_ids(report: dict[str, Any]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for f in report["findings"]:
        if f["task"] == "narrative":
            ids.setdefault(_narrative_name(f), f"n{len(ids)}")
    return ids


def _narratives(view: View, ids: dict[str, str]) -> list[NarrativeGroup]:
    scores = {x["label"]: x["score"] for x in view.report["labels"].get("narratives", [])}
    groups: list[NarrativeGroup] = []
    for name, gid in ids.items():
        marks = [m for m in view.marks if m.group == gid]
        found = [view.report["findings"][int(m.id[1:])] for m in marks]
        subs = list(
            dict.fromkeys(s for f in found if isinstance(s := f["attrs"].get("subnarrative"), str) and s)
        )
        explanation = next(
            (x for f in found if isinstance(x := f["attrs"].get("explanation"), str) and x), None
        )
        numbers = sorted({b.number for m in marks if (b := view.block_of(m.start)) is not None})
        score = scores.get(name, max(f["score"] for f in found))
        groups.append(NarrativeGroup(gid, name, score, subs, explanation, marks, numbers))
    groups.sort(key=lambda g: -g.score)
    return groups


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | str):
        return f"{value:.2f}" if isinstance(value, float) else str(value)
    if isinstance(value, list) and value and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(map(str, value))
    return None


def _finding_tip(f: dict[str, Any], text: str = "") -> list[str]:
    task, label, attrs = f["task"], f["label"], f["attrs"]
    lines = [f"{task} · {L.display(label)}", f"score {f['score']:.2f}"]
    fam = family_of(task, label)
    if fam:
        lines.append(f"family: {fam}")
    why = reason(task, label, attrs)
    if why:
        lines.append(f"reason: {why}")
    for key, value in attrs.items():
        shown = _scalar(value)
        if key != "reason" and shown:
            lines.append(f"{key}: {shown}")
        elif isinstance(value, dict) and isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            a, b = value["start"], value["end"]
            if 0 <= a < b <= len(text):
                lines.append(f"{key}: {clip(text[a:b], 120)}")
    return [clip(line, _MAX_TIP) for line in lines]


def _warning_tip(w: dict[str, Any]) -> list[str]:
    lines = [f"warning · {w['code']}", w["message"]]
    desc = L.describe("warning", w["code"])
    if desc and desc != w["message"]:
        lines.append(desc)
    return [clip(line, _MAX_TIP) for line in lines]


# --- claims ----------------------------------------------------------------------------------------

CLAIM_TASK = "claim"
_STOP = frozenset(
    "a an the of to in on at for by with and or but is are was were be been will would could should can may "
    "might must it its this that these those their there than then as from into not no so which who what".split()
)


@dataclass
class ClaimRow:
    """One claim finding as a fact-checker's list shows it."""

    finding: int  # index into report["findings"]
    mark: str  # the mark id of the claim sentence ("f<i>")
    block: int | None
    text: str
    label: str
    score: float
    kind: str  # factual | causal
    checkworthy: float | None
    source: str | None
    source_kind: str
    evidence: list[str]
    unsourced: bool
    cause: str | None
    effect: str | None
    source_actor: str | None = None  # the actor the source is a mention of ("he" -> "Friedrich Merz")

    @property
    def source_text(self) -> str | None:
        """The source as the text names it, with its actor where the words do not say who it is."""
        if self.source is None:
            return None
        if self.source_actor and self.source_actor.casefold() not in self.source.casefold():
            return f"{self.source} = {self.source_actor}"
        return self.source


@dataclass
class CausalNode:
    """A cause or effect in the article's causal chain (one or more spans saying the same thing)."""

    id: int
    text: str
    column: int = 0
    row: int = 0


@dataclass
class CausalGraph:
    """The causal claims drawn as a graph: nodes and ``(cause node, effect node, finding index)`` edges."""

    nodes: list[CausalNode]
    edges: list[tuple[int, int, int]]

    @property
    def columns(self) -> int:
        """How many columns the layout uses."""
        return 1 + max((n.column for n in self.nodes), default=-1)

    @property
    def rows(self) -> int:
        """How many rows the tallest column has."""
        return 1 + max((n.row for n in self.nodes), default=-1)


def _span_text(report: dict[str, Any], value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
        a, b = value["start"], value["end"]
        if 0 <= a < b <= len(report["text"]):
            return " ".join(report["text"][a:b].split())
    return None


def claim_rows(view: View) -> list[ClaimRow]:
    """Every claim finding in text order, with its source, evidence, cause and effect as plain text."""
    report = view.report
    rows = []
    for i, f in enumerate(report["findings"]):
        if f["task"] != CLAIM_TASK:
            continue
        a = f["attrs"]
        evidence = [h for h in a.get("evidence") or [] if isinstance(h, str)]
        block = view.block_of(f["start"])
        rows.append(
            ClaimRow(
                finding=i,
                mark=f"f{i}",
                block=block.number if block else None,
                text=" ".join(report["text"][f["start"] : f["end"]].split()),
                label=f["label"],
                score=f["score"],
                kind=a.get("kind") if a.get("kind") in ("factual", "causal") else "factual",
                checkworthy=a.get("checkworthy") if isinstance(a.get("checkworthy"), int | float) else None,
                source=a.get("source") if isinstance(a.get("source"), str) else None,
                source_kind=a.get("source_kind") if isinstance(a.get("source_kind"), str) else "author",
                evidence=evidence,
                unsourced=a.get("unsourced") is True,
                cause=_span_text(report, a.get("cause")),
                effect=_span_text(report, a.get("effect")),
                source_actor=a.get("source_actor") if isinstance(a.get("source_actor"), str) else None,
            )
        )
    return rows


def _words(text: str) -> set[str]:
    words = {w.lower().rstrip("s") for w in "".join(ch if ch.isalnum() else " " for ch in text).split()}
    return {w for w in words if w and w not in _STOP}


def _same(a: set[str], b: set[str]) -> bool:
    # Two spans name the same thing when most of the shorter one's content words recur in the other.
    return bool(a and b) and len(a & b) >= max(1, (min(len(a), len(b)) + 1) // 2)


def causal_graph(view: View) -> CausalGraph:
    """The causal chain: each causal claim's cause -> effect, nodes merged where they say the same thing.

    Laid out left to right: a node's column is the length of the longest chain of causes leading to it.
    """
    nodes: list[CausalNode] = []
    node_words: list[set[str]] = []
    edges: list[tuple[int, int, int]] = []

    def node(text: str) -> int:
        words = _words(text)
        for n, other in zip(nodes, node_words, strict=True):
            if _same(words, other):
                return n.id
        nodes.append(CausalNode(len(nodes), text))
        node_words.append(words)
        return nodes[-1].id

    for row in claim_rows(view):
        if row.kind != "causal" or not row.cause or not row.effect:
            continue
        src, dst = node(row.cause), node(row.effect)
        if src != dst and not any(e[0] == src and e[1] == dst for e in edges):
            edges.append((src, dst, row.finding))
    # Longest path from a root, bounded so that a cycle cannot loop forever.
    for _ in range(len(nodes)):
        changed = False
        for src, dst, _f in edges:
            if nodes[dst].column < nodes[src].column + 1 and nodes[src].column + 1 < len(nodes):
                nodes[dst].column = nodes[src].column + 1
                changed = True
        if not changed:
            break
    used: Counter[int] = Counter()
    for n in nodes:
        n.row = used[n.column]
        used[n.column] += 1
    return CausalGraph(nodes, edges)
