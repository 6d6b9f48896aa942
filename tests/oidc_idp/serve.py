"""Run the test IdP: migrate its database, create its users and client, serve until killed.

    python -m tests.oidc_idp.serve PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI POST_LOGOUT_URI

Users (password "pw"): alice in kb-editors, bob in kb-admins and kb-editors, carol in no group.
"""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_idp.settings")


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main(port: int, client_id: str, secret: str, redirect_uri: str, post_logout: str) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for name, groups in {"alice": ["kb-editors"], "bob": ["kb-admins", "kb-editors"], "carol": []}.items():
        user, _ = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.com"})
        user.first_name = name.capitalize()
        user.set_password("pw")
        user.save()
        user.groups.set([Group.objects.get_or_create(name=g)[0] for g in groups])
    Application.objects.filter(client_id=client_id).delete()
    Application.objects.create(
        name="kb",
        client_id=client_id,
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        post_logout_redirect_uris=post_logout,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server(
        "127.0.0.1",
        port,
        get_wsgi_application(),
        server_class=ThreadingWSGIServer,
        handler_class=QuietHandler,
    )
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:6])
