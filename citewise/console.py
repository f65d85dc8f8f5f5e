"""What every `citewise` command shares: its consoles, one-line failures, the settings in force."""

from __future__ import annotations

import time
from typing import NoReturn

import typer
from rich.console import Console

from config.settings import Settings

err = Console(stderr=True)
out = Console()


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, non-zero exit."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def load_settings(**overrides: object) -> Settings:
    """Settings in force, or a one-line error naming the bad CITEWISE_* variable."""
    try:
        return Settings.from_env(**overrides)
    except (ValueError, TypeError) as exc:
        fail(str(exc))


class ProgressLines:
    """Progress as plain lines (a log file, a pipe): one when a stage starts or ends, and at
    most one every `every_s` seconds between."""

    def __init__(self, console: Console, every_s: float = 10.0) -> None:
        self.console, self.every_s = console, every_s
        self._stage: str | None = None
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        ended = total > 0 and done >= total
        if stage == self._stage and not ended and now - self._last < self.every_s:
            return
        if stage == self._stage and ended and self._last < 0:
            return  # this stage's end is already shown
        self._stage, self._last = stage, (-1.0 if ended else now)
        share = f" ({done / total:.0%})" if total else ""
        self.console.print(f"{stage} {done:,}/{total:,}{share}", highlight=False)
