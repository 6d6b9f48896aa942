import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "KB_TESTING"}}
    clean.update(env)
    code = "import kb.settings as s; print(s.DATABASES['default']['HOST'], s.DATABASES['default']['NAME'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_it_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _load_settings(DATABASE_URL="postgresql://u@/kb?host=/tmp")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_reads_the_unix_socket_form_of_database_url():
    result = _load_settings(SECRET_KEY="x", DATABASE_URL="postgresql://kb@/kbdb?host=/run/postgresql")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/run/postgresql", "kbdb"]


def test_it_reads_a_plain_database_url():
    # The form docker-compose.yml builds; dj-database-url gives it no OPTIONS.
    result = _load_settings(SECRET_KEY="x", DATABASE_URL="postgresql://kb:pw@db:5432/kb")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["db", "kb"]


def test_it_refuses_databases_other_than_postgresql():
    result = _load_settings(SECRET_KEY="x", DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_it_reads_lists_and_flags_from_the_environment():
    code = (
        "import kb.settings as s; print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.DEBUG, s.KB_PUBLIC_READ)"
    )
    env = {k: v for k, v in os.environ.items() if k != "KB_TESTING"}
    env.update(
        SECRET_KEY="x",
        DATABASE_URL="postgresql://u@/kb?host=/tmp",
        ALLOWED_HOSTS="kb.example.com, localhost",
        CSRF_TRUSTED_ORIGINS="https://kb.example.com",
        DEBUG="0",
        KB_PUBLIC_READ="false",
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "['kb.example.com', 'localhost'] ['https://kb.example.com'] False False"


def test_images_from_other_sites_are_allowed_only_where_configured():
    code = "import kb.settings as s; print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"

    def img_src(**env) -> str:
        clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "KB_TESTING", "KB_IMAGE_SOURCES"}}
        clean.update(SECRET_KEY="x", DATABASE_URL="postgresql://kb@/kb?host=/tmp", **env)
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert img_src() == "'self' data:"
    assert img_src(KB_IMAGE_SOURCES="https://img.shields.io, https://github.com") == (
        "'self' data: https://img.shields.io https://github.com"
    )
