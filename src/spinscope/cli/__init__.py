"""The command line: thin shells that validate, call one library function and print."""

from __future__ import annotations

import sys

import typer

from .. import __version__
from ..errors import SpinscopeError

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
    except Exception as err:  # click usage errors carry their own message and exit code
        import click

        if isinstance(err, click.ClickException):
            err.show()
            sys.exit(2)
        raise
