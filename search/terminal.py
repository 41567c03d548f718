"""Terminal layout for text output: display width, wrapping at word boundaries, bidi reordering
for terminals that do none, a pager started the way git starts one, and ``neutral``, which
keeps the characters of a dump that would act on a terminal from reaching it. No click, no
engine.

Highlights travel through wrapping and reordering as a toggle character, ``MARK``, around each
marked span; ``styled`` turns the toggles into the marker's output last, so that wrapping counts
only visible characters and reordering moves a marked word with its marks.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import unicodedata
from collections.abc import Callable

from bidi import get_base_level, get_display
from bidi.mirror import MIRRORED

MARK = "\ufffc"
"""Toggles highlighting on and off. OBJECT REPLACEMENT CHARACTER: a neutral for the bidi
algorithm (so it takes the direction of the word it surrounds and stays beside it when a line
is reordered), and never meaningful in an article (``clean`` replaces it)."""


def clean(text: str) -> str:
    """``text`` without ``MARK`` characters, so that only the renderer's marks toggle."""
    return text.replace(MARK, "\ufffd")


# --- characters that act on a terminal instead of being shown --------------------------------

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Unicode's bidi formatting characters (the Bidi_Control property): ALM, LRM and RLM; the
embeddings LRE and RLE, the overrides LRO and RLO, and PDF, which ends them; the isolates LRI,
RLI and FSI, and PDI, which ends them. Invisible; they only change the order in which the
characters around them are shown, and an override that is never closed reverses everything
after it, up to the end of the line, or of a terminal's paragraph."""

_LINE_BREAKS = frozenset("\r\n\x0b\x0c\x85\u2028\u2029")
# One alternation, so that a Windows line end (\r\n) is one break, not two.
_NEUTRALISED = re.compile(
    "\r\n|[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
    + "".join(sorted(BIDI_CONTROLS))
    + "]"
)


def neutral(text: str, *, lines: bool = False) -> str:
    r"""``text`` from a dump made safe to print on a terminal, and in CSV.

    - Bidi formatting characters (``BIDI_CONTROLS``) are removed: nothing a reader sees is
      lost, and a title cannot reorder what is shown around it (Bahth puts lines in display
      order itself with ``--bidi``; else the terminal does, from the letters).
    - Line breaks (``\n``, ``\r\n``, a lone ``\r``, VT, FF, NEL, U+2028, U+2029) become
      ``\n`` when ``lines`` (a body's paragraphs), else a space (a title, a snippet, a url:
      one line each, so that no record prints lines that pass for others).
    - Other C0 and C1 control characters and DEL are shown escaped, as Python writes them
      (``\x1b``): a terminal would obey them (an escape sequence can rewrite the screen or
      the window's title), and dropping them would hide that the dump holds them. A tab
      stays.
    - A lone surrogate (a ``\ud800`` escape in a JSON dump), which no output encoding
      writes, becomes U+FFFD.

    JSON output keeps the text as stored; HTML removes the bidi controls too.

    >>> neutral("abc\u202edef\x1b[2Jghi")
    'abcdef\\x1b[2Jghi'
    >>> neutral("one\r\ntwo\rthree"), neutral("one\r\ntwo", lines=True)
    ('one two three', 'one\ntwo')
    """
    if not _NEUTRALISED.search(text):
        return text  # the common case, untouched and uncopied

    def replace(found: re.Match[str]) -> str:
        char = found.group()
        if char in BIDI_CONTROLS:
            return ""
        if char == "\r\n" or char in _LINE_BREAKS:
            return "\n" if lines else " "
        if "\ud800" <= char <= "\udfff":
            return "\ufffd"
        return f"\\x{ord(char):02x}"

    return _NEUTRALISED.sub(replace, text)


def char_width(char: str) -> int:
    """Terminal columns of one character: 0 for combining marks (Arabic diacritics), format
    characters and ``MARK``, 2 for wide East Asian characters, else 1."""
    if char == MARK or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Terminal columns of ``text`` (no escape sequences in it)."""
    return sum(map(char_width, text))


def wrap(
    text: str, columns: int, first: str = "", rest: str = "", mark_columns: int = 0
) -> list[str]:
    """``text`` in lines of at most ``columns`` columns, broken only at spaces, the first line
    starting with ``first`` and the others with ``rest``; each ``MARK`` will take
    ``mark_columns`` (1 when marks become brackets, 0 for colours).

    A word wider than a line (a long URL) gets a line of its own and is not cut: a word, a
    date or a URL is never split across lines. Runs of whitespace become one space. A marked
    span that continues on the next line is closed at the end of its line and reopened.

    >>> wrap("one two three four", 9, "1. ", "   ")
    ['1. one', '   two', '   three', '   four']
    >>> wrap("on 2025-03-01 at", 12)
    ['on', '2025-03-01', 'at']
    """
    lines: list[str] = []
    line, used = first, width(first)
    empty = True
    for word in text.split():
        size = width(word) + mark_columns * word.count(MARK)
        if not empty and used + 1 + size > columns:
            lines.append(line)
            line, used, empty = rest, width(rest), True
        if not empty:
            line += " "
            used += 1
        line += word
        used += size
        empty = False
    lines.append(line)
    balanced, carry = [], False
    for line in lines:
        if carry:
            line = _after_indent(line, MARK)
        carry = line.count(MARK) % 2 == 1
        balanced.append(line + MARK if carry else line)
    return balanced


def _after_indent(line: str, insert: str) -> str:
    body = line.lstrip(" ")
    return line[: len(line) - len(body)] + insert + body


def visual(line: str) -> str:
    """One line in display order, for a terminal that shows characters left to right as it
    receives them (most do; tmux always does).

    The Unicode bidi algorithm (python-bidi) resolves each character's embedding level;
    runs are reversed by level (rule L2) and characters shown in a right-to-left run use
    their mirrored glyphs (rule L4: ``(`` becomes ``)``), which python-bidi's ``get_display``
    leaves out. The paragraph's direction is its first strong letter's: Arabic text reads
    from the right, a line of Latin letters with an Arabic name from the left. Marked spans
    (between ``MARK``s) are reordered as the text around them, then marked again where their
    characters landed, so the marks never change the order.

    >>> visual("abc")
    'abc'
    >>> visual("في (كلمة)") == "(ةملك) يف"
    True
    >>> visual("قالَ") == "لَاق"  # the fatha stays after its letter (lam)
    True
    """
    text, marked = "", []
    for i, part in enumerate(line.split(MARK)):
        text += part
        marked += [i % 2 == 1] * len(part)
    order = _order(text)
    if order is None:  # a python-bidi whose levels cannot be read: order without mirroring
        return get_display(text)  # type: ignore[return-value]
    out, inside = [], False
    for index, char in order:
        if marked[index] != inside:
            out.append(MARK)
            inside = marked[index]
        out.append(char)
    if inside:
        out.append(MARK)
    return "".join(out)


def _order(text: str) -> list[tuple[int, str]] | None:
    """(logical index, character as shown) of each character of ``text`` in display order."""
    levels = _levels(text)
    if levels is None:
        return None
    base = get_base_level(text)
    # L1: trailing whitespace takes the paragraph's level.
    end = len(text.rstrip())
    levels[end:] = [base] * (len(text) - end)
    order = list(range(len(text)))
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = reversed(order[i:j])
            i = j
    # L3: reversed, a right-to-left letter's combining marks (Arabic diacritics) came before
    # it; terminals draw a mark on the character before it, so the marks go back after it.
    shown: list[int] = []
    i = 0
    while i < len(order):
        j = i
        while j < len(order) and levels[order[j]] % 2 and _combining(text[order[j]]):
            j += 1
        if j == i:
            shown.append(order[i])
            i += 1
        elif j < len(order):
            shown += [order[j], *order[i:j]]
            i = j + 1
        else:
            shown += order[i:j]
            i = j
    # L4: a character in a right-to-left run is shown by its mirrored glyph.
    return [(i, MIRRORED.get(text[i], text[i]) if levels[i] % 2 else text[i]) for i in shown]


def _combining(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me")


_LEVELS = re.compile(r"\n    levels: \[\n(.*?)\n    \],\n", re.DOTALL)
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(line: str) -> list[int] | None:
    """The embedding level of each character of ``line``, from python-bidi's debug output
    (its Rust core gives them per UTF-8 byte), or None if that output has another shape."""
    debug = get_display(line, debug=True)
    found = _LEVELS.search(debug) if isinstance(debug, str) else None
    if not found:
        return None
    by_byte = [int(level) for level in _LEVEL.findall(found.group(1))]
    levels, offset = [], 0
    for char in line:
        if offset >= len(by_byte):
            return None
        levels.append(by_byte[offset])
        offset += len(char.encode("utf-8"))
    return levels if offset == len(by_byte) else None


def is_rtl(line: str) -> bool:
    """True when the line's first strong letter is right-to-left (Arabic, Hebrew)."""
    return get_base_level(line) == 1


_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def visible_width(text: str) -> int:
    """Terminal columns of ``text`` that may hold colour escape sequences."""
    return width(_ESCAPE.sub("", text))


def styled(line: str, marker: Callable[[str], str]) -> str:
    """``line`` with each span between two ``MARK``s passed through ``marker``."""
    parts = line.split(MARK)
    return "".join(marker(p) if i % 2 else p for i, p in enumerate(parts))


# --- pager ----------------------------------------------------------------------------------


def pager_command(environ: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    """The pager to run, as git chooses it: ``$PAGER``, else ``less``; None when it is empty
    or ``cat`` (no pager) or cannot be found."""
    command = environ.get("PAGER", "less").strip()
    if not command or command == "cat":
        return None
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    return command if shutil.which(program) else None


class Pager:
    """Writes text to the terminal, through a pager once it grows past one screen.

    Lines are held until there are more than ``rows - 1`` of them (a screen, less the prompt's
    line); then ``command`` is started and receives them and the rest as it comes, so a long
    stream is paged as it is produced and a short one is written directly, whatever the pager.
    The pager gets ``LESS=FRX`` when LESS is not set, as git gives it (quit if one screen,
    colours, no screen clearing). Quitting the pager early ends the output quietly.
    """

    def __init__(self, write: Callable[[str], None], command: str | None, rows: int) -> None:
        self._write = write
        self._command = command
        self._rows = max(rows - 1, 1)
        self._held: list[str] = []
        self._lines = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._closed_early = False

    def write(self, text: str) -> None:
        """Output ``text`` (held, paged or written)."""
        if self._closed_early:
            return
        if self._process is not None:
            self._send(text)
            return
        if self._command is None:
            self._write(text)
            return
        self._held.append(text)
        self._lines += text.count("\n")
        if self._lines > self._rows:
            self._start()

    def _start(self) -> None:
        env = dict(os.environ)
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        assert self._command is not None
        # A shell, as git runs the pager: PAGER may hold options ("less -S").
        self._process = subprocess.Popen(self._command, shell=True, stdin=subprocess.PIPE, env=env)
        held, self._held = "".join(self._held), []
        self._send(held)

    def _send(self, text: str) -> None:
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(text.encode("utf-8"))
        except BrokenPipeError:
            self._closed_early = True  # the reader quit the pager

    def close(self) -> None:
        """Flush what is held, or let the pager finish (until the reader quits it)."""
        if self._process is None:
            if self._held:
                self._write("".join(self._held))
                self._held = []
            return
        try:
            assert self._process.stdin is not None
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        while True:
            try:
                self._process.wait()
                break
            except KeyboardInterrupt:
                continue  # Ctrl-C belongs to the pager (less uses it), as with git

    def __enter__(self) -> Pager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
