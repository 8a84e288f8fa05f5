"""Evaluation results as a Rich table: per-label precision/recall/F1/support, then the official metric."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from ..evaluate import EvalResult


def _num(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:.4f}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def eval_table(result: EvalResult) -> Table:
    """The per-label table of an evaluation."""
    table = Table(title=Text(f"{result.task} · {result.split}"), box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("label", overflow="fold")
    for name in ("precision", "recall", "F1", "support"):
        table.add_column(name, justify="right", no_wrap=True)
    for row in result.per_label:
        table.add_row(
            Text(str(row.get("label", ""))),
            *(Text(_num(row.get(k))) for k in ("precision", "recall", "f1", "support")),
        )
    return table


def print_eval(result: EvalResult, *, console: Console | None = None) -> None:
    """Print an evaluation: the per-label table, the official metric line, then any extra metrics."""
    console = console or Console(highlight=False, markup=False, emoji=False)
    if result.per_label:
        console.print(eval_table(result))
    line = Text(f"{result.metric}: ", style="bold")
    line.append(_num(float(result.value)), style="bold green")
    line.append(f"  ({result.task}, split {result.split}, n={result.n})")
    console.print(line)
    if (ci := result.interval) is not None:
        console.print(Text(
            f"{ci.level:.0%} bootstrap interval: {_num(ci.low)} to {_num(ci.high)} "
            f"({ci.resamples} resamples of the {ci.n_units} {ci.unit}s)"
        ))
    for key, value in result.extra.items():
        console.print(Text(f"{key}: {_num(value)}"))
