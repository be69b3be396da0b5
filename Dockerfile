# The Buurtbudget app: Python 3.11, dependencies from the lock file, front-end assets from npm.
FROM node:20-bookworm-slim AS assets
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock README.md ./
COPY platform platform
COPY api api
COPY matching matching
COPY frontend frontend
RUN uv sync --frozen --no-dev
COPY --from=assets /src/frontend/node_modules/@utrecht/component-library-css/dist/index.css frontend/static/vendor/utrecht-components.css
COPY --from=assets /src/frontend/node_modules/@utrecht/design-tokens/dist/index.css frontend/static/vendor/utrecht-tokens.css
COPY --from=assets /src/frontend/node_modules/htmx.org/dist/htmx.min.js frontend/static/vendor/htmx.min.js
COPY --from=assets /src/frontend/node_modules/swagger-ui-dist/swagger-ui.css /src/frontend/node_modules/swagger-ui-dist/swagger-ui-bundle.js frontend/static/vendor/swagger-ui/
COPY --from=assets /src/frontend/node_modules/@fontsource-variable/noto-sans/files/noto-sans-latin-wght-normal.woff2 frontend/static/vendor/fonts/
ENV PATH="/app/.venv/bin:$PATH"
RUN useradd --create-home buurtbudget && mkdir -p var && chown buurtbudget var
USER buurtbudget
EXPOSE 8000
CMD ["buurtbudget", "serve", "--host", "0.0.0.0", "--port", "8000"]
