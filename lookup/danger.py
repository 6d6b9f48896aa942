"""Commands that destroy data, and queries that ask for that.

A lookup answer comes with a copy button, so a wrong first answer that deletes volumes
("wait until the database is ready" → `docker compose down -v`, found by meaning alone
on a small corpus) costs more than a wrong one that lists them. The fusion
(lookup.fusion) keeps meaning from promoting such a command when nothing in the query
asks to delete, stop or clean anything; the words can still find it.
"""

from __future__ import annotations

import re

# Removing files, volumes, containers, images or rows; stopping with -v; forcing history.
_DESTRUCTIVE_RE = re.compile(
    r"(?:^|[\s;|&(])(?:rm|rmi|rmdir|shred|mkfs[\w.]*|dd|wipefs|truncate|dropdb|kill|pkill|killall)(?=\s|$)"
    r"|\b(?:prune|purge|destroy|delete|drop|wipe|uninstall|remove)\b"
    r"|\bdown\s+(?:-v|--volumes)\b|\b-\w*rf\b|\breset\s+--hard\b|\bpush\s+(?:-f|--force)\b"
    # pg_restore --clean drops every object before recreating it: a restore overwrites.
    r"|(?<!\S)--clean\b"
    r"|\bclean\s+-\w*[fdx]",
    re.IGNORECASE,
)
# Words of a query that asks for it, in either language (stems, as the tokenizer keeps them).
_INTENT_RE = re.compile(
    r"削除|消|破棄|掃除|片付|除去|取り除|初期化|リセット|捨|止|停止|終了|殺|アンインストール|空に|空け|空き|クリーン"
    # A restore overwrites what is there; asking for one asks for that.
    r"|リストア|復元"
    r"|\b(?:delete|remove|rm|erase|clean|cleanup|prune|purge|wipe|destroy|drop|kill|stop|reset|discard|restor"
    r"|uninstall|clear|free|reclaim|tear)\w*",
    re.IGNORECASE,
)


def destroys(command: str) -> bool:
    return bool(_DESTRUCTIVE_RE.search(command))


def asks_to_destroy(q: str) -> bool:
    return bool(_INTENT_RE.search(q))
