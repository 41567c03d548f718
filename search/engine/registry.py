"""Which engines there are, by name: the one place ``bahth index --engine``, the tests'
``engine`` parametrization and the conformance suite learn them from.

Three sources; a name belongs to one (``register`` refuses a name the others have):

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
    "xapian": "search.engine.xapian",
}

_registered: dict[str, Engine] = {}
# What ``contract.Engine`` asks of an engine, checked when one comes from elsewhere.
_REQUIRED = ("NAME", "SCHEMA_VERSION", "THREAD_SAFE", "create", "committed", "open_reader",
             "open_writer")  # fmt: skip


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
        return cast(Engine, importlib.import_module(BUILT_IN[name]))
    if name in _entry_points():
        point = _entry_points()[name]
        return _checked(point.load(), f"entry point {point.value!r}")
    raise UnknownEngine(name)


def register(engine: Engine) -> None:
    """Make ``engine`` known by its ``NAME`` in this process, until ``unregister``."""
    _checked(engine, "registered")
    if engine.NAME in BUILT_IN or engine.NAME in _entry_points():
        raise ValueError(f"an engine named {engine.NAME!r} exists already")
    _registered[engine.NAME] = engine


def unregister(name: str) -> None:
    """Forget an engine ``register`` made known."""
    _registered.pop(name, None)


def _checked(engine: object, origin: str) -> Engine:
    """``engine``, when it has what an engine must; else a ``TypeError`` saying what not."""
    missing = [name for name in _REQUIRED if not hasattr(engine, name)]
    if missing:
        raise TypeError(
            f"{engine!r} ({origin}) is not a Bahth engine: it has no {', '.join(missing)} "
            "(see search.engine.contract.Engine)"
        )
    return cast(Engine, engine)


@cache
def _entry_points() -> dict[str, EntryPoint]:
    """The engines installed distributions declare, by name."""
    from importlib.metadata import entry_points

    return {point.name: point for point in entry_points(group=GROUP)}
