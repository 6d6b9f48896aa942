"""Drive a real shell in tmux: start it, type into it, read the screen."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

PROMPTS = {"bash": "$ ", "zsh": "% ", "fish": "> "}


class Pane:
    def __init__(
        self, shell: str, home: Path, base_url: str, path: str | None = None, env: dict | None = None
    ):
        self.shell = shell
        self.socket = home / "tmux.sock"
        self.prompt = PROMPTS[shell]
        rc = home / f"rc.{shell}"
        # The one setup line the /shell/ page gives, with nothing but the script's URL.
        if shell == "fish":
            rc.write_text(
                "function fish_prompt; printf '> '; end\n"
                "set -g fish_greeting ''\n"
                f"curl -fsS {base_url}/shell/kb.fish | source\n"
            )
            argv = ["fish", "--no-config", "-C", f"source {rc}"]
        elif shell == "zsh":
            (home / ".zshrc").write_text(f"PS1='%% '\neval \"$(curl -fsS {base_url}/shell/kb.zsh)\"\n")
            argv = ["zsh", "-i"]
        else:
            rc.write_text(f"PS1='$ '\neval \"$(curl -fsS {base_url}/shell/kb.bash)\"\n")
            argv = ["bash", "--noprofile", "--rcfile", str(rc), "-i"]
        environ = {
            "HOME": str(home),
            "ZDOTDIR": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "PATH": path or os.environ["PATH"],
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
            "HISTFILE": str(home / ".history"),
            **(env or {}),
        }
        command = ["env", "-i", *(f"{k}={v}" for k, v in environ.items()), *argv]
        self._tmux("new-session", "-d", "-x", "140", "-y", "45", "-s", "kb", *command)
        try:
            self.wait(lambda screen: screen.rstrip().endswith(self.prompt.rstrip()), what="the first prompt")
        except BaseException:
            self.close()
            raise

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=True, timeout=10
        )
        return result.stdout

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "kb", "-l", text)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "kb", *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-J", "-t", "kb")

    def line(self) -> str:
        """The last non-empty line on the screen: the prompt with what is being typed."""
        lines = [line for line in self.screen().splitlines() if line.strip()]
        return lines[-1].rstrip() if lines else ""

    def wait(self, done: Callable[[str], bool], what: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if done(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")
            time.sleep(0.1)

    def wait_for(self, text: str, timeout: float = 15) -> str:
        return self.wait(lambda screen: text in screen, what=repr(text), timeout=timeout)

    def wait_line(self, expected: str, timeout: float = 15) -> None:
        """Wait until the prompt line reads exactly `expected` (prompt included)."""
        self.wait(lambda _: self.line() == expected, what=f"the line {expected!r}", timeout=timeout)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, timeout=10)


def bin_without_fzf(directory: Path) -> str:
    """A PATH like the machine's but without fzf, as where it is not installed."""
    directory.mkdir(exist_ok=True)
    for entry in os.environ["PATH"].split(os.pathsep):
        folder = Path(entry)
        if not folder.is_dir():
            continue
        for tool in folder.iterdir():
            target = directory / tool.name
            if tool.name != "fzf" and not target.exists() and not target.is_symlink():
                target.symlink_to(tool)
    return str(directory)
