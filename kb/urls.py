from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.decorators.http import require_POST

from accounts import oidc
from accounts import views as account_views
from accounts.access import edit_required
from accounts.forms import AdminLoginForm, LoginForm
from kb.middleware import healthz
from notes.uploads import CheckedImageUploadView
from notes.views import markdown_preview, media

# Outages that surface in a middleware (session, token, private site) end here.
handler500 = "kb.errors.server_error"
handler400 = "kb.errors.bad_request_handler"

admin.site.login_form = AdminLoginForm


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Browsers and feed readers ask for /favicon.ico whatever the page names (base.html's svg).
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    # Answered by kb.middleware.HealthCheckMiddleware; listed so reverse("healthz") works.
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("", include("notes.urls")),
    path("", include("search.urls")),
    path("", include("lookup.urls")),
    path("", include("history.urls")),
    path("", include("links.urls")),
    path("", include("accounts.urls")),
    path("", include("shell.urls")),
    path("", include("sharing.urls")),
    path("", include("presence.urls")),
    path("", include("webhooks.urls")),
    path("", include("audit.urls")),
    path("admin/login/", account_views.admin_login),
    path("admin/", admin.site.urls),
    path("accounts/login/", account_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    # Single sign-on (accounts/oidc.py); answers 404 unless KB_OIDC_ISSUER is set.
    path("oidc/authenticate/", oidc.AuthenticationRequestView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("i18n/", include("django.conf.urls.i18n")),
    # django-markdownx's own URLs are open to anyone; ours go through access checks.
    path(
        "markdownx/upload/",
        edit_required(require_POST(CheckedImageUploadView.as_view())),
        name="markdownx_upload",
    ),
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    # Uploaded images: few and small, so Django serves them behind the same
    # read check as the notes that show them.
    re_path(r"^media/(?P<path>.*)$", media, name="media"),
]
