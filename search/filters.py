"""Fields of a query that filter: ``source:`` and ``category:`` typed into a query select the
articles ``--source`` and ``--category`` select, instead of scoring as words (a reader types
them into the search box, and partial matches from other papers came back).

Only a field at the top of the query, given once and not negated, is a filter: inside ``OR``,
``NOT`` or twice (``source:a source:b``), and as a prefix (``source:al*``), it stays a part of
the query, as before.

>>> from search.query import parse
>>> lift_filters(parse("النفط source:alriyadh"))
(Word(text='النفط', field=None, prefix=False), {'source': 'alriyadh'})
>>> lift_filters(parse('category:"اخبار محلية"'))
(None, {'category': 'اخبار محلية'})
>>> lift_filters(parse("النفط OR source:alriyadh"))[1]
{}
"""

from __future__ import annotations

from .query import And, Node, Phrase, Word

FILTER_FIELDS = ("source", "category")


def lift_filters(tree: Node) -> tuple[Node | None, dict[str, str]]:
    """``tree`` without its top-level ``source:`` and ``category:`` words and phrases (None
    when nothing else is left), and their values by field."""
    children = tree.children if isinstance(tree, And) else (tree,)
    by_field: dict[str, list[Word | Phrase]] = {}
    for child in children:
        prefix = isinstance(child, Word) and child.prefix
        if isinstance(child, Word | Phrase) and child.field in FILTER_FIELDS and not prefix:
            by_field.setdefault(child.field, []).append(child)
    lifted = {name: nodes[0] for name, nodes in by_field.items() if len(nodes) == 1}
    rest = tuple(c for c in children if all(c is not node for node in lifted.values()))
    values = {name: node.text for name, node in lifted.items()}
    if not rest:
        return None, values
    return (rest[0] if len(rest) == 1 else And(rest)), values
