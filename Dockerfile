# diplobot, for running next to PostgreSQL (see compose.yaml and README, Deployment).
# Settings come from the environment (DISCORD_TOKEN, DATABASE_URL, SHARD_COUNT, ...);
# nothing secret is baked into the image (.dockerignore leaves .env out).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY data ./data
RUN pip install ".[postgres]" && rm -rf /build

RUN useradd --create-home --uid 10001 --user-group diplobot
USER diplobot
WORKDIR /home/diplobot

# diplobot handles SIGTERM itself (docker stop): it closes the gateway and the database.
ENTRYPOINT ["diplobot"]
CMD ["run"]
