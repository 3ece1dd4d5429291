# The worker and the CLI (`liveblog ...`) in one slim, non-root image; see docker-compose.yml and deploy/k8s/.
#   docker build -t liveblog-streams:0.1.0 .
# Two stages: the build stage installs the project and its RocksDB driver (prebuilt wheels, no compiler)
# into a virtualenv; the runtime stage copies only that virtualenv.
FROM python:3.11.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/liveblog
WORKDIR /src
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY streams ./streams
RUN /opt/liveblog/bin/pip install ".[rocksdb]"

FROM python:3.11.13-slim-bookworm
RUN useradd --create-home --uid 10001 --user-group liveblog \
    && mkdir -p /var/lib/liveblog \
    && chown 10001:10001 /var/lib/liveblog
COPY --from=build /opt/liveblog /opt/liveblog
ENV PATH=/opt/liveblog/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    LIVEBLOG_DATA_DIR=/var/lib/liveblog \
    LIVEBLOG_WEB_ENABLED=true \
    LIVEBLOG_WEB_HOST=0.0.0.0 \
    LIVEBLOG_WEB_PORT=6066
WORKDIR /var/lib/liveblog
USER 10001:10001
EXPOSE 6066
# /healthz answers once the worker's web server is up (LIVEBLOG_WEB_ENABLED, on by default here); one-shot CLI
# containers (topic creation, ingest) disable this check in docker-compose.yml.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('LIVEBLOG_WEB_PORT', '6066'), timeout=4)"]
CMD ["liveblog", "worker"]
