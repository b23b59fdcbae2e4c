# The app and worker image. Database: the postgis/postgis service in docker-compose.yml.
FROM python:3.11-slim-bookworm
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      fonts-wqy-zenhei nodejs npm postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml package.json package-lock.json ./
COPY maritime_hub maritime_hub
COPY vessels vessels
COPY crew crew
COPY mediation mediation
RUN pip install --no-cache-dir . && npm ci --omit=dev --no-audit --no-fund
RUN useradd --system --home /app maritime && mkdir -p /data && chown maritime /data
USER maritime
ENV MH_VAR_DIR=/data
EXPOSE 8000
CMD ["sh", "-c", "mh db migrate && mh serve --host 0.0.0.0 --port 8000 --workers ${MH_WORKERS:-2}"]
