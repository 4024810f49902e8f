"""The ``framing`` command: one typer app, one module per command; the work lives in the library."""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    name="framing",
    help="Read diplomatic and political news like an analyst: stance and coded subtext of every sentence.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

from framing.cli import batch, evaluate, info, score, train  # noqa: E402,F401  (registers the commands)


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors become one line on stderr and a non-zero exit, never a traceback."""
    import click

    from framing.errors import FramingError

    try:
        app(args=argv, standalone_mode=False)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        print("framing: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
