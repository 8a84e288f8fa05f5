"""print_eval: the per-label table, then the official metric line and the extras."""

from __future__ import annotations

import io

from rich.console import Console

from spinscope.evaluate import EvalResult
from spinscope.metrics import Interval
from spinscope.report.tables import print_eval


def test_print_eval() -> None:
    result = EvalResult(
        task="frames",
        split="dev",
        metric="micro-F1",
        value=0.5123456,
        n=83,
        per_label=[
            {"label": "Economic", "precision": 0.5, "recall": 0.25, "f1": 1 / 3, "support": 12},
            {"label": "Political", "precision": 0.75, "recall": 1.0, "f1": 0.857142, "support": 30},
        ],
        extra={"macro-F1": 0.41, "thresholds": {"Economic": 0.3}},
        interval=Interval(0.43, 0.59, 0.95, 1000, "article", 83),
    )
    buf = io.StringIO()
    print_eval(result, console=Console(file=buf, width=80, color_system=None))
    out = buf.getvalue()
    assert "\x1b" not in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "Economic" in out and "0.3333" in out and "12" in out and "0.8571" in out
    assert "micro-F1: 0.5123" in out and "n=83" in out
    assert out.index("Political") < out.index("micro-F1: 0.5123") < out.index("95% bootstrap") < out.index("macro-F1: 0.4100")
    assert "95% bootstrap interval: 0.4300 to 0.5900 (1000 resamples of the 83 articles)" in out
    assert result.to_dict()["interval"] == {"low": 0.43, "high": 0.59, "level": 0.95, "resamples": 1000, "unit": "article", "n_units": 83}
    assert 'thresholds: {"Economic": 0.3}' in out


def test_print_eval_without_per_label_rows(capsys) -> None:
    print_eval(EvalResult(task="repair", split="synthetic", metric="hole recall", value=0.8, n=10))
    out = capsys.readouterr().out
    assert "hole recall: 0.8000" in out
