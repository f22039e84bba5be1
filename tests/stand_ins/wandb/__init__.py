"""Test-only stand-in for wandb: a run that prints what it is given, so tests can compare what two scripts log."""

from __future__ import annotations

from typing import Any

run = None
config: dict[str, Any] = {}


class Image:
    def __init__(self, data: Any, caption: str | None = None) -> None:
        self.shape = tuple(getattr(data, "shape", ()))
        self.caption = caption

    def __repr__(self) -> str:
        return f"Image{self.shape}"


def _shown(value: Any) -> Any:
    if hasattr(value, "item") and getattr(value, "numel", lambda: 0)() == 1:
        value = value.item()
    return round(value, 6) if isinstance(value, float) else value


def init(*args: Any, **kwargs: Any) -> None:
    config.update(kwargs.get("config") or {})
    print("wandb.init", sorted(kwargs))


def log(data: dict, step: int | None = None, commit: bool | None = None) -> None:
    print("wandb.log", {key: _shown(value) for key, value in data.items()}, "" if step is None else f"step={step}")


def watch(*args: Any, **kwargs: Any) -> None:
    pass


def finish() -> None:
    print("wandb.finish")
