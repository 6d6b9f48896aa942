# kb web image. Wheels are built in a throwaway stage; the runtime stage gets only what runs.
# PYTHON_IMAGE lets a test substitute a local base (see scripts/compose-test).
ARG PYTHON_IMAGE=python:3.13-slim

FROM ${PYTHON_IMAGE} AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip wheel --no-cache-dir --disable-pip-version-check --wheel-dir /wheels -r requirements.txt

FROM ${PYTHON_IMAGE}
# The app runs as this uid; chown bind-mounted folders (./notes-sync) on the host to match it.
ARG APP_UID=1000
RUN groupadd --system --gid "${APP_UID}" kb \
 && useradd --system --uid "${APP_UID}" --gid kb --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin kb
WORKDIR /app
COPY requirements.txt .
# Mounting the wheels (instead of COPYing them) keeps them out of every layer. Translation
# sources (.po, ~11 MB in Django) are dropped: only the compiled .mo catalogs are read.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --disable-pip-version-check --no-index --find-links=/wheels \
      -r requirements.txt \
 && find "$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
      -name '*.po' -delete
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Code stays root-owned (read-only for the app); only uploads and the notes folder are writable.
COPY . .
# collectstatic needs settings to load, not real secrets or a reachable database.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build@127.0.0.1:1/build \
      python manage.py collectstatic --noinput -v 0 \
 && mkdir -p media notes-sync \
 && chown kb:kb media notes-sync
USER kb
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
# A small server: 2 processes x 4 threads; access log to stdout for `docker compose logs`.
# No control socket: nothing here uses it, and /app is read-only for the app user.
CMD ["gunicorn", "kb.wsgi:application", "--bind=0.0.0.0:8000", "--workers=2", "--threads=4", \
     "--worker-class=gthread", "--access-logfile=-", "--error-logfile=-", "--no-control-socket"]
