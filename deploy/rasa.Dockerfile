# Rasa with our connectors, NLG and trained model (docker-compose.yml, service `rasa`).
# Build from the repository root after `make train`:  docker compose build
FROM python:3.10-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONHASHSEED=0 \
    TF_CPP_MIN_LOG_LEVEL=3 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    RASA_TELEMETRY_ENABLED=false \
    KL_DATA_DIR=/app/var \
    HOME=/app/var

WORKDIR /app

# The same install as the Makefile's `install` target: pip 24.0, then requirements.in
# pinned by constraints.txt (tests/test_deploy.py compares the two).
COPY requirements.in constraints.txt ./
RUN python -m pip install --no-cache-dir --disable-pip-version-check --upgrade pip==24.0 \
 && python -m pip install --no-cache-dir --disable-pip-version-check -r requirements.in -c constraints.txt

COPY . .
RUN test -f models/korte-lijnen.tar.gz \
      || { echo "models/korte-lijnen.tar.gz is missing: run 'make train' before 'docker compose build'"; exit 1; } \
 && useradd --system --uid 10001 --home-dir /app/var korte \
 && mkdir -p /app/var && chown korte /app/var
USER korte

EXPOSE 5005
# Writes var/endpoints.yml from the environment (DATABASE_URL, REDIS_URL, RABBITMQ_URL) and
# execs `rasa run` with the password variables it refers to (bot/deploy/rasa_server.py).
CMD ["python", "-m", "bot.deploy.rasa_server"]
