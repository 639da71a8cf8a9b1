# syntax=docker/dockerfile:1
# The topic creator's image (not a service): runs deploy/create_topics.py once per deployment,
# as the Kubernetes Job kohtaamo-create-topics and the compose service `topics` do.
# `docker build -f deploy/docker/topics.Dockerfile -t kohtaamo-topics .` from the repository root.

# --- build: the pinned dependencies and shared/ into a virtualenv ------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && python -m venv /venv \
 && /venv/bin/pip install --no-cache-dir -c requirements.lock -r requirements.txt
COPY shared ./shared
RUN /venv/bin/pip install --no-cache-dir --no-deps .

# --- runtime: the virtualenv and the script, as a non-root user --------------------------------
FROM python:3.11-slim-bookworm AS topics
RUN groupadd --system --gid 10001 kohtaamo \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin kohtaamo
COPY --from=build /venv /venv
WORKDIR /app
COPY deploy/create_topics.py ./deploy/create_topics.py
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
USER 10001:10001
# A one-shot job: nothing to probe while it runs, its exit status is its health.
HEALTHCHECK NONE
CMD ["python", "-m", "deploy.create_topics"]
