"""The command line: thin shells that validate, call one library function and print."""

from __future__ import annotations

import sys

import typer

from .. import __version__
from ..errors import SpinscopeError, UsageError

app = typer.Typer(
    name="spinscope",
    help="Show how a news or opinion article works on its reader, pinned to the words.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spinscope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """spinscope: genre, frames, persuasion, claims, actors and narratives of an article."""


# Each command lives in its own module and registers itself on `app`.
from . import analyze, evaluate, train  # noqa: E402,F401


def main() -> None:
    """Entry point: run the app; a SpinscopeError becomes one line on stderr and exit status 2."""
    try:
        # Without standalone mode, click returns the code of a typer.Exit raised inside a command.
        status = app(standalone_mode=False)
        if isinstance(status, int) and status:
            sys.exit(status)
    except SpinscopeError as err:
        print(f"spinscope: error {err}", file=sys.stderr)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        print("spinscope: aborted", file=sys.stderr)
        sys.exit(130)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except Exception as err:
        if not _usage_error(err):
            raise
        # One line, as for every other bad input: click's own rendering is a usage block and a box.
        message = err.format_message()  # type: ignore[attr-defined]
        context = getattr(err, "ctx", None)
        where = f"{context.command_path} --help" if context is not None else "spinscope --help"
        print(f"spinscope: error {UsageError(f'{message} (see {where})')}", file=sys.stderr)
        sys.exit(2)


def _usage_error(err: Exception) -> bool:
    """Whether ``err`` is a command-line usage error (a missing argument, an unknown option or command).

    Typer 0.12-0.1x raises click's own exceptions; later versions carry a private copy of click whose
    exceptions derive from ``typer.TyperException`` instead, which ``click.ClickException`` does not catch.
    """
    import click

    families: tuple[type[Exception], ...] = (click.ClickException,)
    if hasattr(typer, "TyperException"):
        families += (typer.TyperException,)
    return isinstance(err, families) and hasattr(err, "format_message")
