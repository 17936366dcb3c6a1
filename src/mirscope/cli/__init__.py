"""The ``mirscope`` command line: one Typer app, one sub-app per capability.

Each capability module in this package exposes a Typer ``app``; this module only
mounts them and turns :class:`mirscope.errors.MirscopeError` into a one-line
message on stderr and exit code 2. Commands import their libraries lazily so
``mirscope --help`` stays fast.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

import typer

from mirscope import __version__
from mirscope.cli import (
    clinical,
    enrich,
    kb,
    literature,
    network,
    report,
    sequences,
    serve,
    simulate,
    sites,
)

__all__ = ["app", "main"]

app = typer.Typer(
    name="mirscope",
    help="mirscope: microRNA (miR-124) evidence, binding sites, networks, simulation, "
    "clinical analytics and literature mining in one local tool.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"mirscope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-vv for debug)."),
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


app.add_typer(kb.app, name="kb")
app.add_typer(sites.app, name="sites")
app.add_typer(sequences.app, name="sequences")
app.add_typer(network.app, name="network")
app.add_typer(enrich.app, name="enrich")
app.add_typer(simulate.app, name="simulate")
app.add_typer(clinical.app, name="clinical")
app.add_typer(literature.app, name="literature")
app.add_typer(report.app, name="report")
app.add_typer(serve.app, name="serve")

from mirscope.cli import atlas as _atlas_cli  # noqa: E402

app.add_typer(_atlas_cli.app, name="atlas")
app.add_typer(_atlas_cli.tcga_app, name="tcga")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code.

    Package errors (:class:`mirscope.errors.MirscopeError`) are printed as one line
    on stderr and give exit code 2.
    """
    from mirscope.errors import MirscopeError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        rv = app(args=args, prog_name="mirscope", standalone_mode=False)
    except MirscopeError as err:
        typer.echo(f"Error: {err}", err=True)
        for note in getattr(err, "__notes__", []):
            typer.echo(f"  {note}", err=True)
        return 2
    except typer.Exit as ex:
        return int(ex.exit_code or 0)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        return 1
    except SystemExit as ex:  # click usage errors in non-standalone mode
        return int(ex.code or 0)
    except Exception as err:  # click.UsageError and friends
        import click

        if isinstance(err, click.ClickException):
            err.show()
            return err.exit_code
        raise
    # In non-standalone mode click returns the code of `typer.Exit(code)` instead of raising.
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
