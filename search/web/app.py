"""``bahth serve``'s web app (Starlette): search pages and a JSON API over one index.

    /                  the search box, the query language, what the index holds
    /search?q=…        a page of results; the options of bahth search as parameters (params.py)
    /article/ID?q=…    one article, the query's words marked through the whole text
    /api/search?q=…    the document of bahth search --json, for the same options
    /api/article/ID    the document of bahth show --json

``score=1`` (pages) and ``hijri=1`` (pages and API: each date with its Hijri date, the JSON's
``date_hijri``) change what is shown, not what is searched; the page links keep them, and
``lang=en`` or ``lang=ar`` (pages and API: the API's ``source_name`` and ``category_name``
in that language, Arabic by default): a page is in the language it asks for, else in the one the
browser prefers (``Accept-Language``), else in Arabic; every string it shows comes from the
table of ``search.messages``, and sources and categories show by their names
(``search.labels``).

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
import functools
import hashlib
from collections.abc import AsyncIterator, Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import error_texts, messages, render
from ..errors import BahthError, QueryError
from ..options import SearchOptions, shown
from ..searcher import Searcher
from . import asides, params
from .guards import SECURITY_HEADERS, SecurityHeaders
from .links import Pages, article_path, article_url, hit_links, search_url
from .live import LiveSearcher
from .wording import LANG, Wording, key_label, named

SCORE = "score"  # a parameter of the pages only: show each hit's score
HIJRI = "hijri"  # pages and API: each date with its Hijri date too (bahth search --hijri)
TIMELINE = "timeline"  # API: the matches a month, as bahth search --json --timeline gives
SWITCHED_URL = 4000  # characters of a URL the language switch keeps (500 Arabic letters: 3,000)
FACETS_SHOWN = 12  # sources or categories listed; the others behind "N more"
_YES = ("1", "on", "true", "yes")


def _marked(text: str, spans: list[tuple[int, int]]) -> Markup:
    return Markup(render.mark_html(text, spans))  # mark_html escaped the text


def _paragraphs(text: str, spans: list[tuple[int, int]]) -> list[Markup]:
    """``text`` marked, one item per non-blank line (a mark never spans a line: it is a word)."""
    marked = render.mark_html(text, spans)
    return [Markup(line.strip()) for line in marked.split("\n") if line.strip()]


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


def _shown(request: Request, name: str) -> bool:
    """Whether a display parameter (``score``, ``hijri``) is on in the request's URL."""
    return request.query_params.get(name, "") in _YES


def _extra(
    request: Request, score: bool | None = None, hijri: bool | None = None
) -> dict[str, Any]:
    """The display parameters a page's links keep: ``score``, ``hijri`` and ``lang``."""
    score = _shown(request, SCORE) if score is None else score
    hijri = _shown(request, HIJRI) if hijri is None else hijri
    asked = request.query_params.get(LANG)
    return {
        SCORE: "1" if score else None,
        HIJRI: "1" if hijri else None,
        LANG: asked if asked in messages.LANGUAGES else None,
    }


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
        hit_links=hit_links,
        search_url=search_url,
        article_path=article_path,
        article_url=article_url,
        link=render.link,
        hijri_date=render.hijri_date,
        timeline=render.timeline,  # the bars of _timeline.html
        timeline_svg=render.timeline_svg,
        changed=dataclasses.replace,  # options for a link to another page, order or filter
        css_version=hashlib.sha256(css).hexdigest()[:12],
        max_query_chars=params.MAX_QUERY_CHARS,
        max_limit=params.MAX_LIMIT,
    )

    def wording(request: Request) -> Wording:
        asked = request.query_params.get(LANG)
        lang = messages.language(asked, request.headers.get("accept-language"))
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if len(path) > SWITCHED_URL:
            path = "/"  # a request past the server's limits is not sent back whole
        try:
            label: render.Label = functools.partial(named, live.get().labels, lang=lang)
        except BahthError:
            label = key_label  # the page says the index is not available
        return Wording(lang, asked if asked == lang else None, label, path)

    def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        try:
            stats = live.stats()
        except BahthError:
            stats = None
        words = wording(request)
        html = templates.get_template(name).render(
            stats=stats, facets_shown=FACETS_SHOWN, **words.context(), **context
        )
        headers = {"content-language": words.lang, "vary": "Accept-Language"}
        return Response(html, status, headers, media_type="text/html; charset=utf-8")

    def error_page(
        request: Request,
        status: int,
        title: str,
        error: BahthError | None = None,
        **context: Any,
    ) -> Response:
        """An error page titled by the message ``title`` (a key of ``search.messages``)."""
        form = context.pop("form", None) or _form("", SearchOptions(), False)
        lang = wording(request).lang
        message = fix = at = None
        if error is not None:
            # In the page's language and terms: an option is called as the URL's parameter
            # (English) or by its label on the form (Arabic).
            name_of = params.parameter if lang == "en" else error_texts.option_label
            message, fix = error.text(lang, name_of)
            # The command's pointer to its --help is, on this page, the help below.
            fix = fix if error.fix != QueryError.default_fix else None
        if isinstance(error, QueryError):
            at = error_at(context.get("query", ""), error)
            # The option's field of the form, marked, which opens to show it.
            field = params.parameter(error.option)
            if field is not None:
                form = {**form, "invalid": field, "filtered": True}
        title = messages.message(title, lang)
        return page(
            request, "error.html", status, title=title, error=error, message=message, at=at,
            fix=fix, form=form, **context,
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
        return page(request, "home.html", form=form)

    def search_page(request: Request) -> Response:
        show_score = _shown(request, SCORE)
        show_hijri = _shown(request, HIJRI)
        try:
            query, options = params.parse(request.query_params)
        except QueryError as error:
            return error_page(request, 400, "error_request", error, form=_raw_form(request))
        form = _form(query, options, show_score, show_hijri)
        if not query.strip():
            return page(request, "home.html", form=form)
        try:
            # The page always shows the facets, as filters to click (2 ms on tantivy).
            results = live.get().search(query, **{**options.arguments(), "facets": True})
        except QueryError as error:
            return error_page(request, 400, "error_query", error, form=form, query=query)
        except BahthError as error:
            return error_page(request, 503, "error_index", error, form=form)
        extra = _extra(request, show_score, show_hijri)
        # The query's own filters (source:, since: …) as the form's: chips, links within them.
        query, options = params.lift(query, options)
        # The filters in force show as chips above the hits: the options stay shut, which on a
        # phone would fill the first screen.
        form = {**_form(query, options, show_score, show_hijri), "filtered": False}
        return page(
            request,
            "results.html",
            form=form,
            query=query,
            options=options,
            extra=extra,
            results=results,
            pages=Pages(results, query, options, extra),
            unfiltered=asides.unfiltered(
                live.get(), results, query, options, extra, wording(request)
            ),
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
            copies: list[dict[str, Any]] = []
            spans: list[list[tuple[int, int]]] = [[], []]
            explanation = None
            if article is not None and query:
                with contextlib.suppress(QueryError):  # a query mistyped in the URL: no marks
                    spans = searcher.highlights(
                        query, article.title, article.body, stemming=not options.exact
                    )
                    if options.explain:
                        explanation = searcher.explain(
                            query, article.id, stemming=not options.exact
                        )
            if article is not None:
                copies = asides.copies(searcher, article.id, query, options, _extra(request))
        except BahthError as error:
            return error_page(request, 503, "error_index", error, form=form)
        if article is None:
            return error_page(request, 404, "error_article", form=form)
        shown = _extra(request)
        back = search_url(query, options, **shown) if query else None
        return page(
            request,
            "article.html",
            form=form,
            article=article,
            title=_marked(article.title, spans[0]),
            paragraphs=_paragraphs(article.body, spans[1]),
            copies=copies,
            explanation=explanation,
            back=back,
            show_hijri=show_hijri,
        )

    def api_search(request: Request) -> Response:
        taken_names = params.names() | {HIJRI, LANG, TIMELINE}
        unknown = sorted(set(request.query_params) - taken_names)
        if unknown:
            taken = ", ".join(sorted(taken_names))
            named = params.echoed(", ".join(unknown), params.ECHOED)
            return json_error(400, f"unknown parameter {named}; taken: {taken}")
        try:
            query, options = params.parse(request.query_params)
            searcher = live.get()
            # The timeline is drawn from the facets' months, as --timeline's.
            series = _shown(request, TIMELINE)
            arguments = {**options.arguments(), "facets": options.facets or series}
            results = searcher.search(query, **arguments)
        except QueryError as error:
            return json_error(400, error)
        except BahthError as error:
            return json_error(503, error)
        line = None
        if series:
            results, line = render.timeline_of(
                results, options.since, options.until, facets=options.facets
            )
        lang = messages.language(request.query_params.get(LANG))
        document = render.to_json(
            results,
            hijri=_shown(request, HIJRI),
            timeline=line,
            labels=searcher.labels,
            lang=lang,
        )
        return _json(document + "\n")

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
        document = render.article_dict(
            article,
            copies,
            hijri=_shown(request, HIJRI),
            labels=searcher.labels,
            lang=messages.language(request.query_params.get(LANG)),
        )
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
            title = "error_not_found" if status == 404 else "error_method"
            response = error_page(request, status, title)
        response.headers.update(headers)
        return response

    def server_error(request: Request, exc: Exception) -> Response:
        """A 500: a bug. Starlette sends it from outside the middleware, so it carries the
        security headers itself; the exception goes on to the server's log."""
        try:
            if request.url.path.startswith("/api/"):
                response = json_error(500, "the server failed; the error is in its log")
            else:
                response = error_page(request, 500, "error_server")
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
