# The action server and the worker (and the one-shot migrations): rasa-sdk and our bot/
# core, without Rasa and TensorFlow (docker-compose.yml: `actions`, `worker`, `migrate`).
FROM python:3.10-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    KL_DATA_DIR=/app/var \
    HOME=/app/var

WORKDIR /app

# As the Makefile's `install` target, with the slim requirements file and the same
# constraints.txt, so every version equals the tested one.
COPY requirements-actions.in constraints.txt ./
RUN python -m pip install --no-cache-dir --disable-pip-version-check --upgrade pip==24.0 \
 && python -m pip install --no-cache-dir --disable-pip-version-check -r requirements-actions.in -c constraints.txt

COPY . .
RUN useradd --system --uid 10001 --home-dir /app/var korte \
 && mkdir -p /app/var && chown korte /app/var
USER korte

EXPOSE 5055
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
