"""Pure tests of search.tokenize and search.highlight (no database)."""

from search.highlight import highlight
from search.parse import parse_query
from search.tokenize import document_positions, document_terms, normalize, to_tsvector_literal

SYNONYMS = [{"削除", "破棄", "消す", "remove", "delete", "rm"}]


def test_normalize_width_case_and_long_vowels():
    assert normalize("ＤＯＣＫＥＲ") == "docker"
    assert normalize("ｻｰﾊﾞｰ") == normalize("サーバ") == normalize("サーバー")
    assert normalize("インターフェース") == normalize("インタフェース")
    assert normalize("－ｐ") == "-p"
    # A long-vowel mark after hiragana or kanji is left alone.
    assert normalize("すごーい") == "すごーい"


def test_cjk_runs_become_bigrams_plus_last_char():
    assert document_terms("コンテナを破棄") == [
        "コン",
        "ンテ",
        "テナ",
        "ナを",
        "を破",
        "破棄",
        "棄",
        "=コンテナ",
    ]
    assert document_terms("鍵") == ["鍵"]


def test_code_tokens_keep_whole_token_and_subwords():
    terms = document_terms("docker run -p 8080:80 -v /var/lib/mysql --mount=type=bind")
    for t in ["-p", "8080:80", "8080", "80", "/var/lib/mysql", "var", "lib", "mysql"]:
        assert t in terms
    assert "--mount" in terms and "mount" in terms
    terms = document_terms("docker-compose.ymlから渡す")
    assert terms[:4] == ["docker-compose.yml", "docker", "compose", "yml"]
    assert "から" in terms


def test_edge_punctuation_is_stripped():
    assert document_terms("(docker), `ls`.") == ["docker", "ls"]
    assert "services" in document_terms("services:")


def test_plural_fold():
    assert document_terms("containers") == ["containers", "container"]
    assert document_terms("dependencies") == ["dependencies", "dependency"]
    assert document_terms("status") == ["status"]


def test_subword_positions_are_consecutive():
    assert document_positions("docker-compose up") == [
        ("docker-compose", 1),
        ("docker", 1),
        ("compose", 2),
        ("up", 3),
    ]


def test_tsvector_literal_is_weighted_and_escaped():
    literal = to_tsvector_literal({"A": "o'clock", "C": "a\\b"})
    assert "'o''clock':1A" in literal
    assert "'a\\\\b':" in literal
    assert literal.endswith("C")


def test_tsvector_literal_rejects_bad_weight():
    try:
        to_tsvector_literal({"E": "x"})
    except ValueError as e:
        assert "weight" in str(e)
    else:
        raise AssertionError("expected ValueError")


def test_query_drops_particles_and_intent_words():
    assert (
        parse_query("コンテナを削除したい").tsquery()
        == "(('コン' <-> 'ンテ' <-> 'テナ') | '=コンテナ') & '削除'"
    )
    assert parse_query("Dockerを軽くする方法").tsquery() == "'docker' & '軽':*"
    assert parse_query("how to remove a container ").tsquery() == "'remove' & 'container'"


def test_query_code_tokens():
    assert parse_query("-p 8080:80").tsquery() == "'-p' & ('8080:80' | ('8080' <-> '80'))"
    q = parse_query("/var/lib/mysql").tsquery()
    assert q == "('/var/lib/mysql' | ('var' <-> 'lib' <-> 'mysql'))"
    assert parse_query("--mount").tsquery() == "'--mount'"


def test_query_last_word_is_a_prefix_while_typing():
    assert parse_query("dock").tsquery() == "'dock':*"
    assert parse_query("dock ").tsquery() == "'dock'"
    assert parse_query("containers").tsquery() == "'container':*"


def test_query_synonyms_and_phrases():
    q = parse_query("コンテナ破棄", SYNONYMS).tsquery()
    assert "'削除'" in q and "'remove'" in q and "'rm'" in q
    assert parse_query('"docker compose up"').tsquery() == "('docker' <-> 'compose' <-> 'up')"
    assert "'画像' & '削除'" in parse_query("画像削除").tsquery()


def test_query_width_and_long_vowel_variants_agree():
    assert parse_query("サーバー").tsquery() == parse_query("ｻｰﾊﾞ").tsquery()


def test_typo_alternatives_and_suggestion():
    q = parse_query("dokcer image ")
    assert q.terms[0].typo_candidate
    fixed = q.with_alternatives({"dokcer": ["docker"]})
    assert fixed.tsquery() == "('dokcer' | 'docker') & 'image'"
    assert q.suggestion({"dokcer": "docker"}) == "docker image "


def test_empty_query():
    assert not parse_query("  を  ")
    assert not parse_query("")


def test_highlight_marks_hits_and_escapes_html():
    text = "ｻｰﾊﾞｰの<b>コンテナ</b>を破棄 & docker rm"
    out = highlight(text, parse_query("サーバ コンテナ 削除", SYNONYMS))
    assert out == (
        "<mark>ｻｰﾊﾞｰ</mark>の&lt;b&gt;<mark>コンテナ</mark>&lt;/b&gt;を<mark>破棄</mark>"
        " &amp; docker <mark>rm</mark>"
    )


def test_highlight_covers_the_kana_typed_after_a_kanji_stem():
    # The stem is 小 or 見出; the mark takes the word as typed, as far as the text agrees,
    # and never a particle.
    out = highlight("小さいほど速い。サイズも小さくなる。", parse_query("小さくする"))
    assert "<mark>小さ</mark>いほど" in out and "<mark>小さく</mark>なる" in out
    assert highlight("見出しの付け方", parse_query("見出し")) == "<mark>見出し</mark>の付け方"
    assert highlight("削除をする", parse_query("削除をしたい")) == "<mark>削除</mark>をする"
    assert highlight("値を書き換える", parse_query("書き換えたい")) == "値を<mark>書き換え</mark>る"


def test_highlight_cuts_a_window_around_hits():
    text = "a " * 200 + "docker-compose.yml を編集" + " b" * 200
    out = highlight(text, parse_query("docker compose"), width=60)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>docker</mark>-<mark>compose</mark>" in out
    assert len(out) < 120


def test_highlight_script_injection_in_query_and_text():
    out = highlight("<script>alert(1)</script>", parse_query("<script>"))
    assert "<script>" not in out and "&lt;" in out


def test_it_drops_english_possessives():
    assert "container" in document_terms("the container's logs")
    assert "container's" not in document_terms("the container's logs")
    assert (
        parse_query("follow a container’s logs").tsquery() == parse_query("follow a container logs").tsquery()
    )


def test_highlight_of_an_ascii_word_stops_where_japanese_begins():
    text = "Dockerコンテナ及びDockerイメージの管理を行います。dockerfile も docker です。"
    typing = highlight(text, parse_query("docker"))  # the last word is also a prefix
    assert typing == (
        "<mark>Docker</mark>コンテナ及び<mark>Docker</mark>イメージの管理を行います。"
        "<mark>dockerfile</mark> も <mark>docker</mark> です。"
    )
    done = highlight(text, parse_query("docker "))  # a whole word, not a prefix
    assert done.count("<mark>Docker</mark>") == 2 and "<mark>dockerfile" not in done


def test_highlight_of_a_one_letter_katakana_word_is_that_word_only():
    text = "キャッシュをスキップする。余分なキーを消す。キー: 値"
    out = highlight(text, parse_query("余分なキー"))
    assert (
        out == "キャッシュをスキップする。<mark>余分</mark>な<mark>キー</mark>を消す。<mark>キー</mark>: 値"
    )


def test_highlight_of_a_katakana_word_skips_longer_words_when_it_stands_alone():
    text = "ログイン画面のログを見る。ログインできないときもログを読む。"
    out = highlight(text, parse_query("ログ"))
    assert out == "ログイン画面の<mark>ログ</mark>を見る。ログインできないときも<mark>ログ</mark>を読む。"


def test_highlight_of_a_katakana_word_found_only_inside_longer_ones_marks_it_there():
    out = highlight("ログファイルを消す。", parse_query("ログ"))
    assert out == "<mark>ログ</mark>ファイルを消す。"


def test_a_snippet_shows_the_exact_token_before_pieces_of_others():
    text = "開発中は http://127.0.0.1:8000 で開く。" + "説明。" * 60 + "コンテナでは HOST を 0.0.0.0 にする。"
    out = highlight(text, parse_query("0.0.0.0"))
    assert "<mark>0.0.0.0</mark>" in out


def test_a_code_token_between_kana_is_marked_whole_and_its_parts_not_elsewhere():
    text = "開発中は http://127.0.0.1:3000 で開く。本番では HOST環境変数を0.0.0.0（すべてのアドレス）に設定する。"
    out = highlight(text, parse_query("0.0.0.0"))
    assert "<mark>0.0.0.0</mark>" in out
    assert "127.0.0.1" in out  # no mark inside it
    # Without the token itself, its parts still lead to the passage.
    assert "<mark>0</mark>" in highlight("127.0.0.1 で待つ", parse_query("0.0.0.0"))
