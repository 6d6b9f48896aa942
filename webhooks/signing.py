"""The signature receivers check: HMAC-SHA256 of the exact body with the webhook's secret."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Kb-Signature-256"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body), signature or "")
