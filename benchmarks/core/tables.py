"""Tables of strings, rendered as aligned plain text (stdout) or GitHub Markdown (docs)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Table:
    """A titled table of strings: the first ``left`` columns left-aligned, the rest right."""

    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""
    left: int = 1


def _widths(table: Table) -> list[int]:
    return [max(len(r[i]) for r in [table.header, *table.rows]) for i in range(len(table.header))]


def as_text(table: Table) -> str:
    """Aligned plain text, for stdout."""
    widths = _widths(table)

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < table.left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    body = [line(table.header), line(["-" * w for w in widths]), *map(line, table.rows)]
    note = [table.note] if table.note else []
    return "\n".join([f"== {table.title}", *body, *note])


def as_markdown(table: Table) -> str:
    """A GitHub Markdown table under a bold title."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    align = ["---"] * table.left + ["--:"] * (len(table.header) - table.left)
    body = [line(table.header), "|" + "|".join(align) + "|", *map(line, table.rows)]
    note = ["", table.note] if table.note else []
    return "\n".join([f"**{table.title}**", "", *body, *note])
