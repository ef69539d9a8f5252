# Tallywire in a container: the web process (HTTP on $PORT: /healthz, /metrics, the chat
# platforms' HTTP modes) by default; `tallywire run --worker` or `tallywire migrate` as the
# command for the other processes of the Procfile. See README, Deployment.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/tallywire/bin:$PATH \
    PORT=8000 \
    DATABASE_URL=sqlite:////data/tallywire.db

# The pinned dependencies first, so that a change of code alone rebuilds one small layer.
COPY requirements.txt /src/requirements.txt
RUN python3 -m venv /opt/tallywire \
    && grep -v '^\.$' /src/requirements.txt > /tmp/pins.txt \
    && pip install -r /tmp/pins.txt \
    && rm /tmp/pins.txt
COPY pyproject.toml README.md /src/
COPY bot /src/bot
COPY handlers /src/handlers
COPY config /src/config
COPY seeds /src/seeds
RUN pip install --no-deps /src && rm -rf /src

RUN useradd --system --uid 10001 --home-dir /data --create-home tallywire
USER tallywire
WORKDIR /data
VOLUME /data
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=4)"]

CMD ["tallywire", "run", "--web"]
