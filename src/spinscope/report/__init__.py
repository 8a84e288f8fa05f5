"""Report writers: a Document to report schema v1 (JSON), self-contained HTML, Markdown or the terminal.

Every writer works from the same schema-v1 dict (``to_report``), so the formats cannot drift apart.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

    from ..document import Document

SCHEMA_VERSION = "1"
FORMATS = ("json", "jsonl", "html", "md", "terminal")

__all__ = ["FORMATS", "SCHEMA_VERSION", "InvalidReport", "render", "schema", "to_report", "validate"]


class InvalidReport(ValueError):
    """A report dict breaks schema v1; ``errors`` lists each problem as "path: message"."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:20]
        more = f"\n  … and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        super().__init__("report does not match schema v1:\n  " + "\n  ".join(shown) + more)
        self.errors = errors


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of report schema v1, as shipped in the package."""
    return json.loads(_schema_text())


@cache
def _schema_text() -> str:
    return files(__package__).joinpath("schema.json").read_text(encoding="utf-8")


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(_schema_text()))


def to_report(doc: Document) -> dict[str, Any]:
    """The Document as a report schema v1 dict: None-valued optional fields dropped, labels highest first."""
    from .. import __version__

    data = doc.to_dict()
    return {
        "schema_version": SCHEMA_VERSION,
        "spinscope_version": __version__,
        "source": _drop_none(data["source"]),
        "text": data["text"],
        "paragraphs": [
            {"start": p["start"], "end": p["end"], "labels": _label_sets(p.get("labels"))}
            for p in data["paragraphs"]
        ],
        "sentences": [{"start": s["start"], "end": s["end"]} for s in data["sentences"]],
        "links": [{"start": s["start"], "end": s["end"], "href": s["href"]} for s in data["links"]],
        "labels": _label_sets(data["labels"]),
        "findings": sorted(
            (
                {
                    "task": f["task"],
                    "label": f["label"],
                    "start": f["start"],
                    "end": f["end"],
                    "score": f["score"],
                    "attrs": f.get("attrs") or {},
                }
                for f in data["findings"]
            ),
            key=lambda f: (f["start"], -f["end"], f["task"], f["label"]),
        ),
        "entities": [_entity(e) for e in data["entities"]],
        "warnings": [_drop_none(w) for w in data["warnings"]],
        "models": {task: _drop_none(m) for task, m in data["models"].items()},
    }


def validate(report: dict[str, Any]) -> None:
    """Raise InvalidReport unless ``report`` follows schema v1, offsets included (each inside ``text``)."""
    errors = [
        f"{_path(err.absolute_path)}: {err.message}"
        for err in sorted(_validator().iter_errors(report), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if not errors:  # the checks below trust the types the schema guarantees
        errors = _semantic_errors(report)
    if errors:
        raise InvalidReport(errors)


def render(doc: Document, fmt: str, *, check: bool = True) -> str:
    """The report for ``doc`` as a string in ``fmt``: "json", "jsonl" (one line), "html", "md" or "terminal" (plain text).

    ``check=False`` skips validating the report against schema v1 (27 ms of an article's report
    costs 33): for batches, whose report shape the tests validate.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    report = to_report(doc)
    if check:
        validate(report)
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "jsonl":  # one line: a batch writes one report per line (JSON Lines)
        return json.dumps(report, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    if fmt == "html":
        from .html import render_html

        return render_html(report)
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(report)
    from .terminal import render_text

    return render_text(report)


# --- reshaping -------------------------------------------------------------------------------------


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _labels(items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    # Stable sort: equal scores keep the component's order.
    return sorted(
        ({"label": x["label"], "score": x["score"]} for x in items or []), key=lambda x: -x["score"]
    )


def _label_sets(sets: dict[str, list[dict[str, Any]]] | None) -> dict[str, list[dict[str, Any]]]:
    return {task: _labels(items) for task, items in (sets or {}).items()}


def _entity(e: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": e["name"],
        "kind": e["kind"],
        "mentions": sorted(
            ({"start": m["start"], "end": m["end"]} for m in e["mentions"]),
            key=lambda m: (m["start"], m["end"]),
        ),
    }
    if e.get("portrayal") is not None:
        out["portrayal"] = {"label": e["portrayal"]["label"], "score": e["portrayal"]["score"]}
    if e.get("role") is not None:
        role = e["role"]
        out["role"] = {"main": role["main"], "score": role["score"], "fine": _labels(role.get("fine"))}
    if e.get("attrs"):
        out["attrs"] = e["attrs"]
    return out


# --- checks JSON Schema cannot express ---------------------------------------------------------------


def _path(parts: Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _semantic_errors(report: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    n = len(report["text"])

    def span(path: str, item: dict[str, Any]) -> None:
        if "start" not in item:
            return
        s, e = item["start"], item["end"]
        if not s <= e <= n:
            errors.append(f"{path}: span [{s}, {e}) is not inside text of length {n}")

    def ordered(path: str, items: list[dict[str, Any]]) -> None:
        for i in range(1, len(items)):
            if items[i]["start"] < items[i - 1]["end"]:
                errors.append(f"{path}[{i}]: starts before the previous one ends")

    def descending(path: str, labels: list[dict[str, Any]]) -> None:
        for i in range(1, len(labels)):
            if labels[i]["score"] > labels[i - 1]["score"]:
                errors.append(f"{path}[{i}]: labels must be sorted by score, highest first")
                return

    for key in ("paragraphs", "sentences", "links", "findings", "warnings"):
        for i, item in enumerate(report[key]):
            span(f"$.{key}[{i}]", item)
    for key in ("paragraphs", "sentences"):
        ordered(f"$.{key}", report[key])
    for i, p in enumerate(report["paragraphs"]):
        for task, labels in p["labels"].items():
            descending(f"$.paragraphs[{i}].labels.{task}", labels)
    for task, labels in report["labels"].items():
        descending(f"$.labels.{task}", labels)
    for i, e in enumerate(report["entities"]):
        for j, m in enumerate(e["mentions"]):
            span(f"$.entities[{i}].mentions[{j}]", m)
        if "role" in e:
            descending(f"$.entities[{i}].role.fine", e["role"]["fine"])
    errors.extend(_non_finite(report, "$"))
    return errors


def _non_finite(value: Any, path: str) -> list[str]:
    # NaN slips through "minimum"/"maximum" (every comparison is false) and is not valid JSON.
    if isinstance(value, float):
        return [] if math.isfinite(value) else [f"{path}: {value} is not a finite number"]
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in _non_finite(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in _non_finite(v, f"{path}[{i}]")]
    return []
