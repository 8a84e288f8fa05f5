"""Component factories registered by versioned name, e.g. ``"spinscope.genre.v1"``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import UnknownComponent

_FACTORIES: dict[str, Callable[..., Any]] = {}


def component(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a component factory (usually the class) under a versioned name."""

    def register(factory: Callable[..., Any]) -> Callable[..., Any]:
        _FACTORIES[name] = factory
        return factory

    return register


def get(name: str) -> Callable[..., Any]:
    """The factory registered under ``name``."""
    _import_builtin_components()
    try:
        return _FACTORIES[name]
    except KeyError:
        known = ", ".join(sorted(_FACTORIES))
        raise UnknownComponent(f"no component named {name!r}; known: {known}") from None


def names() -> list[str]:
    """Every registered component name."""
    _import_builtin_components()
    return sorted(_FACTORIES)


def _import_builtin_components() -> None:
    # Importing the package registers every built-in component through its decorator.
    from . import components  # noqa: F401
