"""The /schema page: Swagger UI from the site's own static files, so its CSP needs no other host."""

from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

VENDOR = "/static/vendor/swagger-ui"


class LocalSwaggerPlugin(OpenAPIRenderPlugin):
    """Swagger UI copied from the npm package swagger-ui-dist (the Makefile and Dockerfile copy it)."""

    def __init__(self, *, path: str = "/") -> None:
        super().__init__(path=path, favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = openapi_schema.get("info", {}).get("title", "API")
        spec = self.get_openapi_json_route(request)
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{VENDOR}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-spec-url="{spec}"></div>
<script src="{VENDOR}/swagger-ui-bundle.js"></script>
<script src="/static/js/schema-docs.js"></script>
</body>
</html>""".encode()
