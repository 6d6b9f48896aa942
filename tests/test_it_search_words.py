"""Queries of several words, and katakana words inside longer ones."""

from __future__ import annotations

import pytest

from search.queries import PARTIAL_BELOW, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def build_notes(make_note):
    return {
        "layers": make_note(
            title="レイヤーキャッシュを活かす",
            body="変わりにくい命令を先に書くとキャッシュが再利用され、ビルドの時間が短くなる。",
        ),
        "context": make_note(
            title="ビルドが遅いときに見るところ",
            body="ビルドが遅い原因の多くは送り込むコンテキストの大きさ。不要なファイルを除外する。",
        ),
        "mount": make_note(
            title="依存パッケージのキャッシュマウント",
            body="RUN --mount=type=cache でパッケージのキャッシュをビルド間で使い回す。",
        ),
        "logs": make_note(title="ログを追う", body="docker logs -f で出力を追いかける。"),
    }


def test_when_not_every_word_matches_partial_matches_follow_most_words_first(build_notes):
    ids = search("ビルドが遅い キャッシュ", semantic=False).ids
    # No note has all three words; the notes on build caching are found, not one result.
    assert set(ids) >= {build_notes["layers"].pk, build_notes["mount"].pk, build_notes["context"].pk}
    assert build_notes["logs"].pk not in ids


def test_notes_with_every_word_come_first_then_the_others(make_note, build_notes):
    both = make_note(title="遅いビルドとキャッシュ", body="ビルドが遅いならキャッシュを疑う。")
    ids = search("ビルドが遅い キャッシュ", semantic=False).ids
    assert ids[0] == both.pk
    assert len(ids) == 4 and len(ids) < PARTIAL_BELOW


def test_a_katakana_word_ranks_above_a_longer_word_containing_it(make_note):
    port = make_note(title="コンテナを外から使う", body="docker run -p 8080:80 でポートを公開する。")
    imports = make_note(
        title="データのインポート",
        body="CSV をインポートする。インポートの前に文字コードを確かめる。",
        tags=["インポート"],
    )
    ids = search("ポート", semantic=False).ids
    assert ids[0] == port.pk
    assert imports.pk in ids  # still found, below
    assert search("ポート").ids[0] == port.pk
