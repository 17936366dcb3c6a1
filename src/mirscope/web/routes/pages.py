"""The browser UI (``/``), locally installed vendor assets and the offline API docs.

Examples
--------
>>> router.prefix
''
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from mirscope import __version__
from mirscope.schema import ENTITY_TYPES, PERTURBATION_VERBS, RELATION_TYPES, SOURCES
from mirscope.web.assets import MEDIA_TYPES, templates_dir, vendor_files
from mirscope.web.dependencies import WorkbenchDep

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_SWAGGER_FILES = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"})


def render_index(*, read_only: bool, token_required: bool = False) -> str:
    """The workbench's single HTML page."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from mirscope.report import SECTIONS

    env = Environment(
        loader=FileSystemLoader(str(templates_dir())), autoescape=select_autoescape(["html"])
    )
    return env.get_template("index.html").render(
        version=__version__, read_only=read_only, relation_types=RELATION_TYPES,
        verbs=PERTURBATION_VERBS, token_required=token_required, sources=SOURCES,
        node_types=[t for t in ENTITY_TYPES if t not in ("cancer", "other")],
        report_sections=SECTIONS,
    )


@router.get("/")
def index(wb: WorkbenchDep) -> HTMLResponse:
    html = wb.pages.get("index")
    if html is None:
        html = wb.pages.setdefault("index", render_index(
            read_only=wb.read_only, token_required=wb.require_token))
    return HTMLResponse(html)


@router.get("/vendor/{filename}")
def vendor(filename: str) -> FileResponse:
    files = vendor_files(docs=filename in _SWAGGER_FILES)
    path = files.get(filename)
    if path is None:
        raise HTTPException(status_code=404, detail=f"No vendor file {filename!r}.")
    return FileResponse(
        path, media_type=MEDIA_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    vendor_files(docs=True)  # 501 with the install hint when Swagger UI is missing
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title="mirscope workbench API",
        swagger_js_url="/vendor/swagger-ui-bundle.js",
        swagger_css_url="/vendor/swagger-ui.css",
        swagger_favicon_url="/vendor/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None},
    )
