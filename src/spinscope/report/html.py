"""The HTML report: one self-contained file (inline CSS and JS, no external requests).

Every piece of article text and every attribute value goes through ``html.escape``; the report JSON is
embedded with ``<``, ``>`` and ``&`` as ``\\u`` escapes, so nothing in an article can close a tag. A
Content-Security-Policy allows only our own script (by hash) and forbids every fetch.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from html import escape
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from . import _view as V
from . import labels as L

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def _e(value: object) -> str:
    return escape(str(value), quote=True)


@cache
def _asset(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # "<" and ">" only occur inside JSON strings, where \\u escapes mean the same thing.
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


def safe_href(href: str) -> str | None:
    """``href`` if it is an absolute http(s) or mailto URL, else None (no javascript:, data:, relative …)."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return href.strip()


def render_html(report: dict[str, Any]) -> str:
    """A (valid) schema-v1 report as one self-contained HTML page."""
    view = V.build(report)
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    colours = "\n".join(f".c{e.key} {{ background-color: {e.html_color}; }}" for e in view.legend)
    # Marks the page's script needs: coloured ones (legend key) and those a panel highlights (group).
    marks = {
        m.id: {"k": m.key, "g": m.group, "t": m.tip, "w": m.kind == "warning"}
        for m in view.marks
        if m.key is not None or m.group is not None
    }
    view_data = {
        "legend": [{"key": e.key, "task": e.task, "label": e.label} for e in view.legend],
        "marks": marks,
    }
    aside = "".join(
        [
            _summary(view),
            _label_sections(report),
            _warnings(view),
            _claims(view),
            _causal_chain(view),
            _persuasion(view),
            _actors(report),
            _narratives(view),
            _legend(view),
        ]
    )
    body = "".join(_block(view, b) for b in view.blocks)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">
<meta name="generator" content="spinscope {_e(report["spinscope_version"])}">
<title>{_e(view.title)} — spinscope</title>
<style>
{_asset("report.css")}
.para p {{ white-space: pre-line; margin: 0; }}
{colours}
</style>
</head>
<body>
<header>
<h1>{_e(view.title)}</h1>
{_source_line(report)}
</header>
<main>
<article id="text" aria-label="Article text">
{body}
</article>
<aside>
{aside}
</aside>
</main>
{_footer(report)}
<div id="tip" role="tooltip" hidden></div>
<script type="application/json" id="spinscope-report">{json_for_script(report)}</script>
<script type="application/json" id="spinscope-view">{json_for_script(view_data)}</script>
<script>{script}</script>
</body>
</html>
"""


def _source_line(report: dict[str, Any]) -> str:
    src = report["source"]
    parts = [_e(src["kind"])]
    if src.get("url"):
        href = safe_href(src["url"])
        url = _e(src["url"])
        parts.append(f'<a href="{_e(href)}" rel="noopener noreferrer nofollow">{url}</a>' if href else url)
    for key in ("path", "outlet", "author", "published"):
        if src.get(key):
            parts.append(_e(src[key]))
    return f'<p class="meta">{" · ".join(parts)}</p>'


def _summary(view: V.View) -> str:
    items = "".join(f"<li>{_e(V.plural(n, what))}</li>" for what, n in V.counts(view.report))
    return f'<section id="summary"><h2>Summary</h2><ul>{items}</ul></section>'


def _bar(score: float) -> str:
    pct = max(0.0, min(100.0, score * 100))
    return f'<span class="bar" aria-hidden="true"><span style="width:{pct:.0f}%"></span></span>'


def _label_sections(report: dict[str, Any]) -> str:
    sections = V.label_sections(report)
    if not sections:
        return ""
    out = ['<section id="labels"><h2>Labels</h2>']
    for task, items in sections:
        out.append(f'<h3>{_e(L.task_title(task))}</h3><ul class="labels plain">')
        for x in items:
            desc = L.describe(task, x["label"])
            out.append(
                f"<li><strong>{_e(L.display(x['label']))}</strong>{_bar(x['score'])}"
                f'<span class="score">{x["score"]:.2f}</span>'
                + (f'<p class="desc">{_e(desc)}</p>' if desc else "")
                + "</li>"
            )
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _warnings(view: V.View) -> str:
    report = view.report
    if not report["warnings"]:
        return ""
    out = ['<section id="warnings"><h2>Warnings</h2><ul>']
    for i, w in enumerate(report["warnings"]):
        item = f"<strong>{_e(w['code'])}</strong>: {_e(w['message'])}"
        if "start" in w:
            quoted = V.clip(report["text"][w["start"] : w["end"]], 60)
            item += f' <a href="#m-w{i}">“{_e(quoted)}”</a>' if quoted else f' <a href="#m-w{i}">(show)</a>'
        out.append(f"<li>{item}</li>")
    out.append("</ul></section>")
    return "".join(out)


def _claims(view: V.View) -> str:
    rows = V.claim_rows(view)
    if not rows:
        return ""
    n_sent = len(view.report["sentences"])
    unsourced = sum(r.unsourced for r in rows)
    out = [
        '<section id="claims"><h2>Claims</h2>',
        f'<p class="muted">{_e(V.plural(len(rows), "claims"))} in {_e(V.plural(n_sent, "sentences"))}; '
        f"{unsourced} unsourced (check-worthy, no named source, no link).</p>",
        '<ol class="claims">',
    ]
    for r in rows:
        where = f'<a href="#m-{r.mark}">¶{r.block}</a> ' if r.block is not None else f'<a href="#m-{r.mark}">show</a> '
        badges = []
        if r.unsourced:
            badges.append('<span class="badge unsourced">unsourced</span>')
        if r.kind == "causal":
            badges.append('<span class="badge causal">causal</span>')
        meta = [f"{_e(L.display(r.label))} {r.score:.2f}"]
        if r.source:
            meta.append(f"source: {_e(r.source_text)} ({_e(r.source_kind)})")
        else:
            meta.append(_e(L.SOURCE_KINDS.get(r.source_kind, r.source_kind)))
        if r.evidence:
            links = []
            for href in r.evidence:
                safe = safe_href(href)
                shown = _e(V.clip(href, 50))
                links.append(f'<a href="{_e(safe)}" rel="noopener noreferrer nofollow">{shown}</a>' if safe else shown)
            meta.append("evidence: " + ", ".join(links))
        item = f"<li>{where}“{_e(V.clip(r.text, 160))}” {''.join(badges)}<br><small>{' · '.join(meta)}</small>"
        if r.cause and r.effect:
            item += f'<br><small class="chain">{_e(V.clip(r.cause, 70))} → {_e(V.clip(r.effect, 70))}</small>'
        out.append(item + "</li>")
    out.append("</ol></section>")
    return "".join(out)


_NODE_W, _NODE_H, _GAP_X, _GAP_Y, _LINE = 170, 48, 46, 14, 22


def _node_lines(text: str) -> list[str]:
    """A node's label in at most two lines of about ``_LINE`` characters (the full text is its tooltip)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > _LINE:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
        if len(lines) == 2:
            break
    if len(lines) < 2 and line:
        lines.append(line)
    if len(lines) == 2 and " ".join(lines) != " ".join(words):
        lines[1] = V.clip(lines[1] + " …", _LINE)
    return [V.clip(x, _LINE) for x in lines[:2]]


def causal_svg(graph: V.CausalGraph) -> str:
    """The causal graph as inline SVG: one box per cause or effect, arrows from cause to effect."""
    width = graph.columns * (_NODE_W + _GAP_X) - _GAP_X + 8
    height = graph.rows * (_NODE_H + _GAP_Y) - _GAP_Y + 8
    pos = {n.id: (4 + n.column * (_NODE_W + _GAP_X), 4 + n.row * (_NODE_H + _GAP_Y)) for n in graph.nodes}
    out = [
        f'<svg class="causal" role="img" aria-label="Causal chain" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
    ]
    for src, dst, finding in graph.edges:
        (x1, y1), (x2, y2) = pos[src], pos[dst]
        if x2 > x1:
            a, b = (x1 + _NODE_W, y1 + _NODE_H / 2), (x2, y2 + _NODE_H / 2)
        else:  # same column or backwards (a cycle): leave from the bottom, arrive at the top
            a, b = (x1 + _NODE_W / 2, y1 + _NODE_H), (x2 + _NODE_W / 2, y2)
        # The arrowhead is drawn, not a <marker>: a marker needs url(#…), which the report never writes.
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = max(1.0, (dx * dx + dy * dy) ** 0.5)
        ux, uy = dx / length, dy / length
        tip = f"{b[0]:.0f},{b[1]:.0f} {b[0] - 8 * ux - 4 * uy:.0f},{b[1] - 8 * uy + 4 * ux:.0f} {b[0] - 8 * ux + 4 * uy:.0f},{b[1] - 8 * uy - 4 * ux:.0f}"
        out.append(
            f'<g class="edge" data-finding="f{finding}"><path d="M{a[0]:.0f},{a[1]:.0f} L{b[0] - 6 * ux:.0f},{b[1] - 6 * uy:.0f}" '
            f'stroke="#4b5563" stroke-width="1.5" fill="none"/><polygon points="{tip}" fill="#4b5563"/></g>'
        )
    for n in graph.nodes:
        x, y = pos[n.id]
        out.append(
            f'<g class="node"><title>{_e(n.text)}</title><rect x="{x}" y="{y}" width="{_NODE_W}" height="{_NODE_H}" '
            'rx="6" fill="#ffffff" stroke="#9ca3af"/>'
        )
        lines = _node_lines(n.text)
        for k, line in enumerate(lines):
            ty = y + _NODE_H / 2 + (k - (len(lines) - 1) / 2) * 15 + 4
            out.append(f'<text x="{x + 8}" y="{ty:.0f}" font-size="12" fill="#1f2328">{_e(line)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _causal_chain(view: V.View) -> str:
    graph = V.causal_graph(view)
    if not graph.edges:
        return ""
    return (
        '<section id="causal"><h2>Causal chain</h2>'
        '<p class="muted">Each arrow is a causal claim: cause → effect.</p>'
        f'<div class="graph">{causal_svg(graph)}</div></section>'
    )


def _persuasion(view: V.View) -> str:
    families, top = V.persuasion_summary(view)
    if not families:
        return ""
    out = ['<section id="persuasion"><h2>Persuasion</h2><ul>']
    for fam, n, techniques in families:
        names = ", ".join(f"{_e(L.display(t))} ×{c}" for t, c in techniques)
        desc = L.describe("family", fam)
        title = f' title="{_e(desc)}"' if desc else ""
        out.append(f"<li><strong{title}>{_e(fam)}</strong> ({n}): {names}</li>")
    out.append("</ul>")
    if top:
        links = ", ".join(
            f'<a href="#p{b.number}">¶{b.number}</a> ({_e(V.plural(n, "techniques"))})' for b, n in top
        )
        out.append(f"<p>Most persuasive paragraphs: {links}</p>")
    out.append("</section>")
    return "".join(out)


def _actors(report: dict[str, Any]) -> str:
    if not report["entities"]:
        return ""
    out = [
        '<section id="actors"><h2>Actors</h2><p class="muted">Click an actor to highlight their mentions.</p>',
        "<table><thead><tr><th>Actor</th><th>Mentions</th><th>Portrayal</th><th>Role</th></tr></thead><tbody>",
    ]
    order = sorted(range(len(report["entities"])), key=lambda i: -len(report["entities"][i]["mentions"]))
    for i in order:
        ent = report["entities"][i]
        portrayal = ""
        if "portrayal" in ent:
            p = ent["portrayal"]
            desc = L.describe("portrayal", p["label"])
            title = f' title="{_e(desc)}"' if desc else ""
            portrayal = f"<span{title}>{_e(V.portrayal_text(ent))}</span>"
        role = ""
        if "role" in ent and not V.shows_role(ent):
            score = (ent.get("attrs") or {}).get("cast_score")
            note = f" (casting score {score:.2f})" if isinstance(score, float) else ""
            role = f'<span class="muted" title="{_e("the story does not cast this actor in a role" + note)}">–</span>'
        elif "role" in ent:
            r = ent["role"]
            desc = L.describe("role", r["main"])
            title = f' title="{_e(desc)}"' if desc else ""
            role = f"<span{title}>{_e(r['main'])} {r['score']:.2f}</span>"
            if r["fine"]:
                role += (
                    "<br><small>"
                    + ", ".join(f"{_e(x['label'])} {x['score']:.2f}" for x in r["fine"])
                    + "</small>"
                )
        note = V.actor_note(ent)
        kind = _e(ent["kind"]) + (f" · {_e(note)}" if note else "")
        out.append(
            f'<tr><td><button type="button" class="group" data-group="e{i}" aria-pressed="false">{_e(ent["name"])}'
            f"</button><br><small>{kind}</small></td><td>{len(ent['mentions'])}</td>"
            f"<td>{portrayal}</td><td>{role}</td></tr>"
        )
        telling = V.actor_sentences(report, ent)
        if telling:
            items = "".join(
                f'<li><small class="muted">{_e(label)} {score:.2f}</small> “{_e(V.clip(text, 220))}”</li>'
                for label, score, text in telling
            )
            out.append(f'<tr class="telling"><td colspan="4"><ul class="plain">{items}</ul></td></tr>')
    out.append("</tbody></table></section>")
    return "".join(out)


def _narratives(view: V.View) -> str:
    if not view.narratives:
        return ""
    out = [
        '<section id="narratives"><h2>Narratives</h2><p class="muted">Click a narrative to highlight its evidence.</p>',
        '<ul class="plain">',
    ]
    for g in view.narratives:
        item = (
            f'<li><button type="button" class="group" data-group="{g.id}" aria-pressed="false">{_e(g.name)}</button>'
            f"{_bar(g.score)}{g.score:.2f}"
        )
        if g.subnarratives:
            item += "<ul>" + "".join(f"<li>{_e(s)}</li>" for s in g.subnarratives) + "</ul>"
        if g.explanation:
            item += f'<p class="desc">{_e(g.explanation)}</p>'
        if g.paragraphs:
            item += (
                '<p class="desc">Evidence: '
                + ", ".join(f'<a href="#p{n}">¶{n}</a>' for n in g.paragraphs)
                + "</p>"
            )
        out.append(item + "</li>")
    out.append("</ul></section>")
    return "".join(out)


def _legend(view: V.View) -> str:
    if not view.legend:
        return ""
    out = [
        '<section id="legend" class="legend"><h2>Legend</h2>',
        '<p class="buttons"><button type="button" data-all="on">All</button> '
        '<button type="button" data-all="off">None</button></p><ul class="plain">',
    ]
    for e in view.legend:
        kind = e.family or e.task
        out.append(
            f'<li><label><input type="checkbox" data-key="{e.key}" checked> '
            f'<span class="swatch c{e.key}"></span> <strong>{_e(e.name)}</strong></label> '
            f'<small class="muted">{_e(kind)} · {_e(V.plural(e.count, "spans"))}</small>'
            + (f'<p class="desc">{_e(e.description)}</p>' if e.description else "")
            + "</li>"
        )
    out.append("</ul></section>")
    return "".join(out)


def _footer(report: dict[str, Any]) -> str:
    parts = [f"spinscope {_e(report['spinscope_version'])}", f"report schema v{_e(report['schema_version'])}"]
    for task, m in report["models"].items():
        parts.append(f"{_e(task)}: {_e(m['name'])} {_e(m['version'])}")
    return f"<footer>{' · '.join(parts)}</footer>"


def _block(view: V.View, block: V.Block) -> str:
    report = view.report
    labels = ""
    if block.index is not None:
        chips = []
        for task, items in report["paragraphs"][block.index]["labels"].items():
            for x in items:
                desc = L.describe(task, x["label"])
                title = f' title="{_e(desc)}"' if desc else ""
                chips.append(f'<span class="chip"{title}>{_e(L.display(x["label"]))} {x["score"]:.2f}</span>')
            if items:
                chips.insert(len(chips) - len(items), f"{_e(task)}: ")
        if chips:
            labels = f'<div class="plabels">{"".join(chips)}</div>'
    n = block.number
    return (
        f'<div class="para" id="p{n}">{labels}<p><a class="pnum" href="#p{n}">¶{n}</a>'
        f"{_segments(view, block)}</p></div>\n"
    )


def _segments(view: V.View, block: V.Block) -> str:
    text = view.text
    out: list[str] = []
    for seg in view.segments(block):
        live = [m for m in seg.marks if m.key is not None or m.group is not None]
        link = next((m for m in seg.marks if m.kind == "link"), None)
        # Anchors for "show me" links from the panels, one per mark, where it first appears.
        out.extend(
            f'<span id="m-{m.id}"></span>' for m in live if m.start == seg.start and m.kind != "mention"
        )
        if seg.gap:
            if live:
                out.append(_element("span", "…", live, view, extra_class="gap", label="missing words"))
            continue
        chunk = _e(text[seg.start : seg.end])
        href = safe_href(link.href or "") if link else None
        if href:
            out.append(_element("a", chunk, live, view, href=href))
        elif link is not None:
            out.append(_element("span", chunk, live, view, title_extra=f"link (not followed): {link.href}"))
        elif live:
            out.append(_element("span", chunk, live, view))
        else:
            out.append(chunk)
    return "".join(out)


def _element(
    tag: str,
    inner: str,
    live: list[V.Mark],
    view: V.View,
    *,
    extra_class: str = "",
    href: str | None = None,
    label: str | None = None,
    title_extra: str | None = None,
) -> str:
    keyed = [m for m in live if m.key is not None]
    classes = ["seg"]
    if extra_class:
        classes.append(extra_class)
    if keyed:
        classes.append(f"c{keyed[0].key}")
    if len(keyed) > 1:
        classes.append("multi")
    if any(m.kind == "warning" for m in keyed):
        classes.append("warn")
    attrs = [f'class="{" ".join(classes)}"']
    if live:
        attrs.append(f'data-m="{_e(" ".join(m.id for m in live))}"')
    if keyed and tag != "a":  # reachable by keyboard, for the tooltip; links already are
        attrs.append('tabindex="0"')
    tips = ["\n".join(m.tip) for m in keyed]
    if title_extra:
        tips.append(title_extra)
    if tips:
        attrs.append(f'title="{_e(chr(10).join(tips))}"')
    if href:
        attrs.append(f'href="{_e(href)}" rel="noopener noreferrer nofollow"')
    if label:
        attrs.append(f'aria-label="{_e(label)}"')
    return f"<{tag} {' '.join(attrs)}>{inner}</{tag}>"
