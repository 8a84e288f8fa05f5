"""`spinscope train`: reproduce a bundled model from the data (needs the [train] extra)."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app


@app.command()
def train(
    task: str = typer.Argument(..., help="Task to train (genre, frames, repair, …)."),
    data: Path = typer.Option(Path("../shared/data"), "--data", help="Folder holding the datasets."),
    out: Path = typer.Option(..., "--out", help="Folder to write the model artefacts to."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
    encoder: str | None = typer.Option(
        None, "--encoder", help="Bundled encoder the head reads: encoder or encoder-multitask (default: the bundled head's)."
    ),
    layers: int | None = typer.Option(
        None, "--layers", help="multitask only: keep the base model's first K layers (default: all 6); with --trunk, train only the layers up to K."
    ),
    trunk: int | None = typer.Option(
        None, "--trunk", help="multitask only: fine-tune on top of models/encoder's bottom K layers, frozen and shared at run time."
    ),
    distil: Path | None = typer.Option(
        None,
        "--distil",
        help="multitask --trunk only: a whole multi-task encoder's folder (spinscope train multitask's export); "
        "the layers above start from it and learn its token states.",
    ),
    export_layers: int | None = typer.Option(
        None, "--export-layers", help="multitask only: export the first K layers of the encoder trained (default: all)."
    ),
    checkworthy_teacher: Path | None = typer.Option(
        None, "--checkworthy-teacher", help="multitask only: teacher.jsonl of `spinscope train checkworthy-teacher`; the run also "
        "learns that model's check-worthiness of news sentences in their paragraphs.",
    ),
    from_run: Path | None = typer.Option(
        None, "--from-run", help="checkworthy only: a multitask run's folder; write the check-worthiness head it trained with "
        "its encoder (which must be the --encoder's model) instead of fitting one.",
    ),
) -> None:
    """Train the model for TASK from the training splits only and write it to OUT."""
    from ..train import run

    path = run(task, data, out, seed=seed, encoder=encoder, layers=layers, trunk=trunk, distil=distil, export_layers=export_layers,
               checkworthy_teacher=checkworthy_teacher, from_run=from_run)
    typer.echo(f"wrote {path}")
