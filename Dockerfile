# Atelier Portal: one image for the web app (gunicorn), the Celery worker and Celery beat.
#   docker build -t atelier-portal:latest .      (docker compose build does the same)

# The widgets' browser libraries, exactly as package-lock.json pins them.
FROM node:20-bookworm-slim AS front
WORKDIR /front
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint's libraries (Pango, HarfBuzz, fontconfig) and a font for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fontconfig fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when the pins change. The `s3`
# extra is included so that setting S3_BUCKET switches the file storage to object storage.
COPY pyproject.toml README.md ./
COPY requirements/constraints.txt requirements/constraints.txt
RUN pip install -c requirements/constraints.txt '.[s3]'

# site/ holds plain ES modules (nothing to build); the libraries they import come from the
# node stage and are published by collectstatic (STATICFILES_DIRS).
COPY . .
COPY --from=front /front/node_modules node_modules

# Static files are collected into the image (served by WhiteNoise). The production settings
# insist on these variables; the values below exist only for this build step.
RUN SECRET_KEY=build-only-not-secret \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && mkdir -p var/media var/private \
    && chown app:app var/media var/private

USER app

# var/media (public uploads) and var/private (GED, PDFs, exports) are volumes in
# docker-compose.yml; with S3_BUCKET set, files go to object storage instead.
EXPOSE 8000

# gunicorn reads its options from GUNICORN_CMD_ARGS (docker-compose.yml's web command relies
# on it too) and its number of worker processes from WEB_CONCURRENCY (default 1).
ENV GUNICORN_CMD_ARGS="--bind=0.0.0.0:8000 --access-logfile=- --forwarded-allow-ips=* --timeout=60 --no-control-socket" \
    WEB_CONCURRENCY=3
CMD ["gunicorn", "config.wsgi:application"]
