"""`mirscope serve`: run the local web workbench (thin layer over :mod:`mirscope.web`)."""

from __future__ import annotations

from typing import Annotated

import typer

from mirscope.cli._options import DB_HELP

app = typer.Typer(
    help="Run the local web workbench (JSON API + browser UI, OpenAPI docs at /docs).",
    no_args_is_help=False,
)


@app.callback(invoke_without_command=True)
def serve(
    ctx: typer.Context,
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Interface to bind (default: this machine only)."
    ),
    port: int = typer.Option(8124, "--port", min=1, max=65535, help="TCP port."),
    kb_url: str | None = typer.Option(
        None, "--db", envvar="MIRSCOPE_DB", help=DB_HELP
    ),
    kb_alias: str | None = typer.Option(None, "--kb", hidden=True, help="Deprecated: use --db."),
    allow_edits: bool = typer.Option(
        False, "--allow-edits",
        help="Accept edits: POST /api/evidence adds user records, PUT changes them (needs "
        "--token).",
    ),
    token: Annotated[list[str] | None, typer.Option(
        "--token", envvar="MIRSCOPE_TOKEN",
        help="Bearer token (at least 8 characters), or NAME=TOKEN to record edits under "
        "NAME; repeatable (env MIRSCOPE_TOKEN, space-separated). Needed for edits, and for "
        "every API call when --host is not a loopback address.",
    )] = None,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="Another Host name to answer to (repeatable)."
    )] = None,
    max_upload_mb: float = typer.Option(
        5.0, "--max-upload-mb", min=0.001, help="Largest accepted upload (MB)."
    ),
    max_rows: int = typer.Option(50_000, "--max-rows", min=1, help="Largest accepted table (rows)."),
) -> None:
    """Serve the workbench at http://HOST:PORT/ until Ctrl-C."""
    if ctx.invoked_subcommand is not None:
        return
    from mirscope.web import serve as run
    from mirscope.web.server import parse_tokens

    kb_url = kb_url or kb_alias
    typer.echo(f"mirscope workbench on http://{host}:{port}/ (API docs: /docs); Ctrl-C stops.", err=True)
    run(
        host=host, port=port, kb_url=kb_url, allow_edits=allow_edits,
        tokens=parse_tokens(token or []), allow_hosts=allow_host or (),
        max_upload_bytes=int(max_upload_mb * 1_000_000), max_rows=max_rows,
    )
