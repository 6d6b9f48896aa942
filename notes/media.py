"""Uploaded images through Django's storage API: the local disk or an S3-compatible bucket.

Every reader of media (the access-checked /media/ view, share links, export) and every writer
(editor uploads, import_notes, migrate_media) goes through ``default_storage``, so setting
KB_S3_BUCKET moves all of them at once. Links in notes always name ``MEDIA_URL + name``, never a
bucket address: the bucket stays private and kb checks access on every image.
"""

from __future__ import annotations

import mimetypes
import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.encoding import filepath_to_uri
from django.views.static import serve

# Linux refuses longer file names (and paths) with ENAMETOOLONG, which would
# surface as a 500; S3 keys are limited to 1024 bytes.
MAX_MEDIA_NAME_BYTES = 255
MAX_MEDIA_PATH_BYTES = 1024


def on_disk() -> bool:
    return isinstance(storages["default"], FileSystemStorage)


def url_for(name: str) -> str:
    """The link a note holds for a stored file: kb's own /media/ address."""
    return settings.MEDIA_URL + filepath_to_uri(name)


def clean_name(path: str) -> str | None:
    """``path`` as a storage name, or None when it is too long or leaves the media root."""
    encoded = path.encode("utf-8", "surrogatepass")
    if len(encoded) > MAX_MEDIA_PATH_BYTES or any(len(p) > MAX_MEDIA_NAME_BYTES for p in encoded.split(b"/")):
        return None
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    if ".." in path.split("/") or posixpath.normpath(path) != path:
        return None
    return path


def exists(name: str) -> bool:
    try:
        return default_storage.exists(name)
    except (SuspiciousFileOperation, OSError, ValueError):
        return False


def read(name: str) -> bytes | None:
    """The stored bytes of ``name``, or None if there is no such file."""
    if clean_name(name) is None:
        return None
    try:
        with default_storage.open(name, "rb") as f:
            return f.read()
    except (SuspiciousFileOperation, OSError, ValueError):
        return None
    except Exception as exc:  # botocore's ClientError (NoSuchKey) when the bucket lacks it
        if _is_missing(exc):
            return None
        raise


def save(name: str, data: bytes) -> str:
    """Store ``data``; returns the name used (another one when ``name`` is taken)."""
    return default_storage.save(name, ContentFile(data))


def _is_missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return False
    code = str(response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Answer with the stored file ``path`` (callers have checked access)."""
    name = clean_name(path)
    if name is None:
        raise Http404("no such file")
    if on_disk():
        try:
            return serve(request, name, document_root=storages["default"].location)
        except OSError as exc:
            raise Http404("no such file") from exc
    # Object storage: streamed through this process, so the bucket never has to be
    # reachable by browsers or public, and every image keeps kb's access check.
    try:
        f = default_storage.open(name, "rb")
        size = f.size  # a HEAD request: fails here, before any byte is sent, when missing
    except (SuspiciousFileOperation, OSError, ValueError) as exc:
        raise Http404("no such file") from exc
    except Exception as exc:
        if _is_missing(exc):
            raise Http404("no such file") from exc
        raise
    content_type, encoding = mimetypes.guess_type(name)
    response = FileResponse(f, content_type=content_type or "application/octet-stream")
    response["Content-Length"] = str(size)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    return response
