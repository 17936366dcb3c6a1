"""`mirscope sites` commands (thin layer over the library)."""

from __future__ import annotations

import typer

app = typer.Typer(help="sites", no_args_is_help=True)
