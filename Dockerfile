# The production image. It builds the same virtualenv as `make install` (.venv, by the Makefile's
# own rule), without the dev extras, and the same node_modules the static files are served from.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/app/.venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends make fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      nodejs npm postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY Makefile package.json package-lock.json pyproject.toml ./
COPY . .
RUN make install EXTRAS= PYTHON=python3 \
 && DEBUG=false STATIC_MANIFEST=true .venv/bin/python manage.py collectstatic --noinput

RUN useradd --create-home portal && mkdir -p /app/media /backups && chown portal /app/media /backups
USER portal
EXPOSE 8000
# /healthz answers 503 when the database is unreachable (config/health.py). The probe names an
# allowed host and says HTTPS, as the proxy in front would.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["python", "scripts/healthcheck.py"]
# Worker class and count per core: config/gunicorn.py (gthread; docs/performance.md).
CMD ["gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py"]
