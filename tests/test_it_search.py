"""Search through the ORM and HTTP: index upkeep, Japanese and code queries, API, page."""

import json

import pytest
from django.core.management import call_command

from notes.importing import import_paths
from notes.models import Note
from search import synonyms
from search.models import SearchDocument, Synonym
from search.queries import ranked, search

pytestmark = pytest.mark.django_db


def titles(q: str, **kwargs) -> list[str]:
    return [n.title for n in ranked(Note.objects.all(), q, **kwargs)]


@pytest.fixture
def delete_synonyms(db):
    Synonym.objects.all().delete()
    Synonym.objects.create(words="削除, 破棄, 消す, remove, rm")
    synonyms.clear()
    yield
    synonyms.clear()


def test_index_follows_create_edit_and_delete(make_note):
    note = make_note(title="片付けメモ", body="古いコンテナを破棄する手順。")
    assert titles("コンテナを破棄したい") == ["片付けメモ"]

    note.body = "ボリュームを確認する手順。"
    note.save_with_tags(["volume"])
    assert titles("コンテナ") == []
    assert titles("ボリューム") == ["片付けメモ"]
    assert titles("volume") == ["片付けメモ"]  # tags are indexed too

    note.delete()
    assert not SearchDocument.objects.exists()
    assert titles("ボリューム") == []


def test_imported_notes_are_searchable(db, tmp_path):
    (tmp_path / "net.md").write_text("# ネットワーク\n\nコンテナ同士の名前解決について。\n", encoding="utf-8")
    import_paths([tmp_path / "net.md"])
    assert titles("名前解決") == ["ネットワーク"]


def test_reindex_rebuilds_the_index(make_note):
    make_note(title="ヘルスチェック", body="healthcheck を書く")
    SearchDocument.objects.all().delete()
    assert titles("healthcheck") == []
    call_command("reindex", stdout=open("/dev/null", "w"))
    assert titles("healthcheck") == ["ヘルスチェック"]


def test_japanese_queries(make_note, delete_synonyms):
    make_note(title="イメージの軽量化", body="マルチステージでイメージを小さくする。")
    make_note(title="コンテナの後始末", body="止めたコンテナは docker rm で消す。")
    make_note(title="ブログの書き方", body="記事を書く。")
    assert titles("軽くする方法") == ["イメージの軽量化"]
    assert titles("コンテナを削除したい") == ["コンテナの後始末"]  # 削除 = 消す (synonym)
    assert titles("ｺﾝﾃﾅ") == ["コンテナの後始末"]  # half-width katakana
    assert titles("ブログ") == ["ブログの書き方"]


def test_long_vowel_variants_match(make_note):
    make_note(title="サーバーの設定", body="")
    make_note(title="インタフェース", body="")
    assert titles("サーバ") == ["サーバーの設定"]
    assert titles("インターフェース") == ["インタフェース"]


def test_code_tokens(make_note):
    make_note(title="ポート", body="`docker run -d -p 8080:80 nginx` で公開する。")
    make_note(title="マウント", body="`docker run --mount type=volume,dst=/var/lib/mysql mysql`")
    make_note(title="compose", body="設定は docker-compose.yml に書く。")
    assert titles("-p 8080:80") == ["ポート"]
    assert titles("--mount") == ["マウント"]
    assert titles("/var/lib/mysql") == ["マウント"]
    assert titles("docker-compose") == ["compose"]
    assert titles("compose.yml") == ["compose"]


def test_each_inline_code_span_is_its_own_words(make_note):
    # Two spans in one sentence were indexed as one token (wait_for_dbdepends_on).
    make_note(
        title="起動順", body="`manage.py wait_for_db` で待つ。compose の `depends_on` だけでは足りない。"
    )
    make_note(title="一覧", body="止まったものは `docker ps -a`、動いているものは `docker ps` で見る。")
    assert titles("depends_on") == ["起動順"]
    assert titles("wait_for_db") == ["起動順"]
    assert titles("-a") == ["一覧"]


def test_the_migration_reindexes_notes_indexed_before_it(make_note):
    from importlib import import_module

    from django.apps import apps as current

    note = make_note(title="起動順", body="`wait_for_db` と `depends_on`")
    SearchDocument.objects.filter(note=note).update(document="'wait_for_dbdepends_on':1")
    assert titles("depends_on") == []
    import_module("search.migrations.0007_reindex_code_spans").reindex(current, None)
    assert titles("depends_on") == ["起動順"]


def test_exact_title_match_comes_first(make_note):
    make_note(title="docker の基本", body="docker docker docker docker run")
    make_note(title="docker", body="短い")
    assert titles("docker")[0] == "docker"


def test_typo_is_expanded_and_suggested(make_note):
    make_note(title="コンテナ入門", body="docker run で起動する。kubernetes も触る。")
    results = search("dokcer 起動")
    assert results.suggestion == "docker 起動"
    assert [n.title for n in Note.objects.filter(pk__in=results.ids)] == ["コンテナ入門"]
    assert titles("kubernets") == ["コンテナ入門"]
    # The suggestion keeps what was typed around the fix: サーバー, not the folded サバ.
    assert search("dokcer サーバー").suggestion == "docker サーバー"


def test_api_shape(client, make_note):
    make_note(title="ボリュームのバックアップ", body="tar でボリュームを固める。", tags=["volume", "backup"])
    resp = client.get("/api/search", {"q": "ボリューム バックアップ", "limit": 5})
    assert resp.status_code == 200
    data = resp.json()
    assert data["query"] == "ボリューム バックアップ"
    assert data["count"] == 1
    (hit,) = data["results"]
    assert set(hit) == {"slug", "title", "url", "tags", "snippet"}
    assert hit["url"].startswith("http://testserver/notes/")
    assert hit["tags"] == ["backup", "volume"]
    assert "<mark>ボリューム</mark>" in hit["snippet"]


def test_api_rejects_bad_parameters(client):
    resp = client.get("/api/search", {"q": "x", "limit": "lots"})
    assert resp.status_code == 400
    assert "limit" in resp.json()["fields"]


def test_api_needs_read_access(client, settings):
    settings.KB_PUBLIC_READ = False
    assert client.get("/api/search", {"q": "x"}).status_code == 401
    assert client.get("/search/", {"q": "x"}).status_code == 302


def test_tag_filter_and_facets(client, make_note):
    make_note(title="ログ A", body="コンテナのログ", tags=["logs"])
    make_note(title="ログ B", body="コンテナのログ", tags=["logs", "compose"])
    make_note(title="ネット", body="コンテナのネットワーク", tags=["network"])
    assert sorted(titles("コンテナ", tag="logs")) == ["ログ A", "ログ B"]
    resp = client.get("/search/", {"q": "コンテナ"})
    html = resp.content.decode()
    assert 'href="?q=%E3%82%B3%E3%83%B3%E3%83%86%E3%83%8A&amp;tag=logs"' in html
    assert 'logs <span class="n">2</span>' in html
    resp = client.get("/search/", {"q": "コンテナ", "tag": "network"})
    assert "ネット" in resp.content.decode() and "ログ A" not in resp.content.decode()


def test_the_api_filters_by_the_tag_names_it_returns(client, make_note):
    make_note(title="日本語のメモ", body="タグのテスト", tags=["lang:ja", "Docker"])
    make_note(title="別のメモ", body="タグのテスト", tags=["other"])
    hit = client.get("/api/search", {"q": "タグのテスト", "tag": "other"}).json()["results"][0]
    assert hit["tags"] == ["other"]
    for tag in ["lang:ja", "langja", "docker", "DOCKER"]:
        data = client.get("/api/search", {"q": "タグのテスト", "tag": tag}).json()
        assert [r["title"] for r in data["results"]] == ["日本語のメモ"], tag
    assert client.get("/api/search", {"q": "タグのテスト", "tag": "nothing"}).json()["count"] == 0


def test_pagination(client, make_note):
    for i in range(25):
        make_note(title=f"メモ {i}", body="共通の単語 zebra")
    page1 = client.get("/search/", {"q": "zebra"}).content.decode()
    page2 = client.get("/search/", {"q": "zebra", "page": 2}).content.decode()
    assert page1.count('class="result-link"') == 20
    assert page2.count('class="result-link"') == 5
    assert 'rel="next"' in page1 and 'rel="prev"' in page2


def test_page_escapes_html_and_highlights(client, make_note):
    make_note(title="<b>太字</b> のメモ", body="`<script>alert(1)</script>` とコンテナ")
    resp = client.get("/search/", {"q": "コンテナ <script>"})
    html = resp.content.decode()
    assert "<script>alert" not in html
    assert "&lt;b&gt;太字&lt;/b&gt;" in html
    assert "<mark>コンテナ</mark>" in html
    assert "&lt;<mark>script</mark>&gt;" in html


def test_htmx_gets_only_the_results_fragment(client, make_note):
    make_note(title="ネットワーク", body="bridge")
    resp = client.get("/search/", {"q": "bridge"}, headers={"HX-Request": "true"})
    html = resp.content.decode()
    assert "<html" not in html and "ネットワーク" in html


def test_page_and_fragment_vary_on_the_htmx_header(client, make_note):
    make_note(title="ネットワーク", body="bridge")
    for headers in ({}, {"HX-Request": "true"}):
        vary = client.get("/search/", {"q": "bridge"}, headers=headers)["Vary"]
        assert "HX-Request" in vary and "HX-History-Restore-Request" in vary


def test_htmx_history_restore_gets_the_whole_page(client, make_note):
    make_note(title="ネットワーク", body="bridge")
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get("/search/", {"q": "bridge"}, headers=headers).content.decode()
    assert "<html" in html and 'class="site"' in html and "ネットワーク" in html


def test_a_bad_page_number_shows_the_first_page(client, make_note):
    for i in range(25):
        make_note(title=f"メモ {i}", body="共通の単語 zebra")
    for page in ("abc", "0", "-1", "99999", "9" * 5000):
        resp = client.get("/search/", {"q": "zebra", "page": page})
        assert resp.status_code == 200
        html = resp.content.decode()
        assert "<span>1 / 2</span>" in html and html.count('class="result-link"') == 20


def test_an_over_long_query_is_cut_to_the_limit_and_kept_in_the_box(client, make_note):
    make_note(title="ネットワーク", body="bridge")
    q = "bridge " + "x" * 600
    resp = client.get("/search/", {"q": q})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert f'value="{q[:500]}"' in html and "ネットワーク" in html
    assert "errorlist" not in html
    assert client.get("/api/search", {"q": q}).status_code == 400  # the API names the field


def test_an_over_long_tag_is_an_error_that_keeps_the_query(client):
    resp = client.get("/search/", {"q": "bridge", "tag": "t" * 200})
    assert resp.status_code == 400
    assert 'value="bridge"' in resp.content.decode()


def test_synonym_edits_apply_at_once(make_note):
    make_note(title="掃除", body="prune で片付ける")
    assert titles("後片付け") == []
    Synonym.objects.create(words="後片付け, prune")
    assert titles("後片付け") == ["掃除"]


def test_opensearch_description(client):
    resp = client.get("/opensearch.xml")
    assert resp["Content-Type"].startswith("application/opensearchdescription+xml")
    assert "http://testserver/search/?q={searchTerms}" in resp.content.decode()
    home = client.get("/").content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml"' in home


def test_api_counts_json_is_utf8(client, make_note):
    make_note(title="日本語", body="漢字")
    resp = client.get("/api/search", {"q": "漢字"})
    assert "日本語" in resp.content.decode()
    assert json.loads(resp.content)["count"] == 1


def test_edit_distance_counts_a_swap_as_one_edit():
    from search.typos import edit_distance

    assert edit_distance("dokcer", "docker") == 1
    assert edit_distance("kubernets", "kubernetes") == 1
    assert edit_distance("abc", "abc") == 0


def test_vocabulary_counts_follow_edits_and_deletes(make_note):
    from search.models import Word

    a = make_note(title="A", body="docker compose")
    b = make_note(title="B", body="docker")
    assert Word.objects.get(word="docker").ndoc == 2
    assert Word.objects.get(word="compose").ndoc == 1
    a.body = "podman"
    a.save_with_tags()
    assert not Word.objects.filter(word="compose").exists()
    b.delete()
    assert not Word.objects.filter(word="docker").exists()
    call_command("reindex", stdout=open("/dev/null", "w"))
    assert dict(Word.objects.values_list("word", "ndoc")) == {"podman": 1}


def test_a_rare_spelling_the_notes_have_still_gets_a_suggestion(make_note):
    make_note(title="古いメモ", body="dokcer の設定")  # a typo kept in the notes
    for i in range(10):
        make_note(title=f"メモ {i}", body="docker の設定")
    results = search("dokcer")
    assert results.suggestion == "docker"
    assert results.count == 11
    assert search("docker").suggestion == ""


def test_smaller_means_slimming(make_note):
    synonyms.clear()
    wanted = make_note(title="Dockerイメージの軽量化", body="マルチステージビルドで不要なものを落とす。")
    make_note(title="イメージの取得", body="docker pull で取得する。")
    assert search("イメージを小さくしたい").ids[0] == wanted.pk
    assert search("make the image smaller").ids[0] == wanted.pk


def test_heading_permalinks_and_the_toc_stay_out_of_the_index(client, make_note):
    note = make_note(
        title="Docker の基本", body="[TOC]\n\n# 概要\n\nDockerコンテナの管理。\n\n## 手順\n\nrun する。"
    )
    assert 'class="headerlink"' in note.body_html and 'class="toc"' in note.body_html
    plain = SearchDocument.objects.get(note=note).plain
    assert plain == "概要 Dockerコンテナの管理。 手順 run する。"
    snippet = client.get("/api/search", {"q": "docker"}).json()["results"][0]["snippet"]
    assert "#" not in snippet


def test_typo_suggestion_is_a_word_the_notes_write(client, make_note):
    for i in range(3):
        make_note(title=f"k8s {i}", body="kubernetes のクラスタ")
    make_note(title="c1", body="containers を並べる")
    for i in range(3):
        make_note(title=f"c {i + 2}", body="container を作る")
    # The vocabulary also holds the folds kubernete and container (from containers).
    data = client.get("/api/search", {"q": "kubernets"}).json()
    assert data["suggestion"] == "kubernetes" and data["count"] == 3
    assert search("contaner ").suggestion == "container"


def test_facet_counts_of_a_capped_candidate_set_say_so(client, make_note, monkeypatch):
    from search import queries

    for i in range(5):
        make_note(title=f"メモ {i}", body="zebra の話", tags=["logs"])
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    assert 'logs <span class="n">5</span>' in html  # every match ranked: exact
    monkeypatch.setattr(queries, "CANDIDATES", 3)  # only the newest 3 are ranked and counted
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    assert 'logs <span class="n">3+</span>' in html


def test_the_teams_notes_outrank_imported_reference_pages(make_note):
    team = make_note(title="コンテナの後片付け", body="コンテナを削除する: docker rm")
    reference = make_note(
        title="docker container rm", body="コンテナを削除する: docker rm", import_key="tldr:ja/common/x"
    )
    assert reference.pk > team.pk  # newer, so it would win a tie on its own
    assert search("コンテナを削除したい").ids[:2] == [team.pk, reference.pk]


def test_a_search_that_finds_nothing_offers_the_lookup(client, make_note):
    make_note(title="ポートの公開", body="docker run -p 8080:80 で公開する。")
    html = client.get("/search/", {"q": "zzqqxx"}).content.decode()
    assert "見つかりませんでした。" in html
    assert 'href="/lookup/?q=zzqqxx"' in html
