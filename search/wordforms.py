"""Japanese query words in their dictionary form, as a translation by meaning needs them.

The shared tokenizer keeps a query's stems (数えたい → 数, サーバー → サバ): right for
matching Japanese text, wrong for asking a model what a word means, since 数 alone is
"number" and サバ is a fish. ``forms(q, surfaces)`` goes back to what was typed and gives,
for each stem, the word a dictionary would list: the katakana word with its long vowels,
a verb in its plain form (数えたい → 数える, 消したい → 消す, 並べ替えて → 並べ替える), a
noun without the particle or する after it.
"""

from __future__ import annotations

import re
import unicodedata

_HIRA = "\u3041-\u3096"
_KATA = "\u30a1-\u30fa\u30fc\u30fd\u30fe"
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\u3005"
_HIRA_RE = re.compile(f"[{_HIRA}]")
_KATA_RE = re.compile(f"[{_KATA}]")
# One kana of okurigana between two kanji of one word (並べ替え, 取り消し, 切り出し).
# Only a stem's own endings (i- and e-row kana): 作る方法 is two words.
_INNER_RE = re.compile(f"([いきぎしじちにびみりえけげせぜてでねべめれ])(?=[{_KANJI}])")
_TAIL_RE = re.compile(f"[{_HIRA}]*")
# か and や also begin okurigana (確かめる, 冷やす), so they are not taken as particles here.
_PARTICLES = tuple("を が の に で と は も へ ごと だけ まで から より".split())
_SURU = ("する", "し", "さ", "でき")
# What follows a verb's stem: where its okurigana ends.
_AUXILIARIES = (
    "たい",
    "たく",
    "ます",
    "ません",
    "ない",
    "なかっ",
    "ながら",
    "て",
    "た",
    "で",
    "だ",
    "やす",
    "にく",
    "たら",
    "よう",
)
_LONG_AUXILIARIES = tuple(a for a in _AUXILIARIES if len(a) > 1)  # ます; not the た of 当たる
# The stem-final kana of a godan verb (書き, and 書か before ない), and the plain ending (書く).
_I_TO_U = dict(zip("きぎしちびみりい", "くぐすつぶむるう", strict=True))
_E_ROW = frozenset("えけげせぜてでねへべめれ")
_A_TO_U = dict(zip("かがさたなばまらわ", "くぐすつぬぶむるう", strict=True))
_U_ROW = frozenset("うくぐすつぬぶむる")


# A word of Japanese running text: a katakana word, or kanji (with one-kana okurigana
# inside, 取り消し) and the kana typed after them.
_TEXT_WORD_RE = re.compile(
    f"([{_KATA}]{{2,}})|([{_KANJI}]+(?:[いきぎしちびみりえけげせべめれ][{_KANJI}]+)*)([{_HIRA}]*)"
)
# What a dictionary form ends with after its kanji: at most two kana (作る, 新しい, 確かめる).
_DICTIONARY_FORM_RE = re.compile(f"^[{_KANJI}](?:[{_KANJI}]|[{_HIRA}](?=[{_KANJI}]))*[{_HIRA}]{{0,3}}$")
_ENGLISH_RE = re.compile(r"^[a-z][a-z-]*[a-z]$")


def japanese_words(text: str) -> set[str]:
    """The words of a Japanese text in their dictionary forms (two characters or more)."""
    out = set()
    for m in _TEXT_WORD_RE.finditer(text):
        word = m.group(1) or plain_form(m.group(2), m.group(3)[:6])
        if len(word) >= 2 and (m.group(1) or _DICTIONARY_FORM_RE.match(word)):
            out.add(word)
    return out


def english_forms(surfaces: list[str], stop_words: frozenset[str]) -> dict[str, str]:
    """{surface: surface} for the plain English words among a parsed query's term surfaces.

    Code (``-p``, ``env_file``, ``8080:80``) and command names are left alone: those are
    matched as typed.
    """
    return {
        s: s
        for s in surfaces
        if len(s) >= 3 and _ENGLISH_RE.match(s) and "-" not in s and s not in stop_words
    }


def _normalized_with_origin(q: str) -> tuple[str, list[int]]:
    """The query as the tokenizer normalizes it, with each character's index in ``q``."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(q):
        norm = unicodedata.normalize("NFKC", ch).lower()
        if norm == "ー" and chars and _KATA_RE.match(chars[-1]):
            continue  # the tokenizer drops a long vowel after katakana
        for c in norm:
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin


def plain_form(stem: str, tail: str) -> str:
    """A stem and the hiragana typed after it, as a dictionary lists the word."""
    kanji_only = not _HIRA_RE.search(stem)
    if not tail or tail.startswith(_PARTICLES) or (kanji_only and len(stem) >= 2 and tail.startswith(_SURU)):
        return stem  # 確認したい: the noun says it
    if (
        len(tail) <= 3
        and tail[-1] in _U_ROW
        and tail[0] not in "てでっ"
        and not tail.startswith(_LONG_AUXILIARIES)
    ):
        return stem + tail  # already the plain form: 当たる, 確かめる, 作る
    if tail[0] in _A_TO_U and tail[1:2] in ("れ", "せ", "さ", "な", "ず"):
        return stem + _A_TO_U[tail[0]]  # 待たされた → 待つ, 書かない → 書く (a godan verb)
    if tail.startswith(_AUXILIARIES):
        return stem + "る" if len(stem) == 1 else stem  # 見たい → 見る
    # The okurigana ends where an auxiliary starts: 数え|たい, 確かめ|たい, 作り|たい.
    okuri = tail
    for j in range(1, len(tail)):
        if tail.startswith(_AUXILIARIES, j):
            okuri = tail[:j]
            break
    if len(okuri) > 3:
        return stem  # more words written in kana, not one ending
    last = okuri[-1]
    rest = tail[len(okuri) :]
    if last == "い" and rest[:1] in ("て", "た") and not rest.startswith("たい"):
        return stem + okuri[:-1] + "く"  # 開いている → 開く, 気づいて → 気づく
    if last in _E_ROW:
        return stem + okuri + "る"  # 数えたい → 数える (an ichidan verb)
    if last == "い" and okuri == tail:
        return stem + okuri  # 遅い, 新しい: an adjective
    if last in _I_TO_U:
        return stem + okuri[:-1] + _I_TO_U[last]  # 消したい → 消す, 作りたい → 作る
    if last in _U_ROW:
        return stem + okuri  # 作る方法
    if last in "っん":
        return stem  # 使って, 読んで: the ending is ambiguous, the kanji is not
    return stem  # 行か, 日時や: a particle after a noun


def forms(q: str, surfaces: list[str]) -> dict[str, str]:
    """{surface: plain form} for the Japanese ones among a parsed query's term surfaces."""
    norm, origin = _normalized_with_origin(q)
    out: dict[str, str] = {}
    for surface in surfaces:
        if surface.isascii() or surface in out:
            continue
        at = norm.find(surface)
        if at < 0:
            continue
        start, end = origin[at], origin[at + len(surface) - 1] + 1
        if _KATA_RE.match(q[start]):
            while end < len(q) and q[end] in "ーｰ":
                end += 1
            out[surface] = q[start:end]
            continue
        # Take in okurigana followed by more kanji: one word (並べ替え), not two.
        while (m := _INNER_RE.match(q, end)) and m.end() < len(q):
            end = m.end()
            while end < len(q) and re.match(f"[{_KANJI}]", q[end]):
                end += 1
        stem = q[start:end]
        tail = _TAIL_RE.match(q, end).group(0)
        out[surface] = plain_form(stem, tail)
    return out
