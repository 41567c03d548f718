"""Query strings → query trees, or a ``QueryError`` that says what is wrong and where.

The language, for people who search news:

* ``بوتين زيلينسكي``: words, all of which should match (see ``Searcher.search``'s ``match``);
* ``"وزير الخارجية"``: a phrase, matched on exact (unstemmed) forms in that order;
* ``روسيا OR أوكرانيا``, ``NOT قطر`` or ``-قطر``, parentheses for grouping (``AND`` is allowed
  and is the default);
* ``title:بوتين``, ``body:…``, ``source:alwatan``, ``category:sport`` restrict a word, a phrase or
  a parenthesized group to one field;
* ``since:2015-08``, ``until:"رمضان 1436"``: dates, as the options take them (``search.filters``);
* ``اقتصا*``: words starting with a prefix (three letters at least).

The parser checks everything before an engine sees the query: whoosh's own parser silently
repairs ``(غزة OR القاهرة`` and turns an unknown ``nofield:x`` into a search for "nofield".

A query is bounded as a dump's record is, so that no string can hold a searcher for minutes
or exhaust its stack: at most ``MAX_QUERY_CHARS`` characters, ``MAX_QUERY_WORDS`` words
(those of phrases included), ``MAX_PREFIXES`` prefixes (each searches up to 64 forms per
field) and ``MAX_NESTING`` levels of parentheses and NOTs. Each limit passed is a
``QueryError`` naming it (``search.options`` lists every limit of a search).

>>> parse('-"البيت الأبيض" بوتين').children[0]
Not(child=Phrase(text='البيت الأبيض', field=None))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeAlias

from .errors import QueryError

TEXT_FIELDS = ("title", "body")
KEYWORD_FIELDS = ("source", "category")
DATE_FIELDS = ("since", "until")  # filters only (search.filters), never matched as words
FIELDS = TEXT_FIELDS + KEYWORD_FIELDS + DATE_FIELDS
MIN_PREFIX = 3  # two Arabic letters start tens of thousands of words

# The limits of a query (see the module's docstring). A search's cost grows with its words:
# 64 words of a pasted paragraph took 0.06 s on tantivy and 1.1 s on whoosh over 31,525
# articles (300 words: 0.55 s and 6.2 s), and 64 words still find the paragraph's article.
# A prefix costs as much as dozens of words: 5 common ones took whoosh 6 s.
MAX_QUERY_CHARS = 1_000
MAX_QUERY_WORDS = 64
MAX_PREFIXES = 8
MAX_NESTING = 16  # groups within groups (and NOTs): news searches use two or three
_EMPTY = ("the query is empty", "Type one or more words to search for")


@dataclass(frozen=True, slots=True)
class Word:
    """A word to match in ``field`` (None: title and body); ``prefix`` for ``word*``."""

    text: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words to match in this order, on exact forms."""

    text: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Not:
    """Articles matching ``child`` are excluded."""

    child: Node


@dataclass(frozen=True, slots=True)
class And:
    """All children must match."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child must match."""

    children: tuple[Node, ...]


Node: TypeAlias = Word | Phrase | Not | And | Or


@dataclass
class Highlights:
    """The word forms a query matches, for marking them in snippets.

    ``terms`` are index terms (a token matches when its term is one), ``norms`` exact
    normalized forms (quoted phrases), and the prefixes come from ``word*``.
    """

    terms: set[str] = field(default_factory=set)
    norms: set[str] = field(default_factory=set)
    term_prefixes: set[str] = field(default_factory=set)
    norm_prefixes: set[str] = field(default_factory=set)


# Lexer: quoted phrases, parentheses, and runs of anything else. Word-internal quotes
# (l'Aube) stay inside the word.
_LEXEME = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_FIELD = re.compile(r"(?P<field>[A-Za-z]+):(?P<rest>.*)", re.DOTALL)
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True, slots=True)
class _Lexeme:
    kind: str  # "word", "phrase", "(", ")", "AND", "OR", "NOT", "-"
    text: str
    pos: int
    field: str | None = None


def _split_field(text: str, pos: int) -> tuple[str | None, str]:
    match = _FIELD.fullmatch(text)
    if not match or match.group("rest").startswith("//"):  # a URL, not a field
        return None, text
    field = match.group("field").lower()
    if field not in FIELDS:
        raise _at(
            f"unknown field '{match.group('field')}:'",
            pos,
            fix=f"Fields are {', '.join(f + ':' for f in FIELDS)}",
            key="unknown_field",
            field=match.group("field") + ":",
            fields=" ".join(f + ":" for f in FIELDS),
        )
    return field, match.group("rest")


def _lex(query: str) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    pending_field: tuple[str, int] | None = None
    for match in _LEXEME.finditer(query):
        pos = match.start(match.lastgroup) if match.lastgroup else match.start()
        if match.lastgroup == "phrase":
            text = match.group("phrase")
            if len(text) < 2 or not text.endswith('"'):
                raise _at("the quote", pos, "is never closed", key="quote_open")
            field = pending_field[0] if pending_field else None
            lexemes.append(_Lexeme("phrase", text[1:-1], pos, field))
            pending_field = None
            continue
        if pending_field and match.lastgroup != "paren":
            raise _at(f"'{pending_field[0]}:'", pending_field[1], "has no word", key="no_word")
        if match.lastgroup == "paren":
            text = match.group("paren")
            field = pending_field[0] if pending_field and text == "(" else None
            if pending_field and text == ")":
                raise _at(f"'{pending_field[0]}:'", pending_field[1], "has no word", key="no_word")
            lexemes.append(_Lexeme(text, text, pos, field))
            pending_field = None
            continue
        text = match.group("word")
        if text == "-":
            if query[match.end() : match.end() + 1] in ('"', "("):  # -"phrase", -(group)
                lexemes.append(_Lexeme("-", "-", pos))
            continue  # a lone dash between spaces is punctuation
        if text in _OPERATORS:
            lexemes.append(_Lexeme(text, text, pos))
            continue
        if text.startswith("-") and len(text) > 1:
            lexemes.append(_Lexeme("-", "-", pos))
            text, pos = text[1:], pos + 1
        field, rest = _split_field(text, pos)
        if field and not rest:
            pending_field = (field, pos)  # title:"…" or title:( … )
            continue
        lexemes.append(_Lexeme("word", rest, pos + len(text) - len(rest), field))
    if pending_field:
        raise _at(f"'{pending_field[0]}:'", pending_field[1], "has no word", key="no_word")
    return lexemes


def _at(
    what: str, pos: int, wrong: str = "", fix: str | None = None, *, key: str, **values: object
) -> QueryError:
    """The error of ``what`` at offset ``pos`` of the query, and what is ``wrong`` with it: the
    message says the 1-based position, and so does the error's ``position`` (for a page to
    mark it without reading the message). ``key`` is its Arabic text (``errors.Said``), whose
    fields are ``{what}`` as typed (unquoted), ``{position}`` and ``values``."""
    separator = " " if wrong and not wrong.startswith(":") else ""
    typed = what[1:-1] if len(what) > 1 and what[0] == what[-1] == "'" else what
    said = (key, {"what": typed, "position": pos + 1, **values})
    return QueryError(
        f"{what} at position {pos + 1}{separator}{wrong}", fix, position=pos + 1, said=said
    )


class _Parser:
    """Recursive descent over lexemes: or := and ("OR" and)*; and := unary+; unary := NOT unary."""

    def __init__(self, lexemes: list[_Lexeme]) -> None:
        self.lexemes = lexemes
        self.i = 0
        self.open_groups: list[_Lexeme] = []  # the "(" lexemes we are inside
        self.depth = 0  # the groups and NOTs we are inside: each is a call deeper
        # Parts that ask for nothing where something must be asked for: raised once the whole
        # query is known to ask for something, so that a query of excluded words alone is
        # told so as a whole.
        self.deferred: list[QueryError] = []

    def peek(self) -> _Lexeme | None:
        return self.lexemes[self.i] if self.i < len(self.lexemes) else None

    def take(self) -> _Lexeme:
        lexeme = self.lexemes[self.i]
        self.i += 1
        return lexeme

    def parse(self) -> Node:
        node = self.parse_or(None)
        extra = self.peek()
        if extra is not None:  # only a stray ")" can stop parse_or early
            raise _at("')'", extra.pos, "has no matching '('", key="close_unmatched")
        return node

    def parse_or(self, field: str | None) -> Node:
        children = [self.parse_and(field)]
        operators: list[_Lexeme] = []
        while (lexeme := self.peek()) is not None and lexeme.kind == "OR":
            operators.append(self.take())
            after = self.peek()
            if after is None or after.kind in {")", "OR", "AND"}:
                raise _at("OR", lexeme.pos, "has nothing after it", key="nothing_after")
            children.append(self.parse_and(field))
        if len(children) == 1:
            return children[0]
        for n, child in enumerate(children):
            if not _asks(child):  # a OR -b: every article without b would match
                operator = operators[max(n - 1, 0)]
                self.deferred.append(
                    _at(
                        "OR",
                        operator.pos,
                        "has a side that only excludes words",
                        "Each side of an OR must ask for a word: روسيا OR (أوكرانيا -قطر)",
                        key="or_only_excludes",
                    )
                )
        return Or(tuple(children))

    def parse_and(self, field: str | None) -> Node:
        children: list[Node] = []
        while (lexeme := self.peek()) is not None and lexeme.kind not in {")", "OR"}:
            if lexeme.kind == "AND":
                self.take()
                if not children:
                    raise _at("AND", lexeme.pos, "has nothing before it", key="nothing_before")
                nxt = self.peek()
                if nxt is None or nxt.kind in {")", "OR", "AND"}:
                    raise _at("AND", lexeme.pos, "has nothing after it", key="nothing_after")
                continue
            child = self.parse_unary(field)
            # (a b) c is a b c: a group of words inside words adds nothing but a level that
            # would hide its excluded words from the partial-match fill.
            children.extend(child.children if isinstance(child, And) else (child,))
        if not children:
            lexeme = self.peek()
            if lexeme is not None and lexeme.kind == "OR":
                raise _at("OR", lexeme.pos, "has nothing before it", key="nothing_before")
            if lexeme is not None and lexeme.kind == ")":
                if not self.open_groups:
                    raise _at("')'", lexeme.pos, "has no matching '('", key="close_unmatched")
                raise _at("')'", lexeme.pos, "closes an empty group", key="empty_group")
            if self.open_groups:
                opened = self.open_groups[-1]
                raise _at("'('", opened.pos, "is never closed", key="open_unclosed")
            raise QueryError(*_EMPTY, said=("query_empty", {}))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, field: str | None) -> Node:
        lexeme = self.take()
        if lexeme.kind not in {"NOT", "-", "("}:
            return self.parse_leaf(lexeme, field)
        # Each group and NOT is a level of recursion here, in compiling and in the engines:
        # thousands of them were a RecursionError.
        if self.depth == MAX_NESTING:
            name = "'('" if lexeme.kind == "(" else lexeme.text
            raise _at(
                name,
                lexeme.pos,
                f"is nested too deeply: at most {MAX_NESTING} groups and NOTs may stand within "
                "each other",
                "Leave out parentheses: (a (b c)) searches what a b c does",
                key="too_deep",
                most=MAX_NESTING,
            )
        self.depth += 1
        try:
            return self.parse_nested(lexeme, field)
        finally:
            self.depth -= 1

    def parse_nested(self, lexeme: _Lexeme, field: str | None) -> Node:
        """What a NOT, a - or a ( that was just taken applies to."""
        if lexeme.kind in {"NOT", "-"}:
            nxt = self.peek()
            if nxt is None or nxt.kind in {")", "OR", "AND"}:
                raise _at(lexeme.text, lexeme.pos, "has nothing after it", key="nothing_after")
            child = self.parse_unary(field)
            if not _asks(child):  # NOT NOT x, -(-x): excluding the articles without x
                self.deferred.append(
                    _at(
                        lexeme.text,
                        lexeme.pos,
                        "excludes words that are themselves excluded",
                        "Write a word without NOT to require it: NOT NOT قطر is قطر",
                        key="not_not",
                    )
                )
            return Not(child)
        if lexeme.kind == "(":
            self.open_groups.append(lexeme)
            group = self.parse_or(lexeme.field or field)
            if self.peek() is None:
                raise _at("'('", lexeme.pos, "is never closed", key="open_unclosed")
            self.take()
            self.open_groups.pop()
            return group
        raise AssertionError(lexeme)  # parse_unary passes only NOT, - and (

    def parse_leaf(self, lexeme: _Lexeme, field: str | None) -> Node:
        """A word or a phrase (a stray ')' is an error)."""
        if lexeme.kind == ")":
            raise _at("')'", lexeme.pos, "has no matching '('", key="close_unmatched")
        own_field = lexeme.field or field
        if lexeme.kind == "phrase":
            if not lexeme.text.strip():
                raise _at("the quotes", lexeme.pos, "are empty", key="quotes_empty")
            return Phrase(lexeme.text, own_field)
        return _word(lexeme.text, own_field, lexeme.pos)


def _word(text: str, field: str | None, pos: int) -> Word:
    if not text.endswith("*"):
        return Word(text, field)
    stem = text.rstrip("*")
    if len(stem) < MIN_PREFIX or "*" in stem:
        raise _at(
            f"'{text}'",
            pos,
            f": a prefix search needs at least {MIN_PREFIX} letters before a single trailing *",
            key="prefix_short",
            least=MIN_PREFIX,
        )
    return Word(stem, field, prefix=True)


def _asks(node: Node) -> bool:
    """True when ``node`` asks for something, rather than only excluding: every branch of an
    OR must, and some part of a group."""
    if isinstance(node, Word | Phrase):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, Or):
        return all(_asks(child) for child in node.children)
    return any(_asks(child) for child in node.children)


def _check_positive(node: Node) -> None:
    """A query must ask for something: NOT alone would list the whole archive."""
    if not _asks(node):
        raise QueryError(
            "the query only excludes words",
            "Add a word to search for, e.g. بوتين -روسيا",
            said=("query_only_excludes", {}),
        )


def parse(query: str) -> Node:
    """Parse a query string into a tree, or raise ``QueryError`` saying what is wrong.

    >>> parse("(روسيا OR أوكرانيا) title:قمة*").children[1]
    Word(text='قمة', field='title', prefix=True)
    """
    _check_text(query)
    if not query.strip():
        raise QueryError(*_EMPTY, said=("query_empty", {}))
    lexemes = _lex(query)
    _check_size(lexemes)
    parser = _Parser(lexemes)
    tree = parser.parse()
    _check_positive(tree)
    if parser.deferred:
        raise parser.deferred[0]
    return tree


def _check_text(query: object) -> None:
    """A ``QueryError`` unless ``query`` is a string of text within ``MAX_QUERY_CHARS``."""
    if not isinstance(query, str):
        raise QueryError(
            f"the query must be a string (str), not {type(query).__name__}",
            "Pass the words to search for as one string: search('بوتين روسيا')",
            said=("query_not_str", {"type": type(query).__name__}),
        )
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(query):,} characters long; at most {MAX_QUERY_CHARS:,} are taken",
            "Search for fewer words: the names, places and rare words find the articles",
            said=("query_too_long", {"length": f"{len(query):,}", "most": f"{MAX_QUERY_CHARS:,}"}),
        )
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as error:  # half of a UTF-16 pair: a string cut in two
        raise _at(
            "the character",
            error.start,
            f"is not text (U+{ord(query[error.start]):04X}, half of a surrogate pair)",
            "Pass the query as it was typed, not cut from UTF-16 text",
            key="surrogate",
            code=f"U+{ord(query[error.start]):04X}",
        ) from None


def _check_size(lexemes: list[_Lexeme]) -> None:
    """A ``QueryError`` past ``MAX_QUERY_WORDS`` words or ``MAX_PREFIXES`` prefixes."""
    words = sum(
        len(x.text.split()) if x.kind == "phrase" else 1
        for x in lexemes
        if x.kind in ("word", "phrase")
    )
    if words > MAX_QUERY_WORDS:
        raise QueryError(
            f"the query has {words:,} words; at most {MAX_QUERY_WORDS} are taken",
            "Keep the words that matter most (names, places, rare words), or search twice",
            said=("query_too_many_words", {"words": f"{words:,}", "most": MAX_QUERY_WORDS}),
        )
    prefixes = sum(x.kind == "word" and x.text.endswith("*") for x in lexemes)
    if prefixes > MAX_PREFIXES:
        raise QueryError(
            f"the query has {prefixes} prefix searches (word*); at most {MAX_PREFIXES} are taken",
            "Write some of the words in full: each prefix searches dozens of words",
            said=("query_too_many_prefixes", {"prefixes": prefixes, "most": MAX_PREFIXES}),
        )


def written_words(query: str) -> list[tuple[int, str]]:
    """``(offset, text)`` of each searched word and phrase as written in ``query``, for
    rewriting it: prefixes (``word*``), operators and the values of ``source:``, ``category:``,
    ``since:`` and ``until:`` left out; a phrase's text is what stands between its quotes.
    ``query`` must parse.

    >>> written_words('title:الرياص OR "وزارة الصحه" source:spa اقتصا*')
    [(6, 'الرياص'), (17, 'وزارة الصحه')]
    """
    return [
        (lexeme.pos + (lexeme.kind == "phrase"), lexeme.text)
        for lexeme in _lex(query)
        if lexeme.kind in ("word", "phrase")
        and lexeme.field not in KEYWORD_FIELDS + DATE_FIELDS
        and not lexeme.text.endswith("*")
    ]


def positive_words(node: Node) -> list[Word | Phrase]:
    """The words and phrases a matching article should contain (those not under a Not)."""
    if isinstance(node, Word | Phrase):
        return [node]
    if isinstance(node, Not):
        return []
    return [leaf for child in node.children for leaf in positive_words(child)]
