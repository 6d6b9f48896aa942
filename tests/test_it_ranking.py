import itertools

import pytest
from django.db import connection

from lookup.placeholders import command_key
from lookup.ranking import at_least, candidate_queries, command_words_of, weighted


def test_weighted_restricts_every_lexeme():
    q = "(('コン' <-> 'ンテ') | '=コンテナ') & 'it''s':* | 'rm'"
    assert weighted(q, "ABC") == "(('コン':ABC <-> 'ンテ':ABC) | '=コンテナ':ABC) & 'it''s':*ABC | 'rm':ABC"


def test_candidate_queries_go_from_strict_to_loose():
    levels = candidate_queries(["'a'", "'b'", "'c'", "'its'"], [1.0, 1.0, 1.0, 0.4])
    assert levels == [
        "('a' & 'b' & 'c')",
        "(('a' & ('b' | 'c')) | ('b' & 'c'))",  # any two of the three
        "'a' | 'b' | 'c'",
        "'a' | 'b' | 'c' | 'its'",
    ]
    assert candidate_queries(["'ls'"], [1.0]) == ["'ls'"]


@pytest.mark.django_db
def test_each_level_matches_exactly_the_texts_with_that_many_terms():
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    texts = [" ".join(c) or "zulu" for n in range(7) for c in itertools.combinations(words, n)]
    with connection.cursor() as cur:
        for k in range(1, 7):
            level = at_least(k, [f"'{w}'" for w in words])
            cur.execute(
                "SELECT t FROM unnest(%s::text[]) AS t WHERE to_tsvector('simple', t) @@ %s::tsquery",
                [texts, level],
            )
            assert sorted(r[0] for r in cur.fetchall()) == sorted(
                t for t in texts if len(set(t.split()) & set(words)) >= k
            ), k


def test_command_words_and_keys():
    # options are matched as terms, not as part of the command name
    assert command_words_of("how to docker ps -a したい") == ["docker", "ps"]
    assert command_key("docker {{[ps|container ls]}} {{[-a|--all]}}") == "docker ps"
    assert command_key("sudo apt install {{package}}") == "apt install"
    assert command_key("<F>") == ""
