#!/bin/sh
# Start-up work for the containers: check config and wait for PostgreSQL. The web container
# (gunicorn) then migrates and loads the starter notes on the very first start
# (load_starter_notes does nothing once notes exist); the workers (manage.py embed and
# deliver_webhooks) wait until web has applied the migrations, so only one container migrates.
set -eu

fail() { echo "docker-entrypoint: $*" >&2; exit 1; }

[ -n "${SECRET_KEY:-}" ] || fail "SECRET_KEY is empty: set it in .env (see .env.example)"
# Without DATABASE_URL kb would try to start its embedded development database.
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is empty: set POSTGRES_PASSWORD in .env"
case "$DATABASE_URL" in
  *://*:@*) fail "DATABASE_URL has an empty password: set POSTGRES_PASSWORD in .env" ;;
esac

python manage.py wait_for_db --timeout "${KB_DB_WAIT_SECONDS:-60}"

# KB_MIGRATE=0 (the second and further web replicas of docker-compose.scale.yml): serve, and
# leave migrating to the one replica that does, like the workers below.
if [ "${1:-}" = "gunicorn" ] && [ "${KB_MIGRATE:-1}" != 0 ]; then
  python manage.py migrate --noinput
  # After an upgrade that changed the renderer: rebuild stale HTML and the wiki-link table
  # (both do nothing when everything is current).
  python manage.py render_notes
  python manage.py refresh_links
  python manage.py load_starter_notes
  if [ ! -w /app/notes-sync ]; then
    echo "docker-entrypoint: warning: /app/notes-sync is not writable by uid $(id -u);" \
      "export_notes will fail until you run 'chown $(id -u) notes-sync' on the host" >&2
  fi
elif [ "${1:-}" = "gunicorn" ] || { [ "${1:-}" = "python" ] && [ "${2:-}" = "manage.py" ] && { [ "${3:-}" = "embed" ] || [ "${3:-}" = "deliver_webhooks" ]; }; }; then
  # migrate --check exits non-zero while migrations are unapplied (or the database is away).
  waited=0 limit="${KB_MIGRATE_WAIT_SECONDS:-300}"
  until python manage.py migrate --check >/dev/null 2>&1; do
    [ "$waited" -lt "$limit" ] ||
      fail "migrations still unapplied after ${limit} s (the web container applies them: is it running?)"
    [ "$waited" -gt 0 ] || echo "docker-entrypoint: waiting for the web container to apply migrations"
    sleep 3
    waited=$((waited + 3))
  done
fi

exec "$@"
