"""The terminal report (Rich): summary first, then the text with its spans marked, then a legend.

Colour is used only on a terminal that wants it (``color=True``, no ``NO_COLOR``). Without colour,
spans are bracketed instead — ``{corrupt elite}3`` — so a plain-text report loses nothing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import _view as V
from . import labels as L

if TYPE_CHECKING:
    from ..document import Document

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_GAP = "…"


def print_report(
    doc: Document, *, file: Path | None = None, color: bool = True, width: int | None = None
) -> None:
    """Print the report for ``doc`` to the terminal, or as plain text to ``file``."""
    from . import to_report, validate

    report = to_report(doc)
    validate(report)
    if file is not None:
        Path(file).write_text(render_text(report, width=width or 80), encoding="utf-8")
        return
    console = _console(None, color=color and not os.environ.get("NO_COLOR"), width=width)
    if console.color_system is None:  # piped, or colour refused: the same plain text a file gets
        console.file.write(render_text(report, width=console.width))
    else:
        write_report(report, console)


def render_text(report: dict[str, Any], *, width: int = 80) -> str:
    """A schema-v1 report as plain text, ``width`` columns wide."""
    buf = io.StringIO()
    write_report(report, _console(buf, color=False, width=width))
    # Rich pads table cells to the full width; trailing blanks only get in the way in a file.
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))


def _console(file: Any, *, color: bool, width: int | None) -> Console:
    # markup/emoji/highlight off: article text must be printed exactly as written.
    common: dict[str, Any] = {"width": width, "markup": False, "emoji": False, "highlight": False}
    if color:
        return Console(file=file, **common)
    # No colour system: Rich writes no escape codes at all, even to a terminal.
    return Console(file=file, color_system=None, no_color=True, **common)


def write_report(report: dict[str, Any], console: Console) -> None:
    """Write a (valid) schema-v1 report to a Rich console."""
    view = V.build(report)
    plain = console.color_system is None
    _summary(view, console)
    _panels(view, console)
    console.rule(Text("Text"), style="dim")
    for block in view.blocks:
        _block(view, block, console, plain=plain)
    if view.legend:
        console.rule(Text("Legend"), style="dim")
        _legend(view, console, plain=plain)
    if report["models"]:
        models = ", ".join(f"{task}: {m['name']} {m['version']}" for task, m in report["models"].items())
        console.print(Text(f"Models: {models}", style="dim"))


def _summary(view: V.View, console: Console) -> None:
    report = view.report
    console.print(Text(view.title, style="bold"))
    src = report["source"]
    where = [src["kind"]] + [src[k] for k in ("url", "path", "outlet", "author", "published") if src.get(k)]
    if src.get("title"):
        console.print(Text(" · ".join(where), style="dim"))
    console.print(Text(", ".join(V.plural(n, what) for what, n in V.counts(report))))
    for task, items in V.label_sections(report):
        line = Text.assemble((f"{L.task_title(task)}: ", "bold"))
        line.append(", ".join(f"{L.display(x['label'])} {x['score']:.2f}" for x in items))
        console.print(line)
    for w in report["warnings"]:
        line = Text.assemble(("! ", "bold yellow"))
        line.append(f"{w['code']}: ", style="bold")
        line.append(w["message"])
        if "start" in w and w["end"] > w["start"]:
            line.append(f' (at "{V.clip(report["text"][w["start"] : w["end"]], 60)}")', style="dim")
        console.print(line)


def _panels(view: V.View, console: Console) -> None:
    report = view.report
    claims = V.claim_rows(view)
    if claims:
        console.rule(Text("Claims"), style="dim")
        for r in claims:
            line = Text.assemble((f"¶{r.block} " if r.block is not None else "", "bold dim"))
            line.append(f"“{V.clip(r.text, 160)}”")
            if r.unsourced:
                line.append(" unsourced", style="bold red")
            if r.kind == "causal":
                line.append(" causal", style="bold blue")
            who = f"source: {r.source_text} ({r.source_kind})" if r.source else L.SOURCE_KINDS.get(r.source_kind, r.source_kind)
            line.append(f" — {r.score:.2f}, {who}", style="dim")
            if r.evidence:
                line.append("; evidence: " + ", ".join(r.evidence), style="dim")
            if r.cause and r.effect:
                line.append(f"\n   {V.clip(r.cause, 70)} → {V.clip(r.effect, 70)}", style="italic")
            console.print(line)
    families, top = V.persuasion_summary(view)
    if families:
        console.rule(Text("Persuasion"), style="dim")
        for fam, n, techniques in families:
            line = Text.assemble((f"{fam} ({n}): ", "bold"))
            line.append(", ".join(f"{L.display(t)} ×{c}" for t, c in techniques))
            console.print(line)
        if top:
            line = Text.assemble(("Most persuasive paragraphs: ", "bold"))
            line.append(", ".join(f"¶{b.number} ({V.plural(n, 'techniques')})" for b, n in top))
            console.print(line)
    if report["entities"]:
        console.rule(Text("Actors"), style="dim")
        table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False)
        for name in ("Actor", "Kind", "Mentions", "Portrayal", "Role"):
            table.add_column(name, overflow="fold")
        for ent, portrayal, role in V.actor_rows(report):
            table.add_row(
                Text(ent["name"]),
                Text(ent["kind"]),
                Text(str(len(ent["mentions"]))),
                Text(portrayal),
                Text(role),
            )
        console.print(table)
        for ent, _, _ in V.actor_rows(report):
            telling = V.actor_sentences(report, ent)
            note = V.actor_note(ent)
            if note:
                console.print(Text.assemble((f"{ent['name']}", "bold"), f": {note}"))
            for label, score, text in telling:
                line = Text.assemble((f"{ent['name']}", "bold"), f" · {label} {score:.2f}: ")
                line.append(f"“{V.clip(text, 160)}”")
                console.print(line)
    if view.narratives:
        console.rule(Text("Narratives"), style="dim")
        for g in view.narratives:
            line = Text.assemble((f"{g.name} ", "bold"))
            line.append(f"{g.score:.2f}")
            if g.paragraphs:
                line.append(" — evidence in " + ", ".join(f"¶{n}" for n in g.paragraphs), style="dim")
            console.print(line)
            for sub in g.subnarratives:
                console.print(Text(f"  · {sub}"))
            if g.explanation:
                console.print(Text(f"  {g.explanation}", style="italic"))


def _block(view: V.View, block: V.Block, console: Console, *, plain: bool) -> None:
    report = view.report
    head = Text.assemble((f"¶{block.number}", "bold dim"))
    if block.index is not None:
        for task, items in report["paragraphs"][block.index]["labels"].items():
            if items:
                head.append(f"  {task}: ", style="dim")
                head.append(
                    ", ".join(f"{L.display(x['label'])} {x['score']:.2f}" for x in items), style="dim"
                )
    console.print(head)
    console.print(_block_text(view, block, plain=plain))
    console.print()


def _block_text(view: V.View, block: V.Block, *, plain: bool) -> Text:
    text = view.text
    out = Text()
    # Only coloured marks (findings and warnings in the legend) are drawn inline in the terminal.
    for seg in view.segments(block, kinds=frozenset({"finding", "warning"})):
        keyed = [m for m in seg.marks if m.key is not None]
        if seg.gap:
            for m in keyed:
                entry = view.legend_for(m.key)
                assert entry is not None
                if plain:
                    out.append("{" + _GAP + "}" + str(m.key))
                else:
                    out.append(_GAP + str(m.key).translate(_SUPERSCRIPT), style=entry.term_style)
            continue
        if plain:
            out.append("{" * sum(1 for m in seg.opens if m.key is not None))
        top = view.legend_for(keyed[0].key) if keyed else None
        style = top.term_style if top else ""
        if len(keyed) > 1 and style:
            style += " underline"
        out.append(text[seg.start : seg.end], style=style)
        for m in seg.closes:
            if m.key is None:
                continue
            entry = view.legend_for(m.key)
            assert entry is not None
            if plain:
                out.append("}" + str(m.key))
            else:
                out.append(str(m.key).translate(_SUPERSCRIPT), style=entry.term_style)
    return out


def _legend(view: V.View, console: Console, *, plain: bool) -> None:
    table = Table(box=None, show_header=False, pad_edge=False, expand=False)
    table.add_column("key", justify="right", no_wrap=True)
    table.add_column("label", overflow="fold")
    for e in view.legend:
        what = Text(e.name, style=e.term_style)
        kind = e.family or e.task
        what.append(f" ({kind}, {V.plural(e.count, 'spans')})", style="dim")
        if e.description:
            what.append("\n" + e.description)
        key = str(e.key) if plain else str(e.key).translate(_SUPERSCRIPT)
        table.add_row(Text(key, style=e.term_style), what)
    console.print(table)
