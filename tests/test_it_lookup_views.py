import pytest

pytestmark = pytest.mark.django_db


def test_live_results_and_the_page_share_a_url_but_not_a_cache_entry(client):
    page = client.get("/lookup/?q=ls")
    live = client.get("/lookup/?q=ls", headers={"HX-Request": "true"})
    restore = client.get(
        "/lookup/?q=ls", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in page.content.decode() and "<html" not in live.content.decode()
    assert "<html" in restore.content.decode()
    assert "HX-Request" in page["Vary"]
