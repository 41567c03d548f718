"""``bahth serve``'s web app (Starlette): search pages and a JSON API over one index.

    /                  the search box, the query language, what the index holds
    /search?q=…        a page of results; the options of bahth search as parameters (params.py)
    /article/ID?q=…    one article, the query's words marked through the whole text
    /api/search?q=…    the document of bahth search --json, for the same options
    /api/article/ID    the document of bahth show --json

``score=1`` (pages) and ``hijri=1`` (pages and API: each date with its Hijri date, the JSON's
``date_hijri``) change what is shown, not what is searched; the page links keep them.

Read-only: the app only searches. Routes are plain functions, which Starlette runs in a thread
pool, beside one shared ``Searcher`` (see ``live``).

Dumps are untrusted text that may hold HTML, and so is what a user types: templates escape
every value (Jinja2 autoescaping); highlighted text goes through ``render.mark_html``, which
escapes it before adding its ``<mark>``s; a dump's url becomes a link only when ``render.link``
says it is http(s). Every response forbids scripts (Content-Security-Policy), errors (404,
405 with its ``Allow``, 500) included, and no request path reaches the file system: the
templates and the style sheet are read from the package by fixed names, and articles from the
index by id. What a request sends is echoed cut (``params.echoed``) once past the server's
limits, and ``LoopbackHosts`` keeps other sites' pages from reaching a server bound to this
computer through their own names (DNS rebinding).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import math
from collections.abc import AsyncIterator, Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import render
from ..errors import BahthError, QueryError
from ..options import SearchOptions, shown
from ..results import Hit, Results
from ..searcher import Searcher
from . import params
from .guards import SECURITY_HEADERS, SecurityHeaders
from .live import LiveSearcher

SCORE = "score"  # a parameter of the pages only: show each hit's score
HIJRI = "hijri"  # pages and API: each date with its Hijri date too (bahth search --hijri)
_YES = ("1", "on", "true", "yes")
PAGES_AROUND = 2  # page links on each side of the current one


def _marked(text: str, spans: list[tuple[int, int]]) -> Markup:
    return Markup(render.mark_html(text, spans))  # mark_html escaped the text


def _paragraphs(text: str, spans: list[tuple[int, int]]) -> list[Markup]:
    """``text`` marked, one item per non-blank line (a mark never spans a line: it is a word)."""
    marked = render.mark_html(text, spans)
    return [Markup(line.strip()) for line in marked.split("\n") if line.strip()]


def _hit(hit: Hit, links: render.HitLinks, *, score: bool, hijri: bool) -> Markup:
    """A hit's ``<li>``, the same as on a page of ``bahth search --html`` but for its links."""
    return Markup(render.hit_html(hit, links, score=score, hijri=hijri))  # escaped by hit_html


def hit_links(query: str, options: SearchOptions, extra: dict[str, str | None]) -> render.HitLinks:
    """A page of results' links from its hits: to an article's page, marking the search's
    words, and to the same search in one source."""

    def source(name: str) -> str:
        return search_url(query, dataclasses.replace(options, source=name, page=1), **extra)

    return render.HitLinks(
        article=lambda article_id: article_url(article_id, query, options, **extra), source=source
    )


def article_path(article_id: str) -> str:
    """The path of an article's page: any id (slashes, spaces, ``?``) as one segment."""
    segment = quote(article_id, safe="")
    return "/article/" + (segment.replace(".", "%2E") if segment in (".", "..") else segment)


def article_url(article_id: str, query: str, options: SearchOptions, **extra: str | None) -> str:
    """The article's page, marking the words of the search that led to it."""
    return article_path(article_id) + "?" + params.encode(query, options, **extra)


def error_at(query: str, error: QueryError) -> tuple[str, str, str] | None:
    """``query`` cut around what a parser's error points at (its ``position``: a parenthesis,
    or a word up to the next space): before, it, after.

    >>> error_at('وزير "الخارجية', QueryError("the quote is never closed", position=6))
    ('وزير ', '"الخارجية', '')
    >>> error_at("(روسيا", QueryError("'(' is never closed", position=1))
    ('', '(', 'روسيا')
    """
    position = error.position
    if position is None or not 1 <= position <= len(query):
        return None
    start = position - 1
    end = start + 1
    while query[start] not in "()" and end < len(query) and not query[end].isspace():
        end += 1  # a word, a field or an operator, to the next space
    return query[:start], query[start:end], query[end:]


class _Pages:
    """The pages of one result set, and their links."""

    def __init__(self, results: Results, query: str, options: SearchOptions, extra: dict[str, Any]):
        self.query, self.options, self.extra = query, options, extra
        self.current = results.page
        # Collapsed, pages count stories.
        listed = results.total if results.stories is None else results.stories
        self.last = max(1, math.ceil(min(listed, params.MAX_DEPTH) / results.limit))
        self.first_shown = (results.page - 1) * results.limit + 1
        self.last_shown = self.first_shown + len(results.hits) - 1

    def url(self, page: int) -> str:
        return search_url(self.query, dataclasses.replace(self.options, page=page), **self.extra)

    def numbers(self) -> list[int | None]:
        return page_numbers(self.current, self.last)


def page_numbers(current: int, last: int) -> list[int | None]:
    """The page numbers to link, None where some are left out.

    >>> page_numbers(6, 20)
    [1, None, 4, 5, 6, 7, 8, None, 20]
    >>> page_numbers(2, 3), page_numbers(9, 3)
    ([1, 2, 3], [1, None, 3])
    """
    around = range(current - PAGES_AROUND, current + PAGES_AROUND + 1)
    shown = sorted({1, last, *(n for n in around if 1 <= n <= last)})
    out: list[int | None] = []
    for number in shown:
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out


def search_url(query: str, options: SearchOptions, **extra: str | None) -> str:
    return "/search?" + params.encode(query, options, **extra)


def _shown(request: Request, name: str) -> bool:
    """Whether a display parameter (``score``, ``hijri``) is on in the request's URL."""
    return request.query_params.get(name, "") in _YES


def _form(
    query: str, options: SearchOptions, show_score: bool, show_hijri: bool = False
) -> dict[str, Any]:
    """What the search form shows: the query and options being searched."""
    return {
        **dataclasses.asdict(options),
        "q": query,
        "match": options.effective_match,
        "score": show_score,
        "hijri": show_hijri,
        "invalid": None,  # the field of an option in error (error pages)
        "filtered": bool(
            options.since or options.until or options.source or options.category or options.exact
        ),
    }


def _raw_form(request: Request) -> dict[str, Any]:
    """What the search form shows when the parameters could not be read: what was sent."""
    sent = request.query_params
    form = {p.field: params.echoed(sent.get(p.name, "")) for p in params.parameters()}
    return {
        **form,
        "q": params.echoed(sent.get(params.QUERY, "")),
        SCORE: params.echoed(sent.get(SCORE, "")),
        HIJRI: params.echoed(sent.get(HIJRI, "")),
        "invalid": None,
        "filtered": True,
    }


def create_app(
    index: Path,
    *,
    refresh_interval: float = 1.0,
    open_searcher: Callable[[Path], Searcher] = Searcher,
) -> Starlette:
    """The app serving the index at ``index``, opened now (``IndexNotFound`` if there is none)
    and refreshed at most every ``refresh_interval`` seconds when a new commit or generation
    is live. The app closes the index when it shuts down (its lifespan)."""
    live = LiveSearcher(index, interval=refresh_interval, open_searcher=open_searcher)
    templates = jinja2.Environment(
        loader=jinja2.PackageLoader("search.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    css = resources.files("search.web").joinpath("static", "bahth.css").read_bytes()
    templates.globals.update(
        marked=_marked,
        hit=_hit,
        hit_links=hit_links,
        search_url=search_url,
        article_path=article_path,
        article_url=article_url,
        link=render.link,
        hijri_date=render.hijri_date,
        changed=dataclasses.replace,  # options for a link to another page, order or filter
        css_version=hashlib.sha256(css).hexdigest()[:12],
        max_query_chars=params.MAX_QUERY_CHARS,
        max_limit=params.MAX_LIMIT,
    )

    def page(name: str, status: int = 200, **context: Any) -> Response:
        try:
            stats = live.stats()
        except BahthError:
            stats = None
        html = templates.get_template(name).render(stats=stats, **context)
        return Response(html, status, media_type="text/html; charset=utf-8")

    def error_page(
        status: int, title: str, error: BahthError | None = None, **context: Any
    ) -> Response:
        form = context.pop("form", None) or _form("", SearchOptions(), False)
        message = error.message if error else None
        at = None
        if isinstance(error, QueryError):
            at = error_at(context.get("query", ""), error)
            # In the page's terms: the option is the form's field (and the URL's parameter)
            # of that name, marked in the form, which opens to show it.
            field = params.parameter(error.option)
            message = error.worded(params.parameter)
            if field is not None:
                form = {**form, "invalid": field, "filtered": True}
        # The command's pointer to its --help is, on this page, the help below.
        fix = error.fix if error and error.fix != QueryError.default_fix else None
        return page(
            "error.html", status, title=title, error=error, message=message, at=at, fix=fix,
            form=form, **context,
        )  # fmt: skip

    def json_error(status: int, error: BahthError | str) -> Response:
        message, fix = (error.message, error.fix) if isinstance(error, BahthError) else (error, "")
        document: dict[str, Any] = {"status": status, "message": message, "fix": fix}
        if isinstance(error, QueryError):
            # In the API's terms: the parameter at fault, or where in the query.
            field = params.parameter(error.option)
            document["message"] = error.worded(params.parameter)
            if field is not None:
                document["parameter"] = field
            if error.position is not None:
                document["position"] = error.position
        return _json(render.json_text({"error": document}), status)

    def home(request: Request) -> Response:
        form = _form("", SearchOptions(), False)
        return page("home.html", form=form)

    def search_page(request: Request) -> Response:
        show_score = _shown(request, SCORE)
        show_hijri = _shown(request, HIJRI)
        try:
            query, options = params.parse(request.query_params)
        except QueryError as error:
            return error_page(400, "خطأ في البحث", error, form=_raw_form(request))
        form = _form(query, options, show_score, show_hijri)
        if not query.strip():
            return page("home.html", form=form)
        try:
            # The page always shows the facets, as filters to click (2 ms on tantivy).
            results = live.get().search(query, **{**options.arguments(), "facets": True})
        except QueryError as error:
            return error_page(400, "خطأ في صيغة البحث", error, form=form, query=query)
        except BahthError as error:
            return error_page(503, "الفهرس غير متاح", error, form=form)
        extra = {SCORE: "1" if show_score else None, HIJRI: "1" if show_hijri else None}
        return page(
            "results.html",
            form=form,
            query=query,
            options=options,
            extra=extra,
            results=results,
            pages=_Pages(results, query, options, extra),
            summary=render.summary(results),
            show_score=show_score,
            show_hijri=show_hijri,
        )

    def article_page(request: Request) -> Response:
        try:
            query, options = params.parse(request.query_params)
        except QueryError:
            query, options = "", SearchOptions()  # the article, unmarked
        show_hijri = _shown(request, HIJRI)
        # The options stay shut; a search from here keeps showing Hijri dates.
        form = {**_form(query, options, False, show_hijri), "filtered": False}
        try:
            searcher = live.get()
            article = searcher.get(request.path_params["article_id"])
            spans: list[list[tuple[int, int]]] = [[], []]
            if article is not None and query:
                with contextlib.suppress(QueryError):  # a query mistyped in the URL: no marks
                    spans = searcher.highlights(
                        query, article.title, article.body, stemming=not options.exact
                    )
        except BahthError as error:
            return error_page(503, "الفهرس غير متاح", error, form=form)
        if article is None:
            return error_page(404, "لا مقال بهذا المعرّف", form=form)
        show_score = request.query_params.get(SCORE)
        shown = {SCORE: show_score, HIJRI: "1" if show_hijri else None}
        back = search_url(query, options, **shown) if query else None
        return page(
            "article.html",
            form=form,
            article=article,
            title=_marked(article.title, spans[0]),
            paragraphs=_paragraphs(article.body, spans[1]),
            back=back,
            show_hijri=show_hijri,
        )

    def api_search(request: Request) -> Response:
        taken_names = params.names() | {HIJRI}
        unknown = sorted(set(request.query_params) - taken_names)
        if unknown:
            taken = ", ".join(sorted(taken_names))
            named = params.echoed(", ".join(unknown), params.ECHOED)
            return json_error(400, f"unknown parameter {named}; taken: {taken}")
        try:
            query, options = params.parse(request.query_params)
            results = live.get().search(query, **options.arguments())
        except QueryError as error:
            return json_error(400, error)
        except BahthError as error:
            return json_error(503, error)
        return _json(render.to_json(results, hijri=_shown(request, HIJRI)) + "\n")

    def api_article(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        try:
            searcher = live.get()
            article = searcher.get(article_id)
            copies = searcher.copies(article_id)
        except BahthError as error:
            return json_error(503, error)
        if article is None:
            return json_error(404, f"no article with id {shown(article_id)}")
        document = render.article_dict(article, copies, hijri=_shown(request, HIJRI))
        return _json(render.json_text(document) + "\n")

    def style(request: Request) -> Response:
        return Response(
            css, media_type="text/css", headers={"cache-control": "public, max-age=31536000"}
        )

    def http_error(request: Request, exc: Exception) -> Response:
        """404, 405 (with the methods it takes, in ``Allow``) and the other HTTP errors."""
        assert isinstance(exc, HTTPException)
        status, headers = exc.status_code, exc.headers or {}
        if request.url.path.startswith("/api/"):
            messages = {
                404: "no such page",
                405: f"method not allowed: {headers.get('Allow')} only",
            }
            response = json_error(status, messages.get(status, exc.detail.lower()))
        else:
            response = error_page(status, "الصفحة غير موجودة" if status == 404 else "طلب غير مقبول")
        response.headers.update(headers)
        return response

    def server_error(request: Request, exc: Exception) -> Response:
        """A 500: a bug. Starlette sends it from outside the middleware, so it carries the
        security headers itself; the exception goes on to the server's log."""
        try:
            if request.url.path.startswith("/api/"):
                response = json_error(500, "the server failed; the error is in its log")
            else:
                response = error_page(500, "خطأ في الخادم")
        except Exception:  # the page itself failed: the plainest answer
            response = Response("Internal Server Error", 500, media_type="text/plain")
        response.headers.update(SECURITY_HEADERS)
        return response

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        live.close()

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/search", search_page),
            Route("/article/{article_id:path}", article_page),
            Route("/api/search", api_search),
            Route("/api/article/{article_id:path}", api_article),
            Route("/static/bahth.css", style),
        ],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.live = live
    return app


def _json(text: str, status: int = 200) -> Response:
    return Response(text, status, media_type="application/json")
