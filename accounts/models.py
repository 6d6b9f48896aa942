from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "kb_"


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough: there is no
    # guessable password behind it for a slow hash to protect.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def for_raw(self, raw: str) -> ApiToken | None:
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            return None
        return self.active().select_related("user").filter(key_hash=hash_token(raw)).first()


class ApiToken(models.Model):
    """A token for scripts: ``Authorization: Bearer kb_…`` reads as its user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, editable=False)
    # The first characters of the token, so users can tell their tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            # ApiTokenQuerySet.for_raw() finds a token by its hash on every API call.
            models.UniqueConstraint(fields=["key_hash"], name="apitoken_key_hash_unique"),
            models.CheckConstraint(condition=~models.Q(name=""), name="apitoken_name_not_empty"),
        ]
        indexes = [
            # The tokens page lists one user's tokens, newest first.
            models.Index(fields=["user", "-created_at"], name="apitoken_user_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(raw), hint=raw[:10])
        return token, raw

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def touch(self) -> None:
        # One write a minute at most, however busy a script is.
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class ExternalIdentity(models.Model):
    """An account at the single sign-on provider (issuer + subject) that is this kb user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities")
    issuer = models.CharField(max_length=300)
    # The provider's stable id for the person ("sub"); names and e-mails can change.
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # accounts.oidc.Backend finds the user of each SSO login by (issuer, subject).
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_issuer_subject_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"
