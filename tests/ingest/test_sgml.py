"""read_sgml on TREC/SGML <DOC> dumps: Arabic Gigaword, TREC, ANT; broken and huge streams."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from search.article import Article, article_id
from search.ingest.dates import parse_date
from search.ingest.open import open_text
from search.ingest.records import Reject
from search.ingest.sgml import MAX_DOC_CHARS, RAW_LIMIT, read_sgml

Write = Callable[..., Path]
Split = Callable[..., tuple[list[Article], list[Reject], list[object]]]

DATA = Path(__file__).parents[2] / ".." / "shared" / "data"

GIGAWORD = """\
<DOC id="AFP_ARB_20251021.0001" type="story" >
<HEADLINE>
مباحثات أميركية روسية تمهيداً
لقمة ترامب وبوتين
</HEADLINE>
<DATELINE>
موسكو 21-10 (اف ب) -
</DATELINE>
<TEXT>
<P>
بحث وزيرا الخارجية الروسي سيرغي لافروف والأميركي ماركو روبيو هاتفياً، أمس،
الترتيبات الخاصة بالقمة المرتقبة في بودابست بين الرئيسين.
</P>
<P>
وأكد المتحدث باسم الكرملين، ديمتري بيسكوف، أن موسكو تتوقع أن توفر القمة
فرصة للتحرك نحو تسوية سلمية للصراع الأوكراني.
</P>
</TEXT>
</DOC>
<DOC id="XIN_ARB_20251021.0002" type="multi" >
<HEADLINE>
أسعار النفط ترتفع &quot;بحذر&quot; في آسيا
</HEADLINE>
<TEXT>
<P>
ارتفعت أسعار النفط في التعاملات الآسيوية &amp; الأوروبية صباح اليوم.
</P>
</TEXT>
</DOC>
<DOC id="AFP_ARB_20251021.0003" type="advis" >
<HEADLINE>
برنامج التغطية
</HEADLINE>
<TEXT>
تغطية القمة العربية في القاهرة.
مؤتمر صحفي لوزير الخارجية ظهراً.
</TEXT>
</DOC>
"""

ANT = """\
<DOC>
<DOCNO>JA-culture-1-20170120</DOCNO>
<URL>http://www.jawharafm.net/ar/article/مخرج-غدوة-حي/95/76326</URL> 
<SRC>Jawhara FM</SRC>
<CAT>culture</CAT>
<TITLE>مخرج "غدوة حيّ" :  الفيلم يجمع التشويق و المغامرة</TITLE>
<TIME>2017-01-20T21:43:00+01:00</TIME>
<AUTHOR>جوهرة أف أم</AUTHOR>
<ABSTRACT>
استضاف برنامج "سينما سينما" أبطال الفيلم التونسي الطويل "غدوة حيّ".
</ABSTRACT>
<TEXT>
استضاف برنامج "سينما سينما"   أبطال الفيلم التونسي الطويل "غدوة حيّ".   
هذه الاستضافة تأتي في إطار انطلاق عرض الفيلم على مستوى الجهات.
 و شارك في هذا الفيلم عدد من الممثلين.
</TEXT>
</DOC>
"""  # noqa: W291 (the trailing spaces are as ANT has them)


def read(path: Path) -> list[Article | Reject]:
    with open_text(path) as dump:
        return list(read_sgml(dump.lines(), path.name))


def lines_of(text: str) -> list[str]:
    """The lines of ``text`` as ``TextFile.lines()`` gives them: split at "\\n" only (not at
    U+2029, which ANT bodies have), line endings kept."""
    return list(io.StringIO(text, newline="\n"))


def read_text(text: str, file: str = "dump.sgml") -> list[Article | Reject]:
    return list(read_sgml(lines_of(text), file))


def read_one(text: str, file: str = "dump.sgml") -> Article:
    (article,) = read_text(text, file)
    assert isinstance(article, Article), article
    return article


def test_reads_a_gigaword_file(write: Write) -> None:
    first, second, third = read(write("afp_arb_202510.gz", GIGAWORD))
    assert first == Article(
        id="AFP_ARB_20251021.0001",
        title="مباحثات أميركية روسية تمهيداً لقمة ترامب وبوتين",
        body="موسكو 21-10 (اف ب) -\n"
        "بحث وزيرا الخارجية الروسي سيرغي لافروف والأميركي ماركو روبيو هاتفياً، أمس، "
        "الترتيبات الخاصة بالقمة المرتقبة في بودابست بين الرئيسين.\n"
        "وأكد المتحدث باسم الكرملين، ديمتري بيسكوف، أن موسكو تتوقع أن توفر القمة "
        "فرصة للتحرك نحو تسوية سلمية للصراع الأوكراني.",
        date=dt.date(2025, 10, 21),
        date_text="20251021",
        source="afp",
        category="story",
        origin="afp_arb_202510.gz:1",
    )
    assert isinstance(second, Article) and isinstance(third, Article)
    assert (second.id, second.source, second.category, second.origin) == (
        "XIN_ARB_20251021.0002", "xin", "multi", "afp_arb_202510.gz:20")  # fmt: skip
    assert second.title == 'أسعار النفط ترتفع "بحذر" في آسيا'
    assert second.body == "ارتفعت أسعار النفط في التعاملات الآسيوية & الأوروبية صباح اليوم."
    # without <P>, each line of the text is a paragraph
    assert third.category == "advis"
    assert third.body == "تغطية القمة العربية في القاهرة.\nمؤتمر صحفي لوزير الخارجية ظهراً."


def test_reads_an_ant_file(write: Write) -> None:
    (article,) = read(write("culture/JA-culture-1-20170120.txt", ANT))
    assert article == Article(
        id="JA-culture-1-20170120",
        title='مخرج "غدوة حيّ" : الفيلم يجمع التشويق و المغامرة',
        # the abstract is the text's first paragraph: it is not repeated
        body='استضاف برنامج "سينما سينما" أبطال الفيلم التونسي الطويل "غدوة حيّ".\n'
        "هذه الاستضافة تأتي في إطار انطلاق عرض الفيلم على مستوى الجهات.\n"
        "و شارك في هذا الفيلم عدد من الممثلين.",
        date=dt.date(2017, 1, 20),
        date_text="2017-01-20T21:43:00+01:00",
        source="Jawhara FM",
        category="culture",
        url="http://www.jawharafm.net/ar/article/مخرج-غدوة-حي/95/76326",
        origin="JA-culture-1-20170120.txt:1",
    )


def test_an_abstract_that_is_not_the_lead_comes_first() -> None:
    text = ANT.replace('أبطال الفيلم التونسي الطويل "غدوة حيّ".\n<', "ملخص آخر.\n<")
    text = text.replace("<TIME>2017-01-20T21:43:00+01:00", "<TIME>Thu, 28 Jun 2018 01:43:43 GMT")
    article = read_one(text)
    assert article.body.split("\n")[:2] == [
        'استضاف برنامج "سينما سينما" ملخص آخر.',
        'استضاف برنامج "سينما سينما" أبطال الفيلم التونسي الطويل "غدوة حيّ".',
    ]
    assert (article.date, article.date_text) == (
        dt.date(2018, 6, 28), "Thu, 28 Jun 2018 01:43:43 GMT")  # fmt: skip


def test_reads_a_trec_doc_with_fields_nested_in_body() -> None:
    doc = (
        "<DOC><DOCNO> AFP_ARB.20000515.0001 </DOCNO><DOCTYPE>NEWS STORY</DOCTYPE>"
        "<HEADER><DATE_TIME>2000-05-15 00:03:45</DATE_TIME></HEADER>"
        "<BODY><SLUG>قمة</SLUG><HEADLINE>افتتاح القمة الأفريقية</HEADLINE>"
        "<TEXT>افتتحت القمة أعمالها في الجزائر.</TEXT></BODY><TRAILER>اف ب</TRAILER></DOC>\n"
    )
    assert read_one(doc, "trec/AFP_ARB.2000.sgml") == Article(
        id="AFP_ARB.20000515.0001",
        title="افتتاح القمة الأفريقية",
        body="افتتحت القمة أعمالها في الجزائر.",
        date=dt.date(2000, 5, 15),
        date_text="2000-05-15 00:03:45",
        source="afp",
        category="NEWS STORY",
        origin="trec/AFP_ARB.2000.sgml:1",
    )


@pytest.mark.parametrize(
    ("doc", "title", "body"),
    [
        ("<doc><hl>عنوان</HL><Text>نص</tEXT></Doc>", "عنوان", "نص"),
        ("< DOC >\n< HEAD >عنوان</ HEAD >\n<TEXT >نص</TEXT\t>\n</DOC >", "عنوان", "نص"),
        ("<DOC><TITLE>أ &amp; ب &lt;ج&gt;</TITLE><TEXT>&#1575;لنص &#x644;</TEXT></DOC>",
         "أ & ب <ج>", "النص ل"),
        ("<DOC><TITLE>AT&T & شركاه</TITLE><TEXT>?a=1&copy=2 &notice &bogus;</TEXT></DOC>",
         "AT&T & شركاه", "?a=1&copy=2 &notice &bogus;"),
        ("<DOC><TITLE>كلمة<br>أخرى</TITLE><TEXT>نص<ANNOTATION>ملاحظة</ANNOTATION>آخر</TEXT>"
         "</DOC>", "كلمة أخرى", "نص ملاحظة آخر"),
        ("<DOC>\n<HEADLINE>عنوان\n<TEXT>\nنص بلا نهاية\n</DOC>", "عنوان", "نص بلا نهاية"),
        ("<DOC><TEXT>نص<DATE>2001-01-02</DATE></DOC>", "", "نص"),
        ("<DOC>\n<P>فقرة أولى\nتكملة</P>\n<P>فقرة ثانية</P>\n</DOC>", "",
         "فقرة أولى تكملة\nفقرة ثانية"),
        ("<DOC><HEADLINE>أول</HEADLINE><HEADLINE>ثان</HEADLINE><TEXT>أ</TEXT><TEXT>ب</TEXT>"
         "</DOC>", "أول", "أ\nب"),
        ("<DOC><TEXT>a < b و 3<4 <<نص>></TEXT></DOC>", "", "a < b و 3<4 <<نص>>"),
        # text straight in the DOC is its text when it has no <TEXT>, else it is not the article's
        ("<DOC>\n<DOCNO>X-1</DOCNO><TITLE>عنوان</TITLE>\nنص مباشرة\nفي سطرين\n</DOC>", "عنوان",
         "نص مباشرة\nفي سطرين"),
        ("<DOC><TEXT>نص</TEXT><TRAILER>اف ب</TRAILER>\nتذييل</DOC>", "", "نص"),
    ],
)  # fmt: skip
def test_tolerates_sgml_as_dumps_write_it(doc: str, title: str, body: str) -> None:
    article = read_one(doc)
    assert (article.title, article.body) == (title, body)


@pytest.mark.parametrize(
    ("attrs", "doc_id", "category"),
    [('id="A-1" type="story"', "A-1", "story"), ("ID='A-1' TYPE='advis'", "A-1", "advis"),
     ("id=A-1 type=other", "A-1", "other"), ('id = "A-1"  type = multi ', "A-1", "multi")],
)  # fmt: skip
def test_doc_attributes_in_any_quoting(attrs: str, doc_id: str, category: str) -> None:
    article = read_one(f"<DOC {attrs}><DOCNO>B-2</DOCNO><TEXT>نص</TEXT></DOC>")
    assert (article.id, article.category) == (doc_id, category)


def test_ids_dates_and_sources_fall_back_in_order() -> None:
    no_id = read_one("<DOC><URL> http://example.org/a </URL><TEXT>نص</TEXT></DOC>")
    assert no_id.id == article_id("http://example.org/a", "", "نص")
    assert no_id.url == "http://example.org/a"
    # an id whose 8 digits are no date (ANT also names files ddmmyyyy), or none
    for doc_id in ("JA-localNews-550-22022016", "AFP_ARB_20011340.0001", "92"):
        article = read_one(f"<DOC><DOCNO>{doc_id}</DOCNO><TEXT>نص</TEXT></DOC>")
        assert (article.date, article.date_text) == (None, None)
    # a date tag wins over the id; one that cannot be read leaves the date to the id's, and
    # is kept as published
    article = read_one("<DOC id=AFP_ARB_20010101.1><DATE>2001-01-02</DATE><P>نص</DOC>")
    assert (article.date, article.date_text) == (dt.date(2001, 1, 2), "2001-01-02")
    article = read_one("<DOC id=AFP_ARB_20010101.1><DATE>منذ ساعتين</DATE><P>نص</DOC>")
    assert (article.date, article.date_text) == (dt.date(2001, 1, 1), "منذ ساعتين")
    article = read_one("<DOC id=92><DATE>منذ ساعتين</DATE><P>نص</DOC>")
    assert (article.date, article.date_text) == (None, "منذ ساعتين")
    # the wire from the file name; none from an ANT id
    assert read_one("<DOC><DOCNO>7</DOCNO><P>نص</DOC>", "ar/hyt_arb_199601.gz").source == "hyt"
    assert read_one("<DOC><DOCNO>JA-sport-1-20170101</DOCNO><P>نص</DOC>").source is None
    assert read_one("<DOC><SOURCE>الحياة</SOURCE><CATEGORY>رياضة</CATEGORY><P>نص</DOC>",
                    "afp_arb_1.gz").source == "الحياة"  # fmt: skip


def test_broken_docs_are_rejected_and_reading_goes_on() -> None:
    text = (
        "<?xml version='1.0' encoding='utf-8'?>\n"  # 1: markup outside a DOC: ignored
        "نص شارد\n"  # 2
        "\n"  # 3
        "ونص شارد آخر\n"  # 4
        "<DOC id=A>\n"  # 5: not closed before the next
        "<TEXT>نص</TEXT>\n"  # 6
        "<DOC id=B><TEXT>نص</TEXT></DOC>\n"  # 7
        "<DOC id=C><DOCNO>C</DOCNO></DOC>\n"  # 8: empty
        "<DOC id=D><TEXT>نص\n"  # 9: the file ends inside it
    )
    assert read_text(text) == [
        Reject("dump.sgml", 2, "text outside any <DOC> (lines 2-4)", "نص شارد\nونص شارد آخر\n"),
        Reject("dump.sgml", 5, "<DOC> at line 5 is not closed before the next <DOC> at line 7",
               "<DOC id=A>\n<TEXT>نص</TEXT>\n"),
        Article("B", "", "نص", origin="dump.sgml:7"),
        Reject("dump.sgml", 8, "empty <DOC>: no title or text",
               "<DOC id=C><DOCNO>C</DOCNO></DOC>"),
        Reject("dump.sgml", 9, "<DOC> at line 9 is not closed: the file ends at line 9",
               "<DOC id=D><TEXT>نص\n"),
    ]  # fmt: skip


PARAGRAPHS = [
    "بحث وزيرا الخارجية الروسي والأميركي هاتفياً الترتيبات الخاصة بالقمة المرتقبة",
    "وقال نائب المتحدثة باسم الخارجية الأميركية إن الوزير شدّد على أهمية اللقاءات المقبلة",
    "وأعلنت السلطات الأوكرانية مقتل شخص وإصابة آخرين جراء هجمات بطائرات مسيرة",
]


def _good(n: int, upper: bool) -> list[str]:
    t = str.upper if upper else str.lower
    return [
        f'<{t("DOC")} id="AFP_ARB_2001{n % 12 + 1:02}15.{n:04}" type="story" >\n',
        f"<{t('HEADLINE')}>\nخبر رقم {n}\n</{t('HEADLINE')}>\n",
        f"<{t('TEXT')}>\n",
        *(f"<{t('P')}>\n{p}\n&amp; {n} &#1575;\n</{t('P')}>\n" for p in PARAGRAPHS),
        f"</{t('TEXT')}>\n",
        f"</{t('DOC')}>\n",
    ]


def _broken_dump(docs: int) -> tuple[list[str], list[tuple[str, int]], list[tuple[int, str]]]:
    """A dump with every kind of damage mixed in, and what reading it must give:
    (articles as (id, line), rejects as (line, reason start))."""
    lines: list[str] = []
    articles: list[tuple[str, int]] = []
    rejects: list[tuple[int, str]] = []
    for n in range(docs):
        at = len(lines) + 1
        kind = n % 8
        if kind in (0, 1):  # good, upper or lower case tags
            segment = _good(n, upper=kind == 0)
            articles.append((f"AFP_ARB_2001{n % 12 + 1:02}15.{n:04}", at))
        elif kind == 2:  # never closed: rejected when the next one starts
            segment = _good(n, upper=True)[:-1]
            rejects.append((at, f"<DOC> at line {at} is not closed before the next <DOC>"))
        elif kind == 3:  # <TEXT> never closed: still read
            segment = [f"<DOC><DOCNO>T-{n}</DOCNO>\n", "<TEXT>\n", PARAGRAPHS[0] + " & ج\n",
                       "<ANNOTATION>ملاحظة</ANNOTATION>\n", "</DOC>\n"]  # fmt: skip
            articles.append((f"T-{n}", at))
        elif kind == 4:  # stray text between DOCs, blank lines within it
            segment = ["\n", "نص خارج الوثائق\n", "\n", "سطر آخر خارجها\n", "  \n"]
            rejects.append((at + 1, f"text outside any <DOC> (lines {at + 1}-{at + 3})"))
        elif kind == 5:  # no title, no text
            segment = [f"<DOC id=E-{n}>\n", f"<DOCNO>E-{n}</DOCNO>\n", "<TEXT>\n", "</TEXT>\n",
                       "</DOC>\n"]  # fmt: skip
            rejects.append((at, "empty <DOC>: no title or text"))
        elif kind == 6:  # a one-line TREC doc, odd spacing and case
            segment = [f"<doc >< DOCNO >R-{n}</docno><Body><hl>عنوان</hl><br/>"
                       f"<text>{PARAGRAPHS[1]}</text></body></ doc>\n"]  # fmt: skip
            articles.append((f"R-{n}", at))
        else:  # two DOCs on one line, the first left open
            segment = [f"<DOC id=O-{n}><TEXT>نص<DOC id=P-{n}><TEXT>نص</TEXT></DOC>\n"]
            rejects.append((at, f"<DOC> at line {at} is not closed before the next <DOC>"))
            articles.append((f"P-{n}", at))
        lines += "".join(segment).splitlines(keepends=True)
    at = len(lines) + 1
    lines += "".join(_good(docs, upper=True)[:-2]).splitlines(keepends=True)  # ends inside a DOC
    rejects.append((at, f"<DOC> at line {at} is not closed: the file ends at line {len(lines)}"))
    return lines, articles, rejects


def test_a_damaged_dump_loses_nothing_but_its_broken_docs(write: Write, split: Split) -> None:
    lines, expected_articles, expected_rejects = _broken_dump(400)
    assert len(lines) > 2000
    path = write("afp_arb_200101.gz", "".join(lines))
    articles, rejects, notes = split(read(path))
    assert notes == []
    assert [(a.id, a.origin) for a in articles] == [
        (i, f"{path.name}:{line}") for i, line in expected_articles
    ]
    assert len(rejects) == len(expected_rejects)
    for reject, (line, reason) in zip(rejects, expected_rejects, strict=True):
        assert (reject.file, reject.line) == (path.name, line)
        assert reject.reason.startswith(reason), (reject, reason)
        assert reject.raw and len(reject.raw) <= RAW_LIMIT
    good = articles[0]
    assert good.title == "خبر رقم 0"
    assert good.body == "\n".join(f"{p} & 0 ا" for p in PARAGRAPHS)
    assert (good.date, good.source, good.category) == (dt.date(2001, 1, 15), "afp", "story")
    unclosed = next(a for a in articles if a.id.startswith("T-"))
    assert unclosed.body == f"{PARAGRAPHS[0]} & ج\nملاحظة"
    assert unclosed.source == "afp"  # from the file's name


def _stream(docs: int) -> Iterator[str]:
    for n in range(docs):
        yield f'<DOC id="XIN_ARB_2010{n % 12 + 1:02}01.{n}" type="story" >\n'
        yield f"<HEADLINE>خبر رقم {n}</HEADLINE>\n"
        yield "<TEXT>\n"
        yield "<P>\n"
        yield PARAGRAPHS[n % 3] + "\n"
        yield PARAGRAPHS[(n + 1) % 3] + "\n"
        yield "</P>\n"
        yield "</TEXT>\n"
        yield "</DOC>\n"


def _peak(records: Iterator[Article | Reject]) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = sum(1 for _ in records)
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_does_not_grow_with_the_number_of_docs() -> None:
    # Under tracemalloc the reader is several times slower, so 2,000 and 20,000 DOCs (180,000
    # lines) rather than more; a leak of even a few bytes per DOC shows at this ratio.
    _peak(read_sgml(_stream(100), "warm-up.sgml"))  # first-use allocations: caches, regexes
    small, small_peak = _peak(read_sgml(_stream(2_000), "xin.sgml"))
    large, large_peak = _peak(read_sgml(_stream(20_000), "xin.sgml"))
    assert (small, large) == (2_000, 20_000)
    # ten times the DOCs, the same peak (slack for the allocator)
    assert large_peak < small_peak * 1.5 + 16 * 1024, (small_peak, large_peak)


def test_a_doc_without_end_is_given_up_at_the_limit() -> None:
    line = " ".join(PARAGRAPHS) + "\n"

    def lines() -> Iterator[str]:
        yield from ("<DOC id=BIG>\n", "<TEXT>\n")
        for _ in range(MAX_DOC_CHARS // len(line) + 2):
            yield line
        yield from ("</TEXT></DOC>\n", "نص بعد النهاية\n", "<DOC id=NEXT><TEXT>نص</TEXT></DOC>\n")

    records = read_sgml(lines(), "big.sgml")
    first = next(records)
    assert isinstance(first, Reject)
    assert (first.file, first.line) == ("big.sgml", 1)
    assert first.reason == (
        "<DOC> at line 1 runs past the limit of 16 MiB a record (--max-record-mb) without "
        "</DOC>: skipped"
    )
    assert first.raw is not None and len(first.raw) == RAW_LIMIT
    # the rest of it is skipped up to its </DOC>; what follows is read as usual
    rest = list(records)
    assert [(type(r).__name__, r.line if isinstance(r, Reject) else r.id) for r in rest] == [
        ("Reject", MAX_DOC_CHARS // len(line) + 6),
        ("Article", "NEXT"),
    ]


def _ant_doc(record: dict[str, str | None]) -> str:
    """An ANT file rebuilt from its JSONL record, laid out as upstream writes them."""
    tags = [("DOCNO", "id"), ("URL", "url"), ("SRC", "source"), ("CAT", "category"),
            ("TITLE", "title"), ("TIME", "date"), ("AUTHOR", "author")]  # fmt: skip
    out = ["<DOC>\n"]
    out += [f"<{tag}>{record[key]}</{tag}>\n" for tag, key in tags if record.get(key) is not None]
    out.append(f"<ABSTRACT>\n{record['abstract'] or ''}\n</ABSTRACT>\n")
    out.append(f"<TEXT>\n{record['body'] or ''}\n</TEXT>\n</DOC>\n")
    return "".join(out)


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize(
    "dump",
    ["antcorpus_v1.1/ant_v1.1_jawharafm.jsonl.gz",
     "antcorpus_multisource_v2.1/ant_v2.1_multisource.jsonl.gz"],
)  # fmt: skip
def test_ant_records_rebuilt_as_sgml_read_back(dump: str) -> None:
    """Every record of the ANT corpora, rebuilt as the <DOC> it was taken from and read back
    from one stream: the same id, title, body, date, source, category and url."""
    path = DATA / dump
    if not path.exists():
        pytest.skip(f"{dump} is not in ../shared/data")
    with gzip.open(path, "rt", encoding="utf-8") as raw:
        records = [json.loads(line) for line in raw]
    starts: list[int] = []  # the line of each record's <DOC>
    stream: list[str] = []
    for record in records:
        starts.append(len(stream) + 1)
        stream += lines_of(_ant_doc(record))
    articles = list(read_sgml(stream, "ant.sgml"))
    assert len(articles) == len(records) > 10_000
    for record, start, article in zip(records, starts, articles, strict=True):
        assert isinstance(article, Article), (record["id"], article)
        paragraphs = [" ".join(p.split()) for p in (record["body"] or "").split("\n")]
        paragraphs = [p for p in paragraphs if p]
        abstract = " ".join((record["abstract"] or "").split())
        if abstract and not " ".join(paragraphs).startswith(abstract):
            paragraphs.insert(0, abstract)
        assert (article.id, article.title, article.body, article.origin) == (
            record["id"], " ".join(record["title"].split()), "\n".join(paragraphs),
            f"ant.sgml:{start}")  # fmt: skip
        assert (article.date_text, article.date) == (record["date"], parse_date(record["date"]))
        assert (article.source, article.category, article.url) == (
            record["source"], record["category"], record["url"])  # fmt: skip
