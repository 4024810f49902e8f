"""The ``framing`` command: one click group, one module per command; the work lives in the library.

click rather than typer: typer's parameter coercion imports pydantic, which added about a fifth of a second
and 12 MB to every start of a command that should answer in well under a second.
"""

from __future__ import annotations

import sys

import click


@click.group(
    name="framing",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="framing", prog_name="framing")
def app() -> None:
    """Read diplomatic and political news like an analyst: stance and coded subtext of every sentence."""


#: Options several commands share.
model_option = click.option("--model", default=None, help="Model folder (default: the shipped model).")

from framing.cli import batch, evaluate, info, score, train  # noqa: E402,F401  (registers the commands)


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors become one line on stderr and a non-zero exit, never a traceback."""
    from framing.errors import FramingError

    try:
        app.main(args=argv, prog_name="framing", standalone_mode=False)
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
