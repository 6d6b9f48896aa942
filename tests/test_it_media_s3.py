"""Media in S3-compatible object storage (KB_S3_BUCKET), against a real S3 API (moto server)."""

from __future__ import annotations

import io
import uuid
import zipfile

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from kb import settings as kb_settings
from notes.archive import import_zip
from notes.models import Note
from tests import s3server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3server.moto_server() as url:
        yield url


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A fresh private bucket, configured the way kb's settings read KB_S3_* from the environment."""
    name = f"kb-media-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("KB_S3_BUCKET", name)
    monkeypatch.setenv("KB_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("KB_S3_REGION", s3server.REGION)
    monkeypatch.setenv("KB_S3_ACCESS_KEY", s3server.ACCESS_KEY)
    monkeypatch.setenv("KB_S3_SECRET_KEY", s3server.SECRET_KEY)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=s3server.REGION,
        aws_access_key_id=s3server.ACCESS_KEY,
        aws_secret_access_key=s3server.SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": kb_settings.s3_storage()}
    settings.KB_S3_BUCKET = name
    client.kb_bucket = name
    return client


def keys(client) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=client.kb_bucket).get("Contents", [])
    return {
        o["Key"]: client.get_object(Bucket=client.kb_bucket, Key=o["Key"])["Body"].read() for o in listing
    }


def png(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(out, "PNG")
    return out.getvalue()


def test_the_secret_file_forms_are_read(monkeypatch, tmp_path):
    (tmp_path / "secret").write_text("from-a-file\n")
    monkeypatch.setenv("KB_S3_BUCKET", "b")
    monkeypatch.setenv("KB_S3_SECRET_KEY_FILE", str(tmp_path / "secret"))
    monkeypatch.delenv("KB_S3_ENDPOINT_URL", raising=False)
    options = kb_settings.s3_storage()["OPTIONS"]
    assert options["secret_key"] == "from-a-file" and options["endpoint_url"] is None
    monkeypatch.setenv("KB_S3_BUCKET", "")
    assert kb_settings.s3_storage() is None


def test_editor_uploads_go_to_the_bucket_and_are_served_behind_the_access_check(
    bucket, client, editor, settings
):
    settings.KB_PUBLIC_READ = False
    client.force_login(editor)
    upload = io.BytesIO(png())
    upload.name = "diagram.png"
    response = client.post(
        "/markdownx/upload/", {"image": upload}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    code = response.json()["image_code"].strip()
    # The note links to kb's own /media/ view, never to the bucket's address.
    assert code.startswith("![diagram](/media/uploads/") and s3server.ACCESS_KEY not in code
    url = code[len("![diagram](") : -1]
    stored = keys(bucket)
    assert list(stored) == [url.removeprefix("/media/")]
    assert not (settings.MEDIA_ROOT / "uploads").exists()

    image = client.get(url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == stored[url.removeprefix("/media/")]
    client.logout()
    assert client.get(url).status_code == 302  # private site: to the login page
    # Nothing public in the bucket: the object carries only its owner's grant.
    acl = bucket.get_object_acl(Bucket=bucket.kb_bucket, Key=url.removeprefix("/media/"))
    assert all("AllUsers" not in str(g["Grantee"]) for g in acl["Grants"])


def test_missing_and_escaping_names_are_404(bucket, reader_client):
    bucket.put_object(Bucket=bucket.kb_bucket, Key="uploads/here.png", Body=png())
    assert reader_client.get("/media/uploads/here.png").status_code == 200
    assert reader_client.get("/media/uploads/gone.png").status_code == 404
    assert reader_client.get("/media/uploads/../../etc/passwd").status_code == 404
    assert reader_client.get("/media/" + "x" * 300 + ".png").status_code == 404


def test_share_links_serve_the_notes_images_from_the_bucket(
    bucket, editor_client, make_note, client, settings
):
    settings.KB_PUBLIC_READ = False
    bucket.put_object(Bucket=bucket.kb_bucket, Key="uploads/shown.png", Body=b"shown-bytes")
    bucket.put_object(Bucket=bucket.kb_bucket, Key="uploads/other.png", Body=b"other-bytes")
    note = make_note(title="図", slug="incident", body="![図](/media/uploads/shown.png)\n")
    editor_client.post(f"/notes/{note.slug}/share/", {"expires_in": ""})
    from sharing.models import ShareLink

    link = ShareLink.objects.get(note=note)
    image = client.get(f"{link.get_absolute_url()}media/uploads/shown.png")
    assert image.status_code == 200 and b"".join(image.streaming_content) == b"shown-bytes"
    assert client.get(f"{link.get_absolute_url()}media/uploads/other.png").status_code == 404


def test_import_and_export_round_trip_through_the_bucket(bucket, tmp_path, settings):
    archive = tmp_path / "in.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("layout.md", "# 構成\n\n![構成図](img/構成図.png)\n")
        z.writestr("img/構成図.png", png("blue"))
    import_zip(archive)
    body = Note.objects.get().body
    stored = keys(bucket)
    assert len(stored) == 1 and next(iter(stored)).startswith("imported/")
    assert f"/media/{next(iter(stored))}" in body
    assert not (settings.MEDIA_ROOT / "imported").exists()

    out = tmp_path / "out.zip"
    call_command("export_notes", "--zip", str(out))
    with zipfile.ZipFile(out) as z:
        assert z.read(f"media/{next(iter(stored))}") == png("blue")
    # Importing the export again keeps the same object (same name, same bytes).
    Note.objects.all().delete()
    import_zip(out)
    assert keys(bucket) == stored


def test_migrate_media_copies_the_disk_files_once(bucket, settings, capsys):
    uploads = settings.MEDIA_ROOT / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "a.png").write_bytes(png("red"))
    (uploads / "画面 1.png").write_bytes(png("green"))
    (settings.MEDIA_ROOT / "imported").mkdir()
    (settings.MEDIA_ROOT / "imported" / "c.png").write_bytes(png("blue"))
    call_command("migrate_media")
    out = capsys.readouterr()
    assert "3 copied, 0 already there" in out.out and "3/3 files" in out.err
    assert keys(bucket) == {
        "uploads/a.png": png("red"),
        "uploads/画面 1.png": png("green"),
        "imported/c.png": png("blue"),
    }
    call_command("migrate_media", "--no-progress")
    assert "0 copied, 3 already there" in capsys.readouterr().out
    # A stored file of another size is kept unless asked to overwrite.
    bucket.put_object(Bucket=bucket.kb_bucket, Key="uploads/a.png", Body=b"different")
    call_command("migrate_media", "--no-progress")
    out = capsys.readouterr()
    assert "1 differing" in out.out and "uploads/a.png" in out.err
    assert keys(bucket)["uploads/a.png"] == b"different"
    call_command("migrate_media", "--no-progress", "--overwrite")
    assert keys(bucket)["uploads/a.png"] == png("red")
    assert default_storage.exists("uploads/画面 1.png")


def test_migrate_media_refuses_without_a_bucket():
    with pytest.raises(CommandError, match="KB_S3_BUCKET is not set"):
        call_command("migrate_media")


def test_backup_media_and_migrate_media_restore_a_bucket(bucket, tmp_path, capsys, s3_endpoint, settings):
    bucket.put_object(Bucket=bucket.kb_bucket, Key="uploads/a.png", Body=png("red"))
    bucket.put_object(Bucket=bucket.kb_bucket, Key="imported/deep/b.png", Body=png("blue"))
    call_command("backup_media", str(tmp_path / "backup"))
    assert "2 copied" in capsys.readouterr().out
    assert (tmp_path / "backup" / "imported" / "deep" / "b.png").read_bytes() == png("blue")
    call_command("backup_media", str(tmp_path / "backup"))
    assert "0 copied, 2 already there" in capsys.readouterr().out
    # Into an empty bucket, as after losing the old one.
    for key in ("uploads/a.png", "imported/deep/b.png"):
        bucket.delete_object(Bucket=bucket.kb_bucket, Key=key)
    call_command("migrate_media", "--from", str(tmp_path / "backup"), "--no-progress")
    assert keys(bucket) == {"uploads/a.png": png("red"), "imported/deep/b.png": png("blue")}


def test_create_bucket_makes_the_bucket_once(s3_endpoint, settings, monkeypatch, capsys):
    name = f"kb-new-{uuid.uuid4().hex[:12]}"
    for key, value in {
        "KB_S3_BUCKET": name,
        "KB_S3_ENDPOINT_URL": s3_endpoint,
        "KB_S3_REGION": s3server.REGION,
        "KB_S3_ACCESS_KEY": s3server.ACCESS_KEY,
        "KB_S3_SECRET_KEY": s3server.SECRET_KEY,
    }.items():
        monkeypatch.setenv(key, value)
    settings.STORAGES = {**settings.STORAGES, "default": kb_settings.s3_storage()}
    settings.KB_S3_BUCKET = name
    call_command("create_bucket")
    call_command("create_bucket")
    assert capsys.readouterr().out.splitlines() == [f"created bucket {name}", f"bucket {name} exists"]
    default_storage.save("uploads/x.txt", io.BytesIO(b"x"))
    assert default_storage.exists("uploads/x.txt")
