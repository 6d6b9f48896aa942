from lookup.placeholders import command_key
from lookup.ranking import candidate_queries, command_words_of, weighted


def test_weighted_restricts_every_lexeme():
    q = "(('コン' <-> 'ンテ') | '=コンテナ') & 'it''s':* | 'rm'"
    assert weighted(q, "ABC") == "(('コン':ABC <-> 'ンテ':ABC) | '=コンテナ':ABC) & 'it''s':*ABC | 'rm':ABC"


def test_candidate_queries_go_from_strict_to_loose():
    levels = candidate_queries(["'a'", "'b'", "'c'", "'its'"], [1.0, 1.0, 1.0, 0.4])
    assert levels == [
        "('a' & 'b' & 'c')",
        "('a' & 'b') | ('a' & 'c') | ('b' & 'c')",
        "'a' | 'b' | 'c'",
        "'a' | 'b' | 'c' | 'its'",
    ]
    assert candidate_queries(["'ls'"], [1.0]) == ["'ls'"]


def test_command_words_and_keys():
    # options are matched as terms, not as part of the command name
    assert command_words_of("how to docker ps -a したい") == ["docker", "ps"]
    assert command_key("docker {{[ps|container ls]}} {{[-a|--all]}}") == "docker ps"
    assert command_key("sudo apt install {{package}}") == "apt install"
    assert command_key("<F>") == ""
