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
    variants,
)

__all__ = ["app", "main"]

app = typer.Typer(
    name="mirscope",
    help="mirscope: evidence, binding sites, networks, simulation, clinical analytics and "
    "literature mining for the microRNA you study (any human miRNA; demo: miR-124), in one "
    "local tool.",
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
app.add_typer(variants.app, name="variants")

from mirscope.cli import atlas as _atlas_cli  # noqa: E402

app.add_typer(_atlas_cli.app, name="atlas")
app.add_typer(_atlas_cli.tcga_app, name="tcga")


def _plain_commands(root: typer.Typer) -> None:
    """Mount sub-apps that have only a callback (``serve``, ``report``...) as plain commands.

    A Typer sub-app is a click group, whose usage line ends in ``COMMAND [ARGS]...``; a
    sub-app without subcommands is really one command, so it is registered as one (same
    callback, same help). Idempotent.
    """
    for group in list(root.registered_groups):
        sub = group.typer_instance
        cb = sub.registered_callback if sub is not None else None
        if sub is None or cb is None or sub.registered_commands or sub.registered_groups:
            continue
        root.registered_groups.remove(group)
        help_text = sub.info.help if isinstance(sub.info.help, str) else None
        root.command(group.name, help=help_text)(cb.callback)


def _flag_types_hidden() -> None:
    """Show no ``<bool>`` type for on/off flags in ``--help`` (a flag takes no value)."""
    from typer.core import TyperOption

    if getattr(TyperOption.display_type_rich, "_mirscope", False):
        return
    original = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: typer.Context) -> str | None:
        if getattr(self, "is_flag", False) and not getattr(self, "count", False):
            return None
        return original(self, ctx)

    display_type_rich._mirscope = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code.

    Package errors (:class:`mirscope.errors.MirscopeError`), usage errors (unknown
    command or option, bad option value) and unreadable files are printed as one
    named line on stderr and give exit code 2, never a traceback.
    """
    from mirscope.errors import MirscopeError

    args = list(sys.argv[1:] if argv is None else argv)
    _plain_commands(app)
    _flag_types_hidden()
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
    except Exception as err:
        code = _report_unexpected(err)
        if code is None:
            raise
        return code
    # In non-standalone mode click returns the code of `typer.Exit(code)` instead of raising.
    return rv if isinstance(rv, int) else 0


def _click_exception_types() -> tuple[type[BaseException], ...]:
    """The ``ClickException`` classes in use (Typer may vendor its own copy of click)."""
    found: list[type[BaseException]] = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            mod = __import__(module, fromlist=["ClickException"])
        except ImportError:
            continue
        found.append(mod.ClickException)
    return tuple(found)


def _report_unexpected(err: Exception) -> int | None:
    """Print a usage error or an unreadable file as ``Error: ...``; ``None`` to re-raise."""
    import gzip
    import zipfile
    import zlib

    if isinstance(err, _click_exception_types()):
        show = getattr(err, "show", None)
        if callable(show):
            show()
        else:  # pragma: no cover - defensive
            typer.echo(f"Error: {err}", err=True)
        # usage errors (unknown command/option, bad value) exit 2 like package errors
        return max(int(getattr(err, "exit_code", 2)), 2)
    unreadable = (zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError,
                  UnicodeDecodeError)
    if isinstance(err, unreadable):
        what = {
            "BadZipFile": "not a valid .xlsx/.zip file (corrupt or another format)",
            "BadGzipFile": "not a valid gzip file",
            "EOFError": "the compressed file is truncated",
            "error": "the compressed data is corrupt",
            "UnicodeDecodeError": "not UTF-8 text (a binary file?)",
        }.get(type(err).__name__, type(err).__name__)
        typer.echo(
            f"Error: unreadable input file: {what} ({type(err).__name__}: {err}). "
            "Check the file (re-download or re-export it) and its extension.",
            err=True,
        )
        return 2
    return None


_plain_commands(app)
_flag_types_hidden()

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
