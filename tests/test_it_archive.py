"""Export and import as one zip, images included; Obsidian vaults and GitHub wikis import too."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import Image

from notes.archive import import_zip
from notes.models import Note

pytestmark = pytest.mark.django_db


def png(color: str = "red", size: int = 4) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), color).save(out, "PNG")
    return out.getvalue()


def make_zip(path: Path, files: dict[str, bytes | str], symlinks: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, target)
    return path


@pytest.fixture
def notes_with_images(make_note, settings):
    uploads = settings.MEDIA_ROOT / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "構成図.png").write_bytes(png("blue"))
    (uploads / "screen shot.png").write_bytes(png("green"))
    (uploads / "unused.png").write_bytes(png("black"))
    make_note(
        title="構成",
        slug="layout",
        body=(
            "# 構成\n\n![構成図](/media/uploads/構成図.png)\n\n![画面](/media/uploads/screen%20shot.png)\n\n"
            '<img src="/media/uploads/構成図.png" alt="小さく" width="120">\n'
        ),
        tags=["infra", "Docs"],
    )
    make_note(title="外部画像", slug="external", body="![x](https://example.com/a.png)\n末尾   \n")
    make_note(title="tldr の頁", slug="tldr-ls", body="ls\n", tags=["tldr"])


def test_the_zip_round_trip_is_byte_identical_images_included(notes_with_images, tmp_path, settings):
    first = tmp_path / "first.zip"
    call_command("export_notes", "--zip", str(first))
    bodies = {n.slug: n.body for n in Note.objects.all()}
    with zipfile.ZipFile(first) as archive:
        names = sorted(archive.namelist())
        layout = archive.read("layout.md").decode()
    assert names == [
        "external.md",
        "layout.md",
        "media/uploads/screen shot.png",
        "media/uploads/構成図.png",
        "tldr-ls.md",
    ]
    assert "![構成図](media/uploads/構成図.png)" in layout
    assert "![画面](media/uploads/screen%20shot.png)" in layout
    assert '<img src="media/uploads/構成図.png" alt="小さく" width="120">' in layout

    # Another kb: empty database, empty media folder.
    Note.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "other-media"
    call_command("import_notes", str(first))
    assert {n.slug: n.body for n in Note.objects.all()} == bodies
    assert sorted(Note.objects.get(slug="layout").tags.names()) == ["Docs", "infra"]
    assert (settings.MEDIA_ROOT / "uploads" / "構成図.png").read_bytes() == png("blue")
    assert Client().get("/media/uploads/screen%20shot.png").status_code == 200

    second = tmp_path / "second.zip"
    call_command("export_notes", "--zip", str(second))
    assert first.read_bytes() == second.read_bytes()
    # Importing the same zip again changes nothing.
    report = import_zip(first)
    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 3)


def test_an_image_name_taken_by_another_image_is_kept_apart(notes_with_images, tmp_path, settings):
    out = tmp_path / "notes.zip"
    call_command("export_notes", "--zip", str(out))
    Note.objects.all().delete()
    (settings.MEDIA_ROOT / "uploads" / "構成図.png").write_bytes(png("yellow"))  # someone else's
    import_zip(out)
    body = Note.objects.get(slug="layout").body
    assert "](/media/imported/" in body and "構成図.png" in body
    assert (settings.MEDIA_ROOT / "uploads" / "構成図.png").read_bytes() == png("yellow")


def test_the_folder_export_writes_images_beside_the_notes(notes_with_images, tmp_path):
    out = tmp_path / "out"
    call_command("export_notes", str(out), "--exclude-tag", "TLDR")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["external.md", "layout.md", "media/uploads/screen shot.png", "media/uploads/構成図.png"]
    # The relative links resolve from the note's own folder, as in any Markdown viewer.
    text = (out / "layout.md").read_text()
    assert (out / "media/uploads/構成図.png").read_bytes() == png("blue")
    assert "](media/uploads/構成図.png)" in text


def test_the_export_picks_notes_by_tag(notes_with_images, tmp_path, capsys):
    out = tmp_path / "out"
    call_command("export_notes", str(out), "--tag", "ＤＯＣＳ", "--tag", "tldr")
    assert sorted(p.name for p in out.glob("*.md")) == ["layout.md", "tldr-ls.md"]
    printed = capsys.readouterr()
    assert "2 notes and 2 images" in printed.out and "no tag named" not in printed.err
    with pytest.raises(CommandError, match="either a folder or --zip"):
        call_command("export_notes")
    # A tag nobody uses: nothing to keep, nothing to leave out, and a warning.
    call_command("export_notes", str(tmp_path / "none"), "--tag", "nosuch")
    assert not list((tmp_path / "none").glob("*.md"))
    call_command("export_notes", str(tmp_path / "all"), "--exclude-tag", "nosuch")
    assert len(list((tmp_path / "all").glob("*.md"))) == 3
    assert "no tag named 'nosuch'" in capsys.readouterr().err


def test_it_imports_an_obsidian_vault(tmp_path, settings):
    vault = make_zip(
        tmp_path / "vault.zip",
        {
            "Team Vault/手順/Deploy steps.md": "---\ntags: [ops, deploy]\n---\nBuild first.\n\n![[Pasted image 20240101.png]]\n\n![[diagram.png|300]]\n",
            "Team Vault/Meeting 2024-01-05.md": "Agenda\n\n![](attachments/board%20photo.png)\n\n[[Deploy steps]]\n",
            "Team Vault/attachments/Pasted image 20240101.png": png("red"),
            "Team Vault/attachments/board photo.png": png("green"),
            "Team Vault/手順/diagram.png": png("blue"),
            "Team Vault/.obsidian/workspace.json": "{}",
            "__MACOSX/Team Vault/._Meeting 2024-01-05.md": "junk",
        },
    )
    call_command("import_notes", str(vault))
    assert sorted(Note.objects.values_list("title", flat=True)) == ["Deploy steps", "Meeting 2024-01-05"]
    deploy = Note.objects.get(title="Deploy steps")
    assert sorted(deploy.tags.names()) == ["deploy", "ops"]
    assert "![[" not in deploy.body
    images = sorted(p.name for p in (settings.MEDIA_ROOT / "imported").iterdir())
    assert len(images) == 3
    for name in images:
        assert (
            f"/media/imported/{name.replace(' ', '%20')}"
            in Note.objects.get(title="Deploy steps" if "board" not in name else "Meeting 2024-01-05").body
        )
    # Each image shows on the note page, the embed with a size at that size.
    html = Client().get(deploy.get_absolute_url()).content.decode()
    assert html.count('src="/media/imported/') == 2
    assert re.search(r'<img src="/media/imported/[0-9a-f]+-diagram\.png" alt="diagram" width="300">', html)


def test_it_imports_a_github_wiki(tmp_path, settings):
    wiki = make_zip(
        tmp_path / "wiki.zip",
        {
            "myproject.wiki/Home.md": "Welcome. See [[Deploy Guide]].\n",
            "myproject.wiki/Deploy-Guide.md": "# Deploy Guide\n\n![architecture](images/arch.png)\n",
            "myproject.wiki/images/arch.png": png("purple"),
            "myproject.wiki/_Sidebar.md": "* [[Home]]\n",
        },
    )
    report = import_zip(wiki)
    assert report.errors == [] and report.warnings == []
    assert sorted(Note.objects.values_list("title", flat=True)) == ["Deploy Guide", "Home"]
    assert "](/media/imported/" in Note.objects.get(title="Deploy Guide").body


def test_it_refuses_what_a_hostile_zip_tries(tmp_path, settings):
    settings.KB_IMPORT_MAX_BYTES = 10_000
    evil = make_zip(
        tmp_path / "evil.zip",
        {"../../escaped.md": "# x\n", "/abs.md": "# y\n", "ok.md": "# ok\n", "run.sh": "rm -rf ~"},
        symlinks={"link.md": "/etc/passwd"},
    )
    report = import_zip(evil)
    assert report.errors == []
    assert list(Note.objects.values_list("title", flat=True)) == ["ok"]
    # What was left out for safety is named; other files are counted.
    assert sorted(report.warnings) == [
        ("evil.zip", "not imported: 1 file that is neither Markdown nor an image"),
        ("evil.zip:../../escaped.md", "skipped: its path leads outside the zip's folder"),
        ("evil.zip:/abs.md", "skipped: its path leads outside the zip's folder"),
        ("evil.zip:link.md", "skipped: a symbolic link"),
    ]
    assert not (tmp_path.parent / "escaped.md").exists()
    bomb = make_zip(tmp_path / "bomb.zip", {"big.md": "a" * 20_000})
    report = import_zip(bomb)
    assert "more than 10000 bytes" in report.errors[0][1]
    assert report.errors[0][0] == str(bomb)
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("hello")
    with pytest.raises(CommandError):
        call_command("import_notes", str(not_zip))
    assert Note.objects.count() == 1
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("kb-import-*"))


def test_admins_download_the_zip_and_others_cannot(notes_with_images, editor_client, kb_admin):
    assert editor_client.get("/export/").status_code == 403
    admin = Client()
    admin.force_login(kb_admin)
    page = admin.get("/export/").content.decode()
    assert "ダウンロード" in page
    response = admin.get("/export/", {"download": "1", "exclude_tag": "tldr"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="kb-notes-')
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert sorted(archive.namelist()) == [
            "external.md",
            "layout.md",
            "media/uploads/screen shot.png",
            "media/uploads/構成図.png",
        ]


def test_an_export_that_would_be_empty_says_why(notes_with_images, kb_admin):
    admin = Client()
    admin.force_login(kb_admin)
    response = admin.get("/export/", {"download": "1", "tag": "nonexistent"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "nonexistent というタグはありません" in page and 'value="nonexistent"' in page
    Note.objects.all().delete()
    response = admin.get("/export/", {"download": "1"})
    assert response.status_code == 400 and "書き出すものがありません" in response.content.decode()
