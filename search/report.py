"""``IndexReport``: what an indexing run did, or (a dry run) would do."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .article import Article


@dataclass
class IndexReport:
    """What an indexing run did (or, ``dry_run``, would do). Every record read is counted in
    exactly one of ``added``, ``updated``, ``unchanged``, ``duplicates`` or ``rejected``.

    ``title_only`` counts the articles read with a title and no body (indexed all the same);
    ``fields`` says which dump field filled each of ours and for how many articles
    (``{"body": {"content": 31030}, ...}``); ``warnings`` holds the messages about dumps that
    look misread (a file whose articles mostly have no body or no readable date, a mapping no
    record had); ``first`` is the first article read, to show what was made of the dump.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    deleted: int = 0
    unparsed_dates: int = 0
    encoding_problems: int = 0
    repaired: int = 0  # lone surrogates replaced with U+FFFD (JSON escapes)
    empty_files: int = 0
    seconds: float = 0.0
    commit_seconds: float = 0.0
    rejects_file: Path | None = None  # this run's (search.rejects); None for a dry run
    generation: str | None = None
    engine: str | None = None
    stale_lock: int | None = None
    title_only: int = 0
    fields: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    first: Article | None = None
    dry_run: bool = False

    @property
    def read(self) -> int:
        """Records read: articles plus rejects."""
        return self.added + self.updated + self.unchanged + self.duplicates + self.rejected

    @property
    def articles(self) -> int:
        """Articles read (records that were not rejected); 0 means nothing could be used."""
        return self.read - self.rejected

    @property
    def articles_per_second(self) -> float:
        """Records read per second of the whole run, commit included."""
        return self.read / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """One line, as ``bahth index`` prints it."""
        would = " to be" if self.dry_run else ""
        parts = [
            f"{self.read:,} read",
            f"{self.added:,}{would} added",
            f"{self.updated:,}{would} updated",
            f"{self.unchanged:,} unchanged",
            f"{self.rejected:,} rejected",
        ]
        if self.title_only:
            parts.append(f"{self.title_only:,} title only (no body)")
        if self.duplicates:
            parts.append(f"{self.duplicates:,} duplicate ids (last one kept)")
        if self.deleted:
            parts.append(f"{self.deleted:,}{would} deleted")
        if self.unparsed_dates:
            parts.append(f"{self.unparsed_dates:,} unparsed dates kept as text")
        if self.encoding_problems:
            parts.append(f"{self.encoding_problems:,} files with invalid UTF-8 (replaced)")
        if self.repaired:
            parts.append(f"{self.repaired:,} lone surrogates replaced (U+FFFD)")
        if self.empty_files:
            parts.append(f"{self.empty_files:,} empty files")

        speed = self.articles_per_second
        rate = f"{speed:,.0f} articles/s" if speed >= 10 else f"{speed:.2f} articles/s"
        return f"{', '.join(parts)} in {self.seconds:.1f} s ({rate})"
