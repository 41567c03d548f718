"""Which engines there are, by name: the one place the CLI, ``bahth stats``, the tests and the
docs learn them from.

Three sources, in this order of precedence:

- the engines of this package (``BUILT_IN``: a name and the module that is the engine);
- entry points in the group ``bahth.engines`` of any installed distribution, so an engine can
  come from a package of its own (``[project.entry-points."bahth.engines"]`` with
  ``name = "package.module"``): read only when a name is not built in, or when every name is
  listed, since ``importlib.metadata`` costs a search's start-up 50 ms;
- ``register``, for the running process alone (the tests' toy engine).

An engine is a module (or any object) with what ``contract.Engine`` lists.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, cast

from .contract import Engine

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "bahth.engines"
DEFAULT = "whoosh"
BUILT_IN = {
    "whoosh": "search.engine.whoosh",
    "tantivy": "search.engine.tantivy",
}

_registered: dict[str, Engine] = {}


class UnknownEngine(ValueError):
    """No engine has this name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown engine {name!r}: choose one of {', '.join(names())}")
        self.name = name


def names() -> tuple[str, ...]:
    """Every engine's name: the default first, then the built-in ones, then the others."""
    found = [*BUILT_IN, *sorted(_entry_points()), *_registered]
    return tuple(dict.fromkeys([DEFAULT, *found]))


def known(name: str) -> bool:
    """True when ``name`` is an engine's (without importing it)."""
    return name in BUILT_IN or name in _registered or name in _entry_points()


def load(name: str) -> Engine:
    """The engine ``name``, imported on first use (each costs start-up time)."""
    if name in _registered:
        return _registered[name]
    if name in BUILT_IN:
        engine = importlib.import_module(BUILT_IN[name])
    elif name in _entry_points():
        engine = _entry_points()[name].load()
    else:
        raise UnknownEngine(name)
    return cast(Engine, engine)


def register(engine: Engine) -> None:
    """Make ``engine`` known by its ``NAME`` in this process, until ``unregister``."""
    if engine.NAME in BUILT_IN or engine.NAME in _entry_points():
        raise ValueError(f"an engine named {engine.NAME!r} exists already")
    _registered[engine.NAME] = engine


def unregister(name: str) -> None:
    """Forget an engine ``register`` made known."""
    _registered.pop(name, None)


@cache
def _entry_points() -> dict[str, EntryPoint]:
    """The engines installed distributions declare, by name."""
    from importlib.metadata import entry_points

    return {point.name: point for point in entry_points(group=GROUP)}
