# syntax=docker/dockerfile:1
# The guide service's image: `docker build -f deploy/docker/guide.Dockerfile -t kohtaamo-guide .`
# (from the repository root). Holds only shared/ and services/guide/; see docs/operations.md.

# --- build: the pinned dependencies, then the service, into a virtualenv -----------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
# Dependencies first, from pyproject.toml with requirements.lock's pins: this layer is
# rebuilt only when they change, not on every code change.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && python -m venv /venv \
 && /venv/bin/pip install --no-cache-dir -c requirements.lock -r requirements.txt
COPY shared ./shared
COPY services/__init__.py ./services/__init__.py
COPY services/guide ./services/guide
RUN /venv/bin/pip install --no-cache-dir --no-deps .

# --- runtime: the virtualenv only, as a non-root user ------------------------------------------
FROM python:3.11-slim-bookworm AS guide
RUN groupadd --system --gid 10001 kohtaamo \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin kohtaamo
COPY --from=build /venv /venv
WORKDIR /app
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    KOHTAAMO_HTTP_HOST=0.0.0.0 \
    KOHTAAMO_HTTP_PORT=8005
USER 10001:10001
EXPOSE 8005
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=6 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/ready' % os.environ['KOHTAAMO_HTTP_PORT'], timeout=2)"]
CMD ["python", "-m", "services.guide"]
