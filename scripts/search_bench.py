"""Search speed at 1k/10k/100k notes (make bench): /api/search over HTTP and the SQL alone.

Generates notes with a long-tail (Zipf) vocabulary of ~35,000 made-up Japanese, English and
shell words plus a few real domain words, in a throw-away database (kb_search_bench), indexes them
with search.indexing.reindex_all (build time), and times common and rare queries: the ranking
SQL alone (in process) and GET /api/search against gunicorn started here on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["KB_TEST_DB_NAME"] = "kb_search_bench"

import django  # noqa: E402

django.setup()

from benchkit import start_gunicorn  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from notes.models import Note  # noqa: E402
from search import queries  # noqa: E402
from search.indexing import reindex_all  # noqa: E402
from search.parse import parse_query  # noqa: E402
from search.synonyms import groups  # noqa: E402

KANJI = (
    "日本語文字検索設定環境変数削除起動停止作成更新確認表示保存読込書込実行処理方法手順原因結果"
    "問題解決対応注意必要重要基本応用開発本番運用監視障害復旧性能改善軽量高速安全認証権限管理"
    "利用登録接続通信送信受信転送共有分散並列同期非常時間容量記憶領域構成定義指定変更追加移動"
    "複製圧縮展開暗号署名証明鍵値型数列表木図画像音声動作部品機能仕様要件試験評価計測記録履歴"
)
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
KANA += "ガギグゲゴザジズゼゾダデドバビブベボパピプペポ"
SYLLABLES = [c + v for c in "bcdfghklmnprstvwz" for v in "aeiou"] + ["er", "on", "in", "ex", "st"]
DOMAIN = "docker コンテナ イメージ ボリューム 削除 起動 設定 環境変数 ネットワーク ポート ビルド compose nginx mysql".split()
PARTICLES = "を が は に で の と から まで も".split()
ENDINGS = ["する。", "します。", "した。", "できる。", "しない。", "。"]
COMMON = ["docker", "コンテナ", "削除", "コンテナを削除したい", "イメージ ビルド"]


def vocabulary(rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < 14000:
        words.add("".join(rng.choices(KANJI, k=rng.choice([2, 2, 2, 3, 4]))))
    while len(words) < 22000:
        words.add("".join(rng.choices(KANA, k=rng.randint(2, 6))) + rng.choice(["", "ー"]))
    while len(words) < 31000:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    eng = sorted(w for w in words if w.isascii())
    while len(words) < 35000:
        a, b = rng.sample(eng, 2)
        words.add(
            rng.choice([f"--{a}", f"-{a[0]}", f"/etc/{a}/{b}.conf", f"{a}:{b}", f"{a}-{b}", f"{a}.yml"])
        )
    vocab = sorted(words)
    rng.shuffle(vocab)
    return DOMAIN + vocab  # domain words take the top Zipf ranks


class Corpus:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vocab = vocabulary(self.rng)
        self.cum = list(itertools.accumulate(1 / (r + 1) ** 1.07 for r in range(len(self.vocab))))

    def words(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=k)

    def sentence(self) -> str:
        out = []
        for w in self.words(self.rng.randint(3, 9)):
            out.append(w + (self.rng.choice(PARTICLES) if not w.isascii() else " "))
        return "".join(out).rstrip() + self.rng.choice(ENDINGS)

    def note(self, i: int) -> tuple[Note, list[int]]:
        title = " ".join(self.words(self.rng.randint(2, 5)))[:190]
        md, html = [], []
        for _ in range(self.rng.randint(2, 5)):
            heading = " ".join(self.words(2))
            para = " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))
            md += [f"## {heading}", para]
            html += [f"<h2>{heading}</h2>", f"<p>{para}</p>"]
            if self.rng.random() < 0.5:
                code = "docker run " + " ".join(self.words(5))
                md.append(f"```\n{code}\n```")
                html.append(f"<pre><code>{code}</code></pre>")
        note = Note(title=title, slug=f"bench-{i}", body="\n\n".join(md), body_html="\n".join(html))
        return note, self.rng.sample(range(200), self.rng.randint(1, 3))


def grow(corpus: Corpus, size: int, tags: list[Tag], ct: ContentType) -> None:
    start = Note.objects.count()
    for lo in range(start, size, 2000):
        made = [corpus.note(i) for i in range(lo, min(size, lo + 2000))]
        notes = Note.objects.bulk_create([n for n, _ in made])
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=tags[t], content_type=ct, object_id=n.pk)
            for n, (_, ts) in zip(notes, made, strict=True)
            for t in ts
        )


def terms_matching(words: list[str], low: int, high: int, n: int) -> list[str]:
    """The first ``n`` of ``words`` that match between ``low`` and ``high`` notes."""
    out = []
    with connection.cursor() as cur:
        for w in words:
            if len(out) >= n:
                break
            q = parse_query(w + " ")
            cur.execute(
                "SELECT count(*) FROM search_searchdocument WHERE document @@ %s::tsquery", [q.tsquery()]
            )
            if low <= cur.fetchone()[0] <= high:
                out.append(w)
    return out


def rare_terms(corpus: Corpus) -> list[str]:
    # Tail words that do occur (in 1-20 notes), from the last third of the vocabulary.
    return terms_matching(corpus.vocab[-12000:], 1, 20, 3) + ["dokcer"]


def mid_terms(corpus: Corpus, size: int) -> list[str]:
    # Words in 0.5-3 % of the notes: too many to rank all, too few for a short primary-key walk.
    return terms_matching(corpus.vocab[len(DOMAIN) :], size // 200, size * 3 // 100, 2)


def percentiles(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s), s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def time_sql(q: str, reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        queries.search(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _warm(base: str) -> None:
    # Both workers load code, templates and the synonym cache on their first requests.
    for q in ["warm", "ウォーム", "warm up", "dokcer"] * 5:
        urllib.request.urlopen(base + "/api/search?" + urllib.parse.urlencode({"q": q}), timeout=10)


def start_server() -> tuple[subprocess.Popen, str]:
    d = connection.settings_dict
    auth = d["USER"] + (":" + urllib.parse.quote(d["PASSWORD"]) if d["PASSWORD"] else "")
    if d["HOST"].startswith("/"):  # the embedded server listens on a unix socket
        url = f"postgresql://{auth}@/{d['NAME']}?host={urllib.parse.quote(d['HOST'])}"
    else:
        url = f"postgresql://{auth}@{d['HOST']}:{d['PORT'] or 5432}/{d['NAME']}?sslmode=prefer"
    return start_gunicorn({"DATABASE_URL": url}, warm=_warm)


def time_http(base: str, q: str, reps: int) -> tuple[list[float], int]:
    out, count = [], 0
    url = base + "/api/search?" + urllib.parse.urlencode({"q": q, "limit": 20})
    for _ in range(reps):
        t = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as resp:
            count = json.load(resp)["count"]
        out.append((time.perf_counter() - t) * 1000)
    return out, count


def sizes_report(size: int, build_s: float, reps: int, corpus: Corpus) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("ANALYZE search_searchdocument")
        cur.execute(
            "SELECT pg_total_relation_size('search_searchdocument'), pg_relation_size('searchdoc_document_gin'),"
            " pg_relation_size('searchdoc_title_gin')"
        )
        total, gin, tgin = cur.fetchone()
    lines = [
        f"\n### {size:,} notes\n",
        f"Index build (tokenize + insert, reindex_all): {build_s:.1f} s; search_searchdocument with indexes"
        f" {total / 2**20:.0f} MiB (document GIN {gin / 2**20:.1f} MiB, title GIN {tgin / 2**20:.1f} MiB).\n",
        "| query | kind | matches | SQL p50 | SQL p95 | HTTP p50 | HTTP p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    groups()  # warm the synonym cache like a running server
    proc, base = start_server()
    try:
        worst = {"common": 0.0, "mid": 0.0, "rare": 0.0}
        kinds = (("common", COMMON), ("mid", mid_terms(corpus, size)), ("rare", rare_terms(corpus)))
        for kind, terms in kinds:
            for q in terms:
                time_sql(q, 2)
                sql = percentiles(time_sql(q, reps))
                time_http(base, q, 2)
                samples, count = time_http(base, q, reps)
                http = percentiles(samples)
                worst[kind] = max(worst[kind], http[1])
                lines.append(
                    f"| `{q}` | {kind} | {count}{'+' if count >= queries.CANDIDATES else ''} | "
                    f"{sql[0]:.1f} ms | {sql[1]:.1f} ms | {http[0]:.1f} ms | {http[1]:.1f} ms |"
                )
        lines.append("\nWorst HTTP p95: " + ", ".join(f"{k} {v:.1f} ms" for k, v in worst.items()) + ".")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the kb_search_bench database afterwards")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    lines = [f"Machine: {os.cpu_count()} cores; {args.reps} timed runs per query after 2 warm-up runs.", ""]
    try:
        corpus = Corpus()
        tags = Tag.objects.bulk_create(Tag(name=f"tag{i}", slug=f"tag{i}") for i in range(200))
        ct = ContentType.objects.get_for_model(Note)
        for size in sizes:
            t = time.perf_counter()
            grow(corpus, size, tags, ct)
            gen_s = time.perf_counter() - t
            t = time.perf_counter()
            reindex_all()
            build_s = time.perf_counter() - t
            print(f"{size} notes: generated in {gen_s:.0f} s, indexed in {build_s:.0f} s", file=sys.stderr)
            lines += sizes_report(size, build_s, args.reps, corpus)
    finally:
        connection.close()
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
