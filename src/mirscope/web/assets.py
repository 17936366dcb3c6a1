"""Locally installed third-party browser assets served by the workbench.

Nothing is loaded from a CDN: the interactive network uses the Cytoscape.js build
inside the installed ``dash-cytoscape`` package (a React component) together with
the React/ReactDOM/prop-types builds that ship inside the installed ``dash``
package; the API documentation uses the Swagger UI files of the installed
``swagger-ui-bundle`` package. The files are located at run time with
:mod:`importlib.resources`, never copied into this repository.

Only names in a fixed table are served, so a request can never reach another
file (no path traversal).

Examples
--------
>>> table = vendor_files()
>>> "dash_cytoscape.min.js" in table
True
"""

from __future__ import annotations

import importlib.resources
import re
from functools import lru_cache
from pathlib import Path

from mirscope.errors import MissingDependencyError

__all__ = ["MEDIA_TYPES", "static_dir", "templates_dir", "vendor_files"]

#: Media type by file suffix for the vendor files.
MEDIA_TYPES: dict[str, str] = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
}

_REACT_MAJOR = 18


def _package_dir(package: str, extra: str) -> Path:
    try:
        return Path(str(importlib.resources.files(package)))
    except ModuleNotFoundError as err:
        raise MissingDependencyError(
            f"The web workbench needs the Python package {package!r}; "
            f"install it with `pip install 'mirscope[{extra}]'`."
        ) from err


def _newest(folder: Path, stem: str, major: int = _REACT_MAJOR) -> Path:
    """The ``<stem>@<version>.min.js`` file of the newest version with the given major."""
    pattern = re.compile(rf"^{re.escape(stem)}@(\d+)\.(\d+)\.(\d+)\.min\.js$")
    found: list[tuple[tuple[int, int, int], Path]] = []
    for p in folder.iterdir():
        m = pattern.match(p.name)
        if m and int(m.group(1)) == major:
            found.append(((int(m.group(1)), int(m.group(2)), int(m.group(3))), p))
    if not found:
        raise MissingDependencyError(
            f"No {stem}@{major}.x build found in {folder}; reinstall the 'dash' package "
            "(`pip install 'mirscope[web]'`)."
        )
    return max(found)[1]


@lru_cache(maxsize=1)
def _network_files() -> dict[str, Path]:
    dash_deps = _package_dir("dash", "web") / "deps"
    cyto = _package_dir("dash_cytoscape", "web")
    return {
        "react.min.js": _newest(dash_deps, "react"),
        "react-dom.min.js": _newest(dash_deps, "react-dom"),
        "prop-types.min.js": _newest(dash_deps, "prop-types", 15),
        "dash_cytoscape.min.js": cyto / "dash_cytoscape.min.js",
    }


@lru_cache(maxsize=1)
def _swagger_files() -> dict[str, Path]:
    try:
        import swagger_ui_bundle
    except ModuleNotFoundError as err:
        raise MissingDependencyError(
            "The API documentation page needs Swagger UI 5 from the 'swagger-ui-bundle-v2' "
            "package; install it with `pip install 'mirscope[web]'`."
        ) from err
    swagger = Path(str(swagger_ui_bundle.swagger_ui_path))
    return {
        "swagger-ui-bundle.js": swagger / "swagger-ui-bundle.js",
        "swagger-ui.css": swagger / "swagger-ui.css",
        "favicon-32x32.png": swagger / "favicon-32x32.png",
    }


def vendor_files(*, docs: bool = True) -> dict[str, Path]:
    """Map each public vendor file name to its path inside an installed package.

    Parameters
    ----------
    docs
        Include the Swagger UI files of the API documentation page.

    Returns
    -------
    dict
        ``{"react.min.js": Path(...), "react-dom.min.js": ..., "prop-types.min.js": ...,
        "dash_cytoscape.min.js": ...}`` and, with ``docs``, ``"swagger-ui-bundle.js"``,
        ``"swagger-ui.css"``, ``"favicon-32x32.png"``.

    Raises
    ------
    MissingDependencyError
        If ``dash`` or ``dash-cytoscape`` (or, with ``docs``, ``swagger-ui-bundle-v2``) is
        not installed or lacks a file.
    """
    files = dict(_network_files())
    if docs:
        files.update(_swagger_files())
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise MissingDependencyError(
            f"Installed web assets are missing: {missing}; reinstall with "
            "`pip install --force-reinstall 'mirscope[web]'`."
        )
    return files


def static_dir() -> Path:
    """Folder of mirscope's own CSS/JS (``mirscope/web/static``)."""
    return Path(str(importlib.resources.files("mirscope.web") / "static"))


def templates_dir() -> Path:
    """Folder of the workbench's Jinja2 templates (``mirscope/web/templates``)."""
    return Path(str(importlib.resources.files("mirscope.web") / "templates"))
