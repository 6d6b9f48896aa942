from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import read_required
from lookup import placeholders
from shell import scripts


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def script(request: HttpRequest, shell: str) -> HttpResponse:
    """The widget for one shell. Open to all, even on a private site: it is
    the same code for everyone and holds nothing but this site's address."""
    if shell not in scripts.SHELLS:
        raise Http404
    # curl sends no language cookie: Japanese unless ?lang=en asks otherwise (kb.locale).
    body = scripts.render(shell, _base_url(request))
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="kb.{shell}"'
    return response


@read_required
def setup(request: HttpRequest) -> HttpResponse:
    base = _base_url(request)
    lang = "" if translation.get_language() == "ja" else "?lang=en"
    context = {
        "base": base,
        "lang": lang,
        "setup": {
            "bash": f'eval "$(curl -fsS {base}/shell/kb.bash{lang})"',
            "zsh": f'eval "$(curl -fsS {base}/shell/kb.zsh{lang})"',
            "fish": f"curl -fsS {base}/shell/kb.fish{lang} | source",
        },
        "transcript": transcript(),
    }
    return render(request, "shell/setup.html", context)


def transcript() -> str:
    """A session with the widget, built from the scripts' own messages."""
    m = scripts.messages()
    return "\n".join(
        [
            "$ " + _("delete a stopped container") + "      ← Ctrl-G",
            " 1) docker container prune",
            "    " + _("Delete all stopped containers") + " — " + _("Cleaning up Docker"),
            # As the menu shows a command: tldr's fields and choices readable.
            " 2) " + placeholders.readable("docker rm {{[-f|--force]}} {{container}}"),
            "    " + _("Delete a stopped container") + " — " + _("Cleaning up Docker"),
            m["pick"] + "2",
            "  1) -f  2) --force",
            m["choice"] % "-f" + "2",
            m["field"] % ("container", "container") + "web-1",
            "$ docker rm --force web-1      ← " + _("not run: edit it or press Enter"),
        ]
    )
