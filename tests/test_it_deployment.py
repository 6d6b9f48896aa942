"""The deployment starter note quotes kb's own Dockerfile and compose file; keep them in step."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTE = ROOT / "notes" / "starter" / "99-kb-deployment.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
QUOTED_FILES = {"dockerfile": "Dockerfile", "yaml": "docker-compose.yml"}


def quoted_blocks() -> list[tuple[str, str]]:
    return [(lang, code) for lang, code in FENCE.findall(NOTE.read_text()) if lang in QUOTED_FILES]


@pytest.mark.parametrize("lang,code", quoted_blocks())
def test_it_quotes_lines_that_exist_in_the_real_files(lang, code):
    real = {line.rstrip() for line in (ROOT / QUOTED_FILES[lang]).read_text().splitlines()}
    for line in code.splitlines():
        assert line.rstrip() in real, f"{QUOTED_FILES[lang]} has no line {line!r}"


def test_it_documents_the_backup_command_that_compose_test_runs():
    note = NOTE.read_text()
    backup = re.search(r"sh -c '(pg_dump [^']+)'", note)
    assert backup, "the note shows no pg_dump command"
    assert backup.group(1) in (ROOT / "scripts" / "compose-test").read_text()
    assert backup.group(1) in (ROOT / "README.md").read_text()


def test_it_names_the_compose_volumes_and_bind_mounts_it_describes():
    compose = (ROOT / "docker-compose.yml").read_text()
    for needed in (
        "name: kb",
        "pgdata:/var/lib/postgresql/data",
        "media:/app/media",
        "./notes-sync:/app/notes-sync",
        "./backups:/backups",
    ):
        assert needed in compose


def test_it_waits_for_a_reachable_database(db, capsys):
    from django.core.management import call_command

    call_command("wait_for_db", timeout=5)
    assert "is up" in capsys.readouterr().out


def test_it_gives_up_on_an_unreachable_database_with_a_clear_message():
    env = {k: v for k, v in os.environ.items() if k != "KB_TESTING"}
    env.update(SECRET_KEY="x", DATABASE_URL="postgresql://kb:pw@127.0.0.1:1/kb")
    result = subprocess.run(
        [sys.executable, "manage.py", "wait_for_db", "--timeout", "1", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "waiting for database 127.0.0.1:1/kb" in result.stderr
    assert "still unreachable after 1 s" in result.stderr
