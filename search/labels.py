"""Display names of sources and categories: ``aljazirah`` is shown as الجزيرة, while the key
stays what ``--source`` and ``source:`` filter by.

>>> labels = Labels.shipped()
>>> labels.name("source", "aljazirah"), labels.name("source", "aljazirah", "en")
('الجزيرة', 'Al-Jazirah')
>>> labels.name("category", "internationalNews"), labels.name("source", "unheard-of")
('أخبار دولية', 'unheard-of')

Two tables, the first that names a key wins:

- the index's own names, set with ``bahth labels set``/``import`` (``Labels.set``,
  ``Labels.import_file``), kept in ``labels.json`` in the index's directory, beside
  ``CURRENT``: outside every generation, so a rebuild or an update keeps them. It is
  replaced atomically (a reader sees the old file or the new one), and changed under its own
  lock, ``labels.lock``, not the index's write lock: naming a source must not wait for an
  hour's rebuild, and a rebuild never touches the file;
- the table shipped with Bahth (``search/data/labels.tsv``): the outlets and sections of the
  shared corpora (SaudiNewsNet, ANT v1.1 and v2.1) and of the demo corpus.

A key is matched as a filter matches it (``keyword_key``: case, hamza, spaces folded), so
``BBC`` and ``bbc`` share a name. A language without a name falls back to the other
language's, then to the key. A labels file (TSV or JSON, see ``Labels.import_file``) that has
wrong lines is read without them: each is named ``file:line: why``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .engine.contract import keyword_key
from .errors import IndexDamaged, InputError, QueryError
from .generation import write_atomically
from .layout import require_current
from .storage import refused

FIELDS = ("source", "category")
LANGS = ("ar", "en")
LABELS_FILE = "labels.json"
LABELS_LOCK = "labels.lock"
MAX_NAME = 200
"""Characters in a name at most: a name is shown in a facet's line, not a paragraph."""

_VERSION = 1
_HEADER = ("field", "key")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

Names = dict[str, str]  # language → name
_Table = dict[tuple[str, str], tuple[str, Names]]  # (field, keyword_key) → (key, names)


@dataclasses.dataclass(frozen=True)
class Label:
    """One key's names: ``origin`` says which table named it ("index" or "shipped"; None:
    neither, the key is shown). ``names`` maps a language to the name in force; ``in_index``
    (from ``Labels.labels``) whether the index holds the key (None: not asked)."""

    field: str
    key: str
    names: Mapping[str, str]
    origin: str | None
    in_index: bool | None = None


@dataclasses.dataclass
class LabelsImport:
    """What ``Labels.import_file`` did: ``names`` set (one per key and language), ``keys``
    named, and ``problems``, one ``file:line: why`` per line left out."""

    names: int = 0
    keys: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)


class Labels:
    """The display names in force for an index (``Labels.of``), or the shipped ones alone
    (``Labels.shipped``). Read once: ``fresh()`` gives the current ones when the index's file
    has changed since (``Searcher.labels`` does it for each use)."""

    def __init__(
        self, own: _Table, *, index: Path | None = None, stamp: tuple[int, ...] | None = None
    ) -> None:
        self._own = own
        self._index = index
        self._stamp = stamp

    @classmethod
    def shipped(cls) -> Labels:
        """The table shipped with Bahth alone."""
        return cls({})

    @classmethod
    def of(cls, index: str | os.PathLike[str]) -> Labels:
        """The names in force for the index at ``index``: its own, then the shipped ones.
        An index without names of its own (or no index there yet) has the shipped ones. A
        ``labels.json`` that is not as Bahth wrote it is ``IndexDamaged`` naming it."""
        home = Path(index)
        stamp = _stamp(home / LABELS_FILE)
        return cls(_read_own(home) if stamp else {}, index=home, stamp=stamp)

    @staticmethod
    def same_key(one: str, other: str) -> bool:
        """Whether two spellings are one key, as filters match keys (``BBC``, ``bbc``)."""
        return keyword_key(one) == keyword_key(other)

    def fresh(self) -> Labels:
        """These labels, or the index's current ones if its file changed since they were
        read (one ``stat``)."""
        if self._index is None or _stamp(self._index / LABELS_FILE) == self._stamp:
            return self
        return Labels.of(self._index)

    def name(self, field: str, key: str, lang: str = "ar") -> str:
        """The name to show for ``key`` of ``field`` ("source" or "category") in ``lang``
        ("ar" or "en"); ``key`` itself when no table names it."""
        wanted = (field, keyword_key(key))
        found = [names for _, table in self._tables() if (names := table.get(wanted, ("", {}))[1])]
        # The language asked for first, from either table; then the other language's name,
        # which says more than a key (an index named only in Arabic, read in English).
        for languages in ([lang], [other for other in LANGS if other != lang]):
            for names in found:
                for language in languages:
                    if names.get(language):
                        return names[language]
        return key

    def named(self, document: Mapping[str, object], lang: str = "ar") -> dict[str, object]:
        """``document`` (a hit's or an article's JSON object) with ``source_name`` and
        ``category_name`` after ``source`` and ``category``: their names in ``lang`` (null
        for a null key). The keys stay as they are: they are what filters take."""
        out: dict[str, object] = {}
        for member, value in document.items():
            out[member] = value
            if member in FIELDS:
                out[f"{member}_name"] = (
                    self.name(member, value, lang) if isinstance(value, str) else None
                )
        return out

    def label(self, field: str, key: str) -> Label:
        """``key``'s names in each language, and which table gave them."""
        wanted = (field, keyword_key(key))
        origin = next((where for where, table in self._tables() if wanted in table), None)
        return Label(field, key, {lang: self.name(field, key, lang) for lang in LANGS}, origin)

    def _tables(self) -> tuple[tuple[str, _Table], ...]:
        return (("index", self._own), ("shipped", _shipped_table()))

    def labels(
        self,
        held: Mapping[str, Iterable[str]] | None = None,
        field: str | None = None,
        *,
        shipped: bool = True,
    ) -> list[Label]:
        """The keys of ``held`` (field → the index's keys, as ``IndexStats`` lists them) and
        every key a table names (the index's own, and with ``shipped`` the shipped ones), by
        field then key; ``field``: that field's only. A key is spelled as ``held`` spells it,
        and with ``held``, ``Label.in_index`` says whether it holds the key."""
        keys: dict[tuple[str, str], str] = {}
        present: set[tuple[str, str]] = set()
        for kind, spelled in (held or {}).items():
            for key in spelled:
                keys.setdefault((kind, keyword_key(key)), key)
                present.add((kind, keyword_key(key)))
        for table in (self._own, _shipped_table() if shipped else {}):
            for (kind, folded), (key, _) in table.items():
                keys.setdefault((kind, folded), key)
        return [
            dataclasses.replace(
                self.label(kind, key), in_index=None if held is None else (kind, folded) in present
            )
            for (kind, folded), key in sorted(
                keys.items(), key=lambda item: (FIELDS.index(item[0][0]), item[1].casefold())
            )
            if field is None or kind == field
        ]

    # --- changing an index's names -------------------------------------------------------

    @staticmethod
    def set(
        index: str | os.PathLike[str], field: str, key: str, name: str, lang: str = "ar"
    ) -> None:
        """Name ``key`` of ``field`` ``name`` in ``lang`` for the index at ``index``, before
        the shipped name. A wrong field, language, key or name is a ``QueryError``."""
        problem = _check(field, key, name, lang)
        if problem:
            raise QueryError(
                problem, f"Give a key and a name of one line (at most {MAX_NAME} characters)."
            )
        with _editing(Path(index)) as own:
            _put(own, field, key.strip(), {lang: name.strip()})

    @staticmethod
    def unset(index: str | os.PathLike[str], field: str, key: str, lang: str | None = None) -> bool:
        """Forget the index's name of ``key`` in ``lang`` (None: in every language); the
        shipped name, if any, shows again. False when the index had none to forget."""
        folded = (field, keyword_key(key))
        with _editing(Path(index)) as own:
            found = own.get(folded)
            if found is None or (lang is not None and lang not in found[1]):
                return False
            names = {} if lang is None else {k: v for k, v in found[1].items() if k != lang}
            if names:
                own[folded] = (found[0], names)
            else:
                del own[folded]
            return True

    @staticmethod
    def import_file(index: str | os.PathLike[str], path: str | os.PathLike[str]) -> LabelsImport:
        """Set the names a labels file gives, for the index at ``index``; its lines that are
        wrong are left out, each named in ``problems``.

        TSV (the shipped table's format): ``field<TAB>key<TAB>ar[<TAB>en[<TAB>note]]``, an
        empty name leaving that language as it is; ``#`` comments, blank lines and a
        ``field<TAB>key...`` header are passed over. JSON: an object ``{"source": {"KEY":
        "NAME" or {"ar": …, "en": …}}, "category": {…}}`` (a problem is named by its field
        and key), or JSON Lines, one ``{"field", "key", "ar", "en"}`` object a line. A file
        that cannot be read is an ``InputError``.
        """
        entries, problems = _read_file(Path(path))
        report = LabelsImport(problems=problems)
        with _editing(Path(index)) as own:
            for field, key, names in entries:
                _put(own, field, key, names)
                report.names += len(names)
        report.keys = len({(f, keyword_key(k)) for f, k, _ in entries})
        return report


# --- the tables ------------------------------------------------------------------------------


@contextlib.contextmanager
def _editing(index: Path) -> Iterator[_Table]:
    """The index's own names, to change in place: written back, atomically, on leaving;
    others wait for the lock meanwhile."""
    require_current(index)  # no index: say how to build one
    lock_path = index / LABELS_LOCK
    try:
        with open(lock_path, "a+", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            own = _read_own(index) if _stamp(index / LABELS_FILE) else {}
            before = dict(own)
            yield own
            if own != before:
                write_atomically(index / LABELS_FILE, _dumps(own))
    except OSError as error:
        raise refused(error, index / LABELS_FILE, writing=True) from error


def _put(own: _Table, field: str, key: str, names: Names) -> None:
    """Add ``names`` to ``key``'s own names; the key keeps its latest spelling."""
    folded = (field, keyword_key(key))
    _, before = own.get(folded, (key, {}))
    own[folded] = (key, {**before, **names})


def _stamp(path: Path) -> tuple[int, ...] | None:
    """What changes when ``path`` is replaced or written (None: no such file)."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise refused(error, path, writing=False) from error
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def _dumps(own: _Table) -> str:
    document: dict[str, Any] = {"version": _VERSION}
    for field in FIELDS:
        document[field] = {
            key: dict(sorted(names.items()))
            for (kind, _), (key, names) in sorted(own.items(), key=lambda item: item[1][0])
            if kind == field
        }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _read_own(index: Path) -> _Table:
    """The index's own names, from its ``labels.json``; ``IndexDamaged`` naming the file if it
    is not as Bahth writes it."""
    path = index / LABELS_FILE
    try:
        text = path.read_bytes().decode("utf-8")
        document = json.loads(text)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise refused(error, path, writing=False) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _damaged(path, str(error)) from None
    if not isinstance(document, dict) or document.get("version") != _VERSION:
        raise _damaged(path, f"not a version {_VERSION} labels object")
    entries, problems = _read_json(path.name, document)
    if problems:
        raise _damaged(path, problems[0].removeprefix(f"{path.name}: "))
    own: _Table = {}
    for field, key, names in entries:
        _put(own, field, key, names)
    return own


def _damaged(path: Path, problem: str) -> IndexDamaged:
    return IndexDamaged(
        f"The labels file {path} is damaged ({problem}); it holds only the index's display "
        "names of sources and categories.",
        f"Correct it, or delete it to show the shipped names, then set yours again: "
        f"bahth labels set FIELD KEY NAME --index {path.parent}",
    )


def _check(field: str, key: str, name: str, lang: str) -> str | None:
    """What is wrong with naming ``key`` of ``field`` ``name`` in ``lang``, or None."""
    if field not in FIELDS:
        return f"{field!r} is not a field with names (source or category)"
    if lang not in LANGS:
        return f"{lang!r} is not a language of names (ar or en)"
    if not key.strip():
        return "the key is empty"
    if not name.strip():
        return "the name is empty"
    if _CONTROL.search(name) or _CONTROL.search(key):
        return "a key or name holds a line break or a control character"
    if len(name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters"
    return None


@functools.cache
def _shipped_table() -> _Table:
    """The table shipped with Bahth, read once."""
    text = resources.files(__package__).joinpath("data", "labels.tsv").read_text("utf-8")
    entries, problems = _read_tsv("labels.tsv", text.splitlines())
    if problems:  # tests/test_labels.py reads it: only a broken install gets here
        raise RuntimeError(f"the shipped labels table is wrong: {problems[0]}")
    table: _Table = {}
    for field, key, names in entries:
        _put(table, field, key, names)
    return table


_Entry = tuple[str, str, Names]


def _read_file(path: Path) -> tuple[list[_Entry], list[str]]:
    """The entries of a user's labels file, and its problems (``file:line: why``)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from None
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return _read_tsv(str(path), text.splitlines())
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        first = stripped.splitlines()[0]
        with contextlib.suppress(json.JSONDecodeError):
            json.loads(first)
            return _read_json_lines(str(path), text.splitlines())
        raise InputError(
            f"{path}: not JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            "Write one JSON object, JSON Lines, or TSV lines: field, key, Arabic name, "
            "English name.",
        ) from None
    return _read_json(str(path), document)


def _read_tsv(name: str, lines: Iterable[str]) -> tuple[list[_Entry], list[str]]:
    entries: list[_Entry] = []
    problems: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if tuple(c.strip() for c in cells[:2]) == _HEADER:
            continue
        if not 3 <= len(cells) <= 5:
            problems.append(
                f"{name}:{number}: {len(cells)} tab-separated columns, not 3 to 5 (field, "
                "key, Arabic name, English name, note)"
            )
            continue
        field, key, *names = (c.strip() for c in cells[:4])
        found = _entry(field, key, dict(zip(LANGS, names, strict=False)))
        if isinstance(found, str):
            problems.append(f"{name}:{number}: {found}")
        else:
            entries.append(found)
    return entries, problems


def _entry(field: str, key: str, given: Mapping[str, object]) -> _Entry | str:
    """An entry, or what is wrong with it; empty names are left out."""
    names = {lang: v.strip() for lang, v in given.items() if isinstance(v, str) and v.strip()}
    wrong = [lang for lang, v in given.items() if v is not None and not isinstance(v, str)]
    if wrong:
        return f"the {wrong[0]!r} name is not a string"
    if not names:
        return f"{field} {key!r} has no name (give an Arabic or an English one)"
    for lang, name in names.items():
        problem = _check(field, key, name, lang)
        if problem:
            return problem
    return field, key.strip(), names


def _read_json_lines(name: str, lines: list[str]) -> tuple[list[_Entry], list[str]]:
    entries: list[_Entry] = []
    problems: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{name}:{number}: not JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            problems.append(f"{name}:{number}: not a JSON object")
            continue
        found = _record(record)
        if isinstance(found, str):
            problems.append(f"{name}:{number}: {found}")
        else:
            entries.append(found)
    return entries, problems


def _record(record: Mapping[str, object]) -> _Entry | str:
    field, key = record.get("field"), record.get("key")
    if not isinstance(field, str) or not isinstance(key, str):
        return (
            'needs "field" and "key" strings, e.g. {"field": "source", "key": "okaz", "ar": "عكاظ"}'
        )
    unknown = sorted(set(record) - {"field", "key", *LANGS, "note"})
    if unknown:
        return f"unknown member {unknown[0]!r} (field, key, ar, en, note)"
    return _entry(field, key, {lang: record.get(lang) for lang in LANGS})


def _read_json(name: str, document: object) -> tuple[list[_Entry], list[str]]:
    entries: list[_Entry] = []
    problems: list[str] = []
    found: _Entry | str
    if not isinstance(document, dict):
        return [], [f"{name}: not a JSON object (or JSON Lines)"]
    for field, keyed in document.items():
        if field == "version":
            continue
        if field not in FIELDS or not isinstance(keyed, dict):
            problems.append(f"{name}: {field!r}: not source or category, with an object of names")
            continue
        for key, names in keyed.items():
            given = {"ar": names} if isinstance(names, str) else names
            if not isinstance(given, dict) or set(given) - set(LANGS):
                found = 'give a name, or {"ar": …, "en": …}'
            else:
                found = _entry(field, key, given)
            if isinstance(found, str):
                problems.append(f"{name}: {field} {key!r}: {found}")
            else:
                entries.append(found)
    return entries, problems
