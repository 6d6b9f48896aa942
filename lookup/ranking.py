"""Ranking task queries against lookup entries.

Matching is OR over the query's terms (parsed by the shared tokenizer, so
conjugations and intent words are already gone and synonyms are alternatives),
and the score orders by:

1. coverage: how many of the query's terms the entry has (tasks, tags, command);
2. exact command: the typed words are the command ("ls" → `ls`, not
   `docker network ls`) or start with it ("git commit amend" → `git commit`);
3. ts_rank with task phrasings weighted over command words and explanations,
   the query's language, and a popularity prior (lookup/popularity.py);
4. shorter commands first; key bindings and bare placeholders last.

Two cases override the score: an entry whose task is exactly what was typed comes
first (someone wrote it for that very question), and when the query is just a command
name ("ls") that command's entries come next, plainest first (`ls -1` before
`ls -lSR`): the name says which command, not which of its options.
"""

from __future__ import annotations

import math
import re

from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from lookup import placeholders, presets
from lookup.fusion import Row
from lookup.meaning import ASKED_AHEAD, subcommands, with_meaning, with_team_twins
from search.parse import STOP_WORDS_EN, Query, Term, parse_query, whole_words
from search.tokenize import normalize
from search.wordforms import forms
from vectors.search import prefetch
from vectors.words import translated

MAX_TERMS = 8
TRANSLATED = 0.8  # share of a term's weight when only its translation is found (vectors.words)
INSIDE_A_WORD = 0.6  # share of a term's weight when a katakana word is found only inside another
MIN_CANDIDATES = 10
MAX_COMBINATIONS = 20
# Filler that survives the shared stop list but rarely decides which command is meant.
WEAK_WORDS_EN = frozenset(
    "its their them all one more some specific given current new file files using".split()
)
# ts_rank weights for {D, C, B, A}: explanation, command words, tags, task phrasings.
RANK_WEIGHTS = "{0.05, 0.3, 0.3, 1.0}"
_PLAIN_VERB_ENDINGS = frozenset("うくぐすつぬぶむる")  # 入る, 消す, 見る: a dictionary form's last kana
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_ASCII_WORD_RE = re.compile(r"(?<![\w-])[a-z0-9][a-z0-9._+-]*")


def synonym_groups() -> list[set[str]]:
    try:
        from search.synonyms import groups
    except ImportError:  # search app not installed
        return []
    return groups()  # the shared list itself: its parsed form is cached while it is unchanged


def term_weight(term: Term) -> float:
    """Words that say little about the task count less towards coverage."""
    surface = term.surface
    if len(surface) == 1 and _CJK_RE.match(surface) and len(term.alternatives) == 1:
        return 0.4  # 中 in コンテナの中で: a lone kanji left over from a phrase
    if surface in WEAK_WORDS_EN:
        return 0.4
    return 1.0


def _verb_stems(q: str, terms: list[Term]) -> set[str]:
    """Lone kanji typed as a verb (入 of 入りたい, 消 of 消したい): the action the task asks for.

    term_weight() counts a lone kanji 0.4, as the 中 left of コンテナの中で. A verb's stem is
    the task's action, and at 0.4 「コンテナに入りたい」 was as well covered by `docker stop`
    (コンテナを停止する: every word but 入) as by `docker exec` (…コンテナに入ってシェルを開く).
    """
    lone = [t.surface for t in terms if len(t.surface) == 1 and _CJK_RE.match(t.surface)]
    found = forms(q, lone) if lone else {}
    return {s for s, form in found.items() if len(form) > 1 and form[-1] in _PLAIN_VERB_ENDINGS}


_LEXEME_RE = re.compile(r"('(?:[^']|'')*')(:\*)?")


def weighted(tsquery: str, weights: str) -> str:
    """The same tsquery matching only lexemes of the given weights ('x':* → 'x':*ABC)."""
    return _LEXEME_RE.sub(lambda m: f"{m.group(1)}:{'*' if m.group(2) else ''}{weights}", tsquery)


def at_least(k: int, terms: list[str]) -> str:
    """A tsquery true when ``k`` or more of ``terms`` match.

    Written as (first & k-1 of the rest) | (k of the rest), not as the OR of every
    combination: the same rows, in about half the text, and the GIN index checks each
    candidate row against the whole query, so a 4-of-6 level scans 2-3 times faster.
    """
    if k == len(terms):
        return "(" + " & ".join(terms) + ")"
    if k == 1:
        return "(" + " | ".join(terms) + ")"
    return f"(({terms[0]} & {at_least(k - 1, terms[1:])}) | {at_least(k, terms[1:])})"


def candidate_queries(terms: list[str], weights: list[float]) -> list[str]:
    """tsqueries from strict to loose: all important terms, all but one, … any term."""
    strong = [t for t, w in zip(terms, weights, strict=True) if w >= 1.0] or terms
    levels = []
    for size in range(len(strong), 1, -1):
        # Levels of many combinations match almost what the next looser one does.
        if math.comb(len(strong), size) <= MAX_COMBINATIONS:
            levels.append(at_least(size, strong))
    levels += [" | ".join(strong), " | ".join(terms)]
    return list(dict.fromkeys(levels))


def command_words_of(q: str) -> list[str]:
    """ASCII words typed in the query, as they may appear in a command."""
    return [w for w in _ASCII_WORD_RE.findall(normalize(q)) if w not in STOP_WORDS_EN]


def spelled(q: str, query: Query) -> tuple[str, Query]:
    """The query with typos replaced by the closest word the notes have.

    Search's vocabulary (search.typos): "dokcer rm" is looked up as "docker rm", so the
    exact-command ranking sees the command that was meant. A word a few notes have too is
    taken for a typo only of a tool the entries run: the notes' own "dokcer cp" is no
    command anyone looks up, but "reach" beside "each" is a word.
    """
    try:
        from search.typos import word_fixes
    except ImportError:  # search app not installed
        return q, query
    fixes, rare = word_fixes(query)
    if rare:
        tools = subcommands()  # every tool the entries run, cached: no scan per lookup
        fixes.update({w: fix for w, fix in rare.items() if fix in tools})
    if not fixes:
        return q, query
    fixed = query.suggestion(fixes)
    return fixed, parse_query(fixed, synonyms=synonym_groups())


def _candidates(annotated, levels: list[str], key: str, enough: int) -> list[Row]:
    """Rows of the strictest level that finds ``enough``, best first."""
    ranked: list[Row] = []
    for level in levels:
        # Both halves have an index: the GIN on search_vector and the b-tree on command_key.
        if key:
            hit = RawSQL(
                "(search_vector @@ %s::tsquery OR command_key = %s)",
                [level, key],
                output_field=BooleanField(),
            )
        else:
            hit = RawSQL("search_vector @@ %s::tsquery", [level], output_field=BooleanField())
        # Rank on (id, score, command) only: sorting whole rows (the tsvector, the
        # joined note) costs several times what matching does.
        rows = (
            annotated.annotate(hit=hit)
            .filter(hit=True)
            .order_by("-exact_task", "-score", "command_len", "pk")
            .values_list(*Row._fields)[: enough * 2]  # room for duplicates
        )
        ranked = [Row._make(r) for r in rows]
        if len(ranked) >= enough:
            break  # rows of the next, looser level have fewer terms and rank below these
    return ranked


def lookup(qs, q: str, limit: int = 10, semantic: bool = True, language: str | None = None) -> list:
    """The best ``limit`` entries of ``qs`` for ``q``; ``language`` is the viewer's (see one_per_command)."""
    query = parse_query(q, synonyms=synonym_groups())
    if not query:
        return []
    q, query = spelled(q, query)
    own = query
    if semantic:
        # The models, and then the nearest entries and pages (with_meaning), are worked out
        # in the background while the words are ranked.
        prefetch(q, nearest=ASKED_AHEAD)
        query = translated(q, query)
    kept = query.terms[:MAX_TERMS]
    terms = [t.tsquery() for t in kept]
    # Words added by translation (vectors.words), per term: they count a share of the term.
    added = [
        " | ".join(a for a in t.alternatives if a not in o.alternatives)
        for t, o in zip(kept, own.terms[:MAX_TERMS], strict=True)
    ]
    verbs = _verb_stems(q, kept)
    weights = [1.0 if t.surface in verbs else term_weight(t) for t in kept]
    any_term = " | ".join(terms)  # ts_rank's query
    words = command_words_of(q)
    key = " ".join(words)
    lang = "ja" if _CJK_RE.search(q) else "en"
    typed = " ".join(q.split()).lower()
    just_a_name = bool(key) and " ".join(normalize(q).split()) == key
    exact_task = RawSQL(
        # Found entries also carry their heading as a task ("ls" on all of tldr's ls
        # page): only the task they show counts; every phrasing of a hand-written one does.
        "lower(btrim(tasks[1])) = %s"
        " OR (origin = 'manual' AND EXISTS (SELECT 1 FROM unnest(tasks) AS t WHERE lower(btrim(t)) = %s))",
        [typed, typed],
        output_field=BooleanField(),
    )
    # A term found in the task, tags or command counts fully; one found only in the
    # explanation (a page's description, the sentence around an inline command) a little.
    # A katakana word found only inside a longer one (ログ in ログイン) counts a share, and so
    # does a term found only through its translation: a Japanese task written in Japanese
    # words stays ahead of an English one that says the same. A Japanese word's English
    # translation counts in tasks and tags only, where English says what an entry does: 終了
    # is "end", and so is the `{{end}}` of a Go template in a `docker inspect --format`
    # command. (The other way, コンテナ in a command's {{コンテナ名}} is the team's own word.)
    cases, coverage_params = [], []
    for t, o, extra, w in zip(terms, own.terms, added, weights, strict=False):
        own_tsq = o.tsquery()
        case = f"WHEN search_vector @@ %s::tsquery THEN {w} "
        coverage_params.append(weighted(whole_words(own_tsq), "ABC"))
        if extra:
            case += f"WHEN search_vector @@ %s::tsquery THEN {w * TRANSLATED} "
            coverage_params.append(weighted(extra, "AB" if _CJK_RE.search(o.surface) else "ABC"))
        case += f"WHEN search_vector @@ %s::tsquery THEN {w * INSIDE_A_WORD} WHEN search_vector @@ %s::tsquery THEN {w * 0.3}"
        coverage_params += [weighted(own_tsq, "ABC"), t]
        cases.append(f"CASE {case} ELSE 0 END")
    coverage = " + ".join(cases)
    covered = RawSQL(f"({coverage}) / {sum(weights)}", coverage_params, output_field=FloatField())
    score = RawSQL(
        f"({coverage}) * 1.0"
        " + CASE WHEN command_key = %s THEN 0.9"
        "   WHEN command_key <> '' AND starts_with(%s, command_key || ' ') THEN 0.5 ELSE 0 END"
        " + ts_rank(%s, search_vector, %s::tsquery) * 0.5"
        " + CASE WHEN language = %s THEN 0.3 ELSE 0 END"
        " + popularity * 0.3"
        # Key bindings and bare placeholders ("<F>", "{{cmd}}") are not commands to look up.
        " + CASE WHEN command_key = '' THEN -1.0 ELSE 0.3 / (1 + command_len) END",
        [*coverage_params, key, key, RANK_WEIGHTS, any_term, lang],
        output_field=FloatField(),
    )
    # Rank the rows that have every important term first and widen only when that
    # finds too few: scoring every row that shares one common word ("file",
    # "show") with the query is what would make a lookup slow.
    # The same candidates for every limit, so the page (20), /q/ (5) and the API (10) agree
    # on the top 3. Asking for more than MIN_CANDIDATES widened the levels and changed them.
    enough = MIN_CANDIDATES
    annotated = qs.annotate(score=score, exact_task=exact_task, covered=covered)
    own_terms = [t.tsquery() for t in own.terms[:MAX_TERMS]]
    ranked = _candidates(annotated, candidate_queries(own_terms, weights), key, enough)
    if any(added):
        # Entries found through the translations, found apart: mixed into the levels above,
        # English entries with every word translated would fill the strict level and keep
        # the Japanese entry that has most of the words from ever being looked at.
        more = _candidates(annotated, candidate_queries(terms, weights), key, enough)
        seen = {row.pk for row in ranked}
        ranked += [row for row in more if row.pk not in seen]
        # As _candidates orders them.
        ranked.sort(key=lambda row: (not row.exact_task, -row.score, row.command_len, row.pk))
    if just_a_name and any(row.command_key == key for row in ranked):
        ranked = plainest_first(qs, ranked, key, lang)
    elif semantic and just_a_name and _said_in_so_many_words(ranked, lang):
        # Plain English words that an entry in English has every one of keep the words in
        # charge: "show running containers" is `docker ps` ("List currently running
        # containers") by its words, while meaning prefers `docker top` ("Display the
        # running processes of a container"). The team's own way of running the same
        # command still belongs beside it.
        ranked = with_team_twins(qs, q, ranked)
    elif semantic:
        # Plain English words that are no command ("delete all stopped containers") get
        # meaning too.
        ranked = with_meaning(qs, q, ranked, key, lang)
    # The same command from several pages (aliases, both languages) is one answer.
    best = one_per_command(ranked, language)[:limit]
    found = qs.model.objects.select_related("note").defer("search_vector").in_bulk([pk for pk, _ in best])
    out = []
    for pk, entry_score in best:
        entry = found[pk]
        entry.score = entry_score
        out.append(entry)
    presets.asked_values(query, out, command_words_of(q))
    return out


def _said_in_so_many_words(ranked: list[Row], lang: str) -> bool:
    """The best word match has every word of the query, in the query's language."""
    return bool(ranked) and ranked[0].covered >= 0.999 and ranked[0].language == lang


def one_per_command(ranked: list[Row], language: str | None) -> list[tuple[int, float]]:
    """(pk, score) of each command's best entry, best first.

    tldr's pages in both languages give the same command twice, with the fields named in
    each language ({{unit}}, {{ユニット}}): they are one answer, shown from the page in the
    viewer's language when there is one. The team's own entries are never merged or swapped.
    """
    tldr = {row.pk for row in ranked if row.origin == "tldr"}
    groups: dict[str, list[tuple[int, float, str]]] = {}
    for pk, entry_score, command, _exact, _key, entry_lang, *_ in ranked:
        # A team entry's fields stay in its key, so it merges only with the very same command.
        key = placeholders.shape(command) if pk in tldr else " ".join(command.split())
        groups.setdefault(key, []).append((pk, entry_score, entry_lang))
    viewer = (language or "").split("-")[0].lower()
    best = []
    for group in groups.values():
        pk, entry_score, _lang = group[0]
        if pk in tldr and viewer:
            pk = next((e[0] for e in group if e[2] == viewer and e[0] in tldr), pk)
        best.append((pk, entry_score))
    return best


def plainest_first(qs, ranked: list[Row], key: str, lang: str) -> list[Row]:
    """For a bare command name: that command's entries, fewest words and options first.

    Its own page and the team's entries go before other pages that merely use it
    (ftp's interactive `ls`).
    """
    own_key = [row.pk for row in ranked if row.command_key == key and not row.exact_task]
    titles = dict(qs.model.objects.filter(pk__in=own_key).values_list("pk", "note__title"))

    def order(row: Row) -> tuple:
        if row.exact_task or row.command_key != key:
            return (0 if row.exact_task else 2,)  # sorting is stable: the others keep the score order
        words = placeholders.fill(row.command).split()
        options = sum(len(w.lstrip("-")) for w in words if w.startswith("-"))
        elsewhere = row.origin == "tldr" and (titles[row.pk] or "").lower() != key
        return (1, elsewhere, len(words), options, row.language != lang, row.position)

    return sorted(ranked, key=order)
