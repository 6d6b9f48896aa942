"""Word translation by meaning: the words of the other language nearest to a query word.

tldr documents 6,600 commands in English and under 500 in Japanese, so for most commands a
Japanese task ("ファイルが何行あるか数えたい") shares no word with the only page that answers
it ("Count lines in a file"). Whole sentences embedded by a small model do not bridge that
well: a Japanese task lands nearest other Japanese text. Single words do: the multilingual
model puts 数える next to "count" and 先頭 next to "first". So each Japanese word of a query,
in its dictionary form (search.wordforms), is compared with the English words of the
entries' tasks (vectors.sync.sync_words, embedded by the worker), and the closest become
alternatives of that word in the word ranking (lookup.ranking).

The vocabulary's vectors are held in memory per process (a few thousand rows) and reloaded
when the worker has changed them.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict

import numpy as np
from django.db import DatabaseError

from kb.replica import read_connection
from search.parse import STOP_WORDS_EN, Query
from search.wordforms import english_forms, forms
from vectors.backends import WORD_TABLE, EmbeddingError, UniversalSentenceEncoder, backend
from vectors.search import query_vectors

log = logging.getLogger(__name__)

# On USE's scale (the default word model); another model's cosines are moved onto its own
# scale (Backend.spread and floor). e5's word neighbours were poor (空 → blue, 小文字 → kube)
# at cosines that pass any threshold on its narrow scale, and this keeps them out.
MIN_SIMILARITY = 0.7  # below it the nearest word is mostly noise
MARGIN = 0.04  # words within this of the best are kept too (count, counts, counting)
PER_WORD = 3
MAX_WORDS = 8  # of a query: a pasted paragraph is not translated word by word
CHECK_SECONDS = 60.0  # how stale a process's copy of the vocabulary may be
# Words translated per process and vocabulary version: typing a query repeats every word of it
# at each keystroke, and comparing one word with 6,000 costs about 1.5 ms.
CACHED_WORDS = 20_000
_KANA_ONLY_RE = re.compile("[\u3041-\u309f]+")


class _Vocabulary:
    def __init__(self, language: str) -> None:
        self.language = language
        self.lock = threading.Lock()
        self.model = ""
        self.version: tuple = ()
        self.checked = -CHECK_SECONDS
        self.words: list[str] = []
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        # Dictionary form -> its translations, for this model and version of the words.
        self.nearest: OrderedDict[str, list[str]] = OrderedDict()

    def current(self, model: str) -> tuple[list[str], np.ndarray]:
        now = time.monotonic()
        with self.lock:
            if model == self.model and now - self.checked < CHECK_SECONDS:
                return self.words, self.matrix
            with read_connection().cursor() as cur:
                cur.execute(
                    "SELECT count(*), max(id), max(dims) FROM vectors_wordvector"
                    " WHERE model = %s AND language = %s AND embedding IS NOT NULL",
                    [model, self.language],
                )
                version = tuple(cur.fetchone())
                if model != self.model or version != self.version:
                    # pgvector's binary form: reading 6,000 vectors as text and parsing them
                    # took 1.1 s, which the first query after each change of words waited for.
                    cur.execute(
                        "SELECT text, vector_send(embedding) FROM vectors_wordvector"
                        " WHERE model = %s AND language = %s AND embedding IS NOT NULL ORDER BY id",
                        [model, self.language],
                    )
                    rows = cur.fetchall()
                    self.words = [r[0] for r in rows]
                    self.matrix = _unit_rows([r[1] for r in rows])
                    self.model, self.version = model, version
                    self.nearest.clear()
            self.checked = now
            return self.words, self.matrix

    def recall(self, form: str) -> list[str] | None:
        with self.lock:
            found = self.nearest.get(form)
            if found is not None:
                self.nearest.move_to_end(form)
            return found

    def remember(self, form: str, found: list[str]) -> None:
        with self.lock:
            self.nearest[form] = found
            while len(self.nearest) > CACHED_WORDS:
                self.nearest.popitem(last=False)


def _unit_rows(sent: list[bytes]) -> np.ndarray:
    """Unit-length rows from pgvector's binary form (a 4-byte header, then big-endian float4s)."""
    if not sent:
        return np.zeros((0, 0), dtype=np.float32)
    flat = np.frombuffer(b"".join(bytes(v)[4:] for v in sent), dtype=">f4").astype(np.float32)
    matrix = flat.reshape(len(sent), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


_vocabularies = {language: _Vocabulary(language) for language in ("en", "ja")}


def forget() -> None:
    """Drop this process's copies of the vocabulary (tests switch databases under it)."""
    for language in _vocabularies:
        _vocabularies[language] = _Vocabulary(language)


def translated(q: str, query: Query) -> Query:
    """``query`` with each word's nearest words of the other language as alternatives."""
    surfaces = [t.surface for t in query.terms][:MAX_WORDS]
    # Kana typed before conversion (こんてな for コンテナ) is no word the model knows: it put
    # こんてな next to "ini" and "this", which then matched hundreds of pages.
    wanted = {s: (form, "en") for s, form in forms(q, surfaces).items() if not _KANA_ONLY_RE.fullmatch(s)}
    wanted.update({s: (form, "ja") for s, form in english_forms(surfaces, STOP_WORDS_EN).items()})
    found = _translate(wanted)
    return query.with_alternatives(found) if found else query


def translations(forms: dict[str, str], language: str = "en") -> dict[str, list[str]]:
    """{surface: words in ``language``} for query words given as {surface: dictionary form}.

    Empty without vectors, without an embedded vocabulary, or with the model unreachable:
    the query is then ranked on its own words, as before.
    """
    return _translate({s: (form, language) for s, form in forms.items()})


def _translate(wanted: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    """translations() for words bound for either language, embedded in one model call."""
    chosen = backend()
    if chosen is None or not wanted:
        return {}
    model = chosen.part(WORD_TABLE)
    try:
        vocabularies = {lang: _vocabularies[lang].current(model.name) for _, lang in wanted.values()}
        wanted = {s: (form, lang) for s, (form, lang) in wanted.items() if vocabularies[lang][0]}
        out: dict[str, list[str]] = {}
        for surface, (form, lang) in list(wanted.items()):
            known = _vocabularies[lang].recall(form)
            if known is not None:
                if known:
                    out[surface] = known
                del wanted[surface]
        if not wanted:
            return out
        surfaces = list(wanted)
        vectors = query_vectors(model, [wanted[s][0] for s in surfaces])
    except (DatabaseError, EmbeddingError) as exc:
        log.warning("query words not translated: %s", exc)
        return {}
    queries = np.array(vectors, dtype=np.float32)
    queries /= np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-9)
    scale = model.spread / UniversalSentenceEncoder.spread
    minimum = model.floor + (MIN_SIMILARITY - UniversalSentenceEncoder.floor) * scale
    margin = MARGIN * scale
    for surface, vector in zip(surfaces, queries, strict=True):
        form, lang = wanted[surface]
        words, matrix = vocabularies[lang]
        if vector.shape[0] != matrix.shape[1]:
            continue
        row = matrix @ vector
        # The best few, then in order: a partition instead of sorting all 6,000.
        few = min(PER_WORD, len(row))
        best = np.argpartition(-row, few - 1)[:few]
        best = best[np.argsort(-row[best], kind="stable")]
        top = float(row[best[0]])
        found = [words[i] for i in best if row[i] >= top - margin] if top >= minimum else []
        _vocabularies[lang].remember(form, found)
        if found:
            out[surface] = found
    return out
