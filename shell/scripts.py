"""The shell widget's scripts, with this site's URL and messages filled in.

The scripts live next to this module as plain shell code; the only
server-side part is a block of variable assignments put where the script
says ``# @KB_SETTINGS@``. Every value is quoted for its shell here, so a
site URL or a translation can never become code.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

SCRIPTS = Path(__file__).parent / "scripts"
SHELLS = ("bash", "zsh", "fish")
MARKER = "# @KB_SETTINGS@"


def messages() -> dict[str, str]:
    """What the scripts say, in the language of the request that fetched them."""
    return {
        "ask": _("What do you want to do? "),
        "pick": _("Number (empty to cancel): "),
        "choice": _("Choose (Enter for %s): "),
        "field": _("%s (Enter for %s): "),
        "pushed": _("Press ↑ (Up) to edit it on the prompt."),
        "nothing": _("nothing found for “%s”"),
        "unreachable": _("cannot reach %s"),
        "no_token": _("%s needs a token: set KB_TOKEN (make one at %s/accounts/tokens/)"),
        "bad_token": _("the token was refused: check KB_TOKEN (make one at %s/accounts/tokens/)"),
        "forbidden": _("this account may not read %s"),
        "http": _("%s answered HTTP %s"),
        "bad_response": _("unexpected answer from %s"),
        "unsafe": _("refused: this command contains control characters (%s)"),
        "bad_config": _("KB_TOKEN must look like kb_… (letters, digits, - and _ only)"),
        "no_url": _("no kb address: set KB_URL"),
        "no_query": _("say what you want to do, e.g. kb compress a folder"),
        "usage": _("usage: kb <task words> | kb -s <words to search notes>"),
    }


def _sh(value: str) -> str:
    return shlex.quote(value)


def _fish(value: str) -> str:
    # Inside fish's single quotes only \\ and \' are escapes.
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def settings_block(shell: str, base_url: str) -> str:
    values = {
        "default_url": base_url,
        # The language the script was fetched in: its lookups ask for answers in it too.
        "lang": translation.get_language() or "ja",
        "awk": awk_program(),
        **{f"m_{k}": v for k, v in messages().items()},
    }
    if shell == "fish":
        return "\n".join(f"set -g _kb_{name} {_fish(v)}" for name, v in values.items())
    return "\n".join(f"_kb_{name}={_sh(v)}" for name, v in values.items())


def render(shell: str, base_url: str) -> str:
    if shell not in SHELLS:
        raise ValueError(shell)
    text = _source(shell)
    return text.replace(MARKER, settings_block(shell, base_url), 1).replace("@KB_URL@", base_url)


def _source(shell: str) -> str:
    text = (SCRIPTS / f"kb.{shell}").read_text(encoding="utf-8")
    assert MARKER in text, f"kb.{shell} lacks {MARKER}"
    return text


def awk_program() -> str:
    # Comments stay out of the served script: they are for whoever edits kb.awk.
    lines = (SCRIPTS / "kb.awk").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("#")) + "\n"
