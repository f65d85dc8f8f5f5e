"""What every `citewise` command shares: its consoles, one-line failures, the settings in force."""

from __future__ import annotations

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
