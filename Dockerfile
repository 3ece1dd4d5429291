# The worker and CLI; see docker-compose.yml.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 liveblog
WORKDIR /app
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY streams ./streams
RUN pip install --no-cache-dir . && mkdir -p /var/lib/liveblog && chown liveblog /var/lib/liveblog
USER liveblog
ENV LIVEBLOG_DATA_DIR=/var/lib/liveblog
CMD ["liveblog", "worker"]
