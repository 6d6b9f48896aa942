"""Every URL pattern, fed NUL bytes, bad UTF-8, overlong names and wrong methods, answers below 500.

The same probes run against a live gunicorn with `make fuzz` (scripts/fuzz.py).
"""

from urllib.parse import urlencode

import pytest

from lookup.models import Entry
from scripts import hostile

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(make_note, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT.mkdir(parents=True)
    note = make_note(title="n", slug="n", body="```sh\nls -la\n```\n", tags=["t"])
    entry = Entry.objects.create(tasks=["list"], command="ls", note=note, origin="manual")
    admin = django_user_model.objects.create_superuser("root", password="pw")
    return {"str": "n", "int": str(entry.pk), "path": "n"}, admin


def _send(client, probe: hostile.Probe):
    body = urlencode(probe.data) if probe.data is not None else ""
    return client.generic(
        probe.method,
        probe.path,
        body,
        content_type="application/x-www-form-urlencoded",
        headers=probe.headers,
    )


def _failures(client, values) -> list[str]:
    failures = []
    for probe in hostile.probes(values):
        status = _send(client, probe).status_code
        if status >= 500:
            failures.append(f"{status} {probe.method} {probe.path[:120]} {list(probe.headers)}")
    return failures


def test_the_routes_cover_the_whole_urlconf():
    texts = ["".join(p if isinstance(p, str) else "<>" for p in parts) for parts in hostile.routes()]
    for expected in [
        "notes/<>/edit/",
        "q/<>",
        "media/<>",
        "admin/",
        "markdownx/upload/",
        "trash/<>/restore/",
    ]:
        assert expected in texts
    assert len(texts) > 80


def test_no_pattern_answers_5xx_to_an_anonymous_caller(client, site):
    client.raise_request_exception = False
    values, _ = site
    assert _failures(client, values) == []


def test_no_pattern_answers_5xx_to_a_superuser(client, site):
    client.raise_request_exception = False
    values, admin = site
    client.force_login(admin)
    assert _failures(client, values) == []


def test_bad_input_gets_4xx_in_the_url_familys_format(client):
    page = client.get("/notes/a%00b/")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    api = client.get("/api/lookup?q=a%00b")
    assert api.status_code == 400 and "error" in api.json()
    text = client.get("/q/a%00b")
    assert text.status_code == 400 and text["Content-Type"].startswith("text/plain")
    for url in ["/tags/%00/", "/cheatsheet/%00/", "/lookup/?q=a%00b", "/notes/a%00b/history/"]:
        assert client.get(url).status_code == 400, url


def test_wrong_methods_and_overlong_media_names(editor_client, settings):
    settings.MEDIA_ROOT.mkdir(parents=True)
    assert editor_client.get("/markdownx/upload/").status_code == 405
    assert editor_client.get("/media/" + "a" * 300 + ".png").status_code == 404
    assert editor_client.get("/media/" + "%E3%81%82" * 100).status_code == 404
    assert editor_client.post("/media/x.png").status_code == 405
