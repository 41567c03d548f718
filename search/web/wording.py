"""A page's language (``search.messages``) and what its templates say with it: the table's
texts with their values escaped, the names of sources and categories (``search.labels``), the
hit and the counts as ``search.render`` writes them, and the switch to the other language."""

from __future__ import annotations

import dataclasses
from typing import Any

from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from .. import messages, render
from ..explain import Explanation
from ..labels import Labels
from ..results import Hit, Results
from .links import with_parameter

LANG = "lang"  # pages: the page's language, if not the browser's; kept in the page's links


@dataclasses.dataclass(frozen=True)
class Wording:
    """A page's language, and what its templates say with it."""

    lang: messages.Language
    asked: str | None  # the ``lang`` parameter, which the page's links keep
    label: render.Label
    url: str  # the page being shown, to switch its language

    def t(self, key: str, **values: Any) -> Markup:
        """``messages.message`` in the page's language, each value escaped (unless Markup)."""
        escaped = {name: markupsafe_escape(value) for name, value in values.items()}
        return Markup(messages.message(key, self.lang, **escaped))  # the table's own markup

    def listed(self, words: list[str]) -> Markup:
        """Words from a query or an index, each isolated, as the language lists them."""
        return Markup(self.comma).join(Markup("<bdi>{}</bdi>").format(w) for w in words)

    @property
    def comma(self) -> str:
        return "، " if self.lang == "ar" else ", "

    def hit(self, hit: Hit, links: render.HitLinks, *, score: bool, hijri: bool) -> Markup:
        """A hit's ``<li>``, as on a page of ``bahth search --html`` but for its links."""
        html = render.hit_html(
            hit, links, score=score, hijri=hijri, lang=self.lang, label=self.label
        )
        return Markup(html)  # escaped by hit_html

    def variants(self, results: Results, off: str) -> Markup:
        """The other spellings searched, with ``off``, the link to the search without them."""
        return Markup(render.variants_html(results, self.lang, off))  # escaped by it

    def why(self, explanation: Explanation) -> Markup:
        """Why an article ranks where it does for the page's query (``explain=1``)."""
        return Markup(render.explanation_html(explanation, self.lang))  # escaped by it

    @staticmethod
    def bold(text: str) -> Markup:
        """Text from a query or an index, isolated and bold, for a message's field."""
        return Markup("<bdi><strong>{}</strong></bdi>").format(text)

    @staticmethod
    def day(date: object) -> Markup:
        """A date for a message's field: a ``<time>``, which the style sheet keeps left to
        right (a bare 2015-08-06 in Arabic shows as 06-08-2015)."""
        return Markup('<time datetime="{0}">{0}</time>').format(date)

    @staticmethod
    def isolated(text: str) -> Markup:
        """Text from a query or an index, isolated, for a message's field."""
        return Markup("<bdi>{}</bdi>").format(text)

    @staticmethod
    def linked(href: str, text: str) -> Markup:
        """A link around text (escaped unless Markup), for a message's field."""
        return Markup('<a href="{}">{}</a>').format(href, text)

    def totals(self, results: Results) -> Markup:
        return Markup(render.totals_html(results, self.lang))  # escaped by totals_html

    def context(self) -> dict[str, Any]:
        other = "en" if self.lang == "ar" else "ar"
        switched = with_parameter(self.url, LANG, other)
        return {
            "lang": self.lang,
            "dir": messages.DIRECTIONS[self.lang],
            "t": self.t,
            "label": self.label,
            "comma": self.comma,
            "listed": self.listed,
            "hit": self.hit,
            "why": self.why,
            "variants_note": self.variants,
            "totals": self.totals,
            "bold": self.bold,
            "linked": self.linked,
            "isolated": self.isolated,
            "day": self.day,
            "asked_language": self.asked,
            "home_url": "/" + (f"?{LANG}={self.asked}" if self.asked else ""),
            "other_language": {"lang": other, "name": messages.NAMES[other], "url": switched},
        }


def key_label(field: str, key: str) -> str:
    return key


def named(labels: Labels, field: str, key: str, *, lang: str) -> str:
    return labels.name(field, key, lang)
