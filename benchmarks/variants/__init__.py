"""The judged list of spelling variants (issue 27, part 1): pairs of normalized words from the
shared corpora, each read in context and labelled ``variant`` (one name or word spelled two
ways: ترامب/ترمب) or ``different`` (look-alikes related by the same kind of rule: كتاب/كتب).

It measures a variant miner: its precision is how few ``different`` pairs it proposes, its
recall how many ``variant`` pairs it finds. See ``README.md`` here for how it was made.

>>> rows = load_judged()
>>> sum(r.label == "variant" for r in rows) >= 150
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Label = Literal["variant", "different"]
Rule = Literal["vowel", "g", "v", "split", "other"]

JUDGED = Path(__file__).with_name("judged.tsv")
HEADER = ("a", "b", "label", "rule", "note")
LABELS: tuple[Label, ...] = ("variant", "different")
RULES: tuple[Rule, ...] = ("vowel", "g", "v", "split", "other")


@dataclass(frozen=True)
class Judged:
    """One judged pair: ``a`` and ``b`` are normalized forms (``b`` holds a space for a
    ``split`` pair), ``rule`` the kind of spelling difference between them, ``note`` what
    each word is, in a few English words."""

    a: str
    b: str
    label: Label
    rule: Rule
    note: str

    @property
    def pair(self) -> frozenset[str]:
        """The two forms, unordered: a miner may propose them either way round."""
        return frozenset((self.a, self.b))


def load_judged(path: Path = JUDGED) -> list[Judged]:
    """The judged pairs of ``path`` (the list kept here by default), in file order.

    Raises ``ValueError`` naming the line for a wrong header, a line without five fields,
    or a label or rule outside ``LABELS`` and ``RULES``.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise ValueError(f"{path}: the first line must be {chr(9).join(HEADER)!r}")
    rows: list[Judged] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            raise ValueError(f"{path}:{number}: {len(fields)} fields, not {len(HEADER)}")
        a, b, label, rule, note = fields
        if label not in LABELS:
            raise ValueError(f"{path}:{number}: label {label!r} is not one of {LABELS}")
        if rule not in RULES:
            raise ValueError(f"{path}:{number}: rule {rule!r} is not one of {RULES}")
        rows.append(Judged(a, b, label, rule, note))  # type: ignore[arg-type]
    return rows
