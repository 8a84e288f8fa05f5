"""The Markdown report: title, summary, labels, warnings, panels, a findings table and the text.

Article text is escaped twice over: HTML-significant characters become entities (Markdown viewers pass
raw HTML through) and Markdown punctuation gets a backslash, so the text shows exactly as written.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from . import _view as V
from . import labels as L

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~^])")
_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))", re.MULTILINE)


def md_escape(text: str, *, lines: bool = False) -> str:
    """``text`` as literal Markdown: no markup, no raw HTML (``lines``: no list or heading at a line start)."""
    text = escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, text) if lines else text


def _escape_line_start(m: re.Match[str]) -> str:
    # "- x" would start a list and "1. x" a numbered one; the backslash goes before the punctuation.
    if m.group(2):
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)


def cell(text: str) -> str:
    """``text`` escaped for one table cell (one line, pipes escaped)."""
    return md_escape(" ".join(text.split()))


def render_markdown(report: dict[str, Any]) -> str:
    """A (valid) schema-v1 report as Markdown."""
    view = V.build(report)
    out: list[str] = [f"# {md_escape(view.title)}", ""]
    src = report["source"]
    meta = [src["kind"]] + [src[k] for k in ("url", "path", "outlet", "author", "published") if src.get(k)]
    out += [" · ".join(md_escape(m) for m in meta), ""]

    out += ["## Summary", ""]
    out += [f"- {V.plural(n, what)}" for what, n in V.counts(report)]
    out.append("")

    sections = V.label_sections(report)
    if sections:
        out += ["## Labels", ""]
        for task, items in sections:
            shown = ", ".join(f"{md_escape(L.display(x['label']))} ({x['score']:.2f})" for x in items)
            out.append(f"- **{md_escape(L.task_title(task))}**: {shown}")
        out.append("")

    if report["warnings"]:
        out += ["## Warnings", ""]
        for w in report["warnings"]:
            line = f"- **{md_escape(w['code'])}**: {md_escape(w['message'])}"
            if "start" in w:
                block = view.block_of(w["start"])
                where = f"¶{block.number}" if block else "text"
                quoted = V.clip(report["text"][w["start"] : w["end"]], 60)
                line += f" ({where}" + (f": “{md_escape(quoted)}”)" if quoted else ")")
            out.append(line)
        out.append("")

    claims = V.claim_rows(view)
    if claims:
        out += ["## Claims", ""]
        for r in claims:
            where = f"¶{r.block} " if r.block is not None else ""
            flags = (" **unsourced**" if r.unsourced else "") + (" *causal*" if r.kind == "causal" else "")
            who = f"source: {md_escape(r.source_text)} ({md_escape(r.source_kind)})" if r.source else md_escape(
                L.SOURCE_KINDS.get(r.source_kind, r.source_kind)
            )
            line = f"- {where}“{md_escape(V.clip(r.text, 160))}”{flags} — {r.score:.2f}, {who}"
            if r.evidence:
                line += "; evidence: " + ", ".join(md_escape(h) for h in r.evidence)
            if r.cause and r.effect:
                line += f"; {md_escape(V.clip(r.cause, 70))} → {md_escape(V.clip(r.effect, 70))}"
            out.append(line)
        out.append("")

    families, top = V.persuasion_summary(view)
    if families:
        out += ["## Persuasion", ""]
        for fam, n, techniques in families:
            names = ", ".join(f"{md_escape(L.display(t))} ×{c}" for t, c in techniques)
            out.append(f"- **{md_escape(fam)}** ({n}): {names}")
        if top:
            out += [
                "",
                "Most persuasive paragraphs: "
                + ", ".join(f"¶{b.number} ({V.plural(n, 'techniques')})" for b, n in top),
            ]
        out.append("")

    if report["entities"]:
        out += ["## Actors", "", "| Actor | Kind | Mentions | Portrayal | Role |", "|---|---|---:|---|---|"]
        for ent, portrayal, role in V.actor_rows(report):
            out.append(
                f"| {cell(ent['name'])} | {cell(ent['kind'])} | {len(ent['mentions'])} | {cell(portrayal)} | {cell(role)} |"
            )
        out.append("")
        for ent, _, _ in V.actor_rows(report):
            note = V.actor_note(ent)
            if note:
                out.append(f"- **{md_escape(ent['name'])}**: {md_escape(note)}")
            for label, score, text in V.actor_sentences(report, ent):
                out.append(f"- **{md_escape(ent['name'])}** · {md_escape(label)} {score:.2f}: “{md_escape(V.clip(text, 160))}”")
        if out[-1] != "":
            out.append("")

    if view.narratives:
        out += ["## Narratives", ""]
        for g in view.narratives:
            line = f"- **{md_escape(g.name)}** ({g.score:.2f})"
            if g.paragraphs:
                line += " — evidence in " + ", ".join(f"¶{n}" for n in g.paragraphs)
            out.append(line)
            out += [f"  - {md_escape(s)}" for s in g.subnarratives]
            if g.explanation:
                out.append(f"  - *{md_escape(g.explanation)}*")
        out.append("")

    if report["findings"]:
        out += [
            "## Findings",
            "",
            "| ¶ | Task | Label | Score | Text | Reason |",
            "|---:|---|---|---:|---|---|",
        ]
        for f in report["findings"]:
            block = view.block_of(f["start"])
            quoted = V.clip(report["text"][f["start"] : f["end"]], 80)
            why = V.reason(f["task"], f["label"], f["attrs"]) or ""
            out.append(
                f"| {block.number if block else ''} | {cell(f['task'])} | {cell(L.display(f['label']))} "
                f"| {f['score']:.2f} | {cell(quoted)} | {cell(why)} |"
            )
        out.append("")

    out += ["## Text", ""]
    for block in view.blocks:
        labels = ""
        if block.index is not None:
            parts = [
                f"{md_escape(task)}: "
                + ", ".join(f"{md_escape(L.display(x['label']))} {x['score']:.2f}" for x in items)
                for task, items in report["paragraphs"][block.index]["labels"].items()
                if items
            ]
            labels = f" *({'; '.join(parts)})*" if parts else ""
        body = md_escape(report["text"][block.start : block.end], lines=True).replace("\n", "  \n")
        out += [f"**¶{block.number}**{labels} {body}", ""]

    if report["models"]:
        out += ["---", ""]
        models = ", ".join(f"{task}: {m['name']} {m['version']}" for task, m in report["models"].items())
        out += [f"Models: {md_escape(models)} · spinscope {md_escape(report['spinscope_version'])}", ""]
    return "\n".join(out)
