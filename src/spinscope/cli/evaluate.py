"""`spinscope eval`: score a bundled model on a dataset split."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from . import app


@app.command("eval")
def eval_(
    task: str = typer.Argument(..., help="Task to evaluate (genre, frames, repair, …)."),
    data: Path = typer.Option(Path("../shared/data"), "--data", help="Folder holding the datasets."),
    split: str = typer.Option("dev", "--split", help="Split to score."),
    format: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Run the bundled model over a split and print per-label scores and the official metric."""
    from ..evaluate import run
    from ..runtime import skip_torch

    skip_torch()  # evaluation runs the bundled ONNX and numpy models only

    result = run(task, data, split)
    if format == "json":
        typer.echo(json.dumps(result.to_dict(), indent=2))
        return
    from ..report.tables import print_eval

    print_eval(result)
