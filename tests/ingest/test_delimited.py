"""read_delimited on real CSV and TSV files: quoting, mapping, big fields, rejects by line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from search.article import Article, article_id
from search.ingest.delimited import read_delimited
from search.ingest.fields import FieldMap
from search.ingest.open import open_text
from search.ingest.records import Reject

Write = Callable[..., Path]


def read(
    path: Path, fields: Mapping[str, str] | None = None, delimiter: str = ","
) -> list[Article | Reject]:
    with open_text(path) as dump:
        names = FieldMap.of(fields)
        return list(read_delimited(dump.lines(), path.name, names, delimiter=delimiter))


CSV = (
    "id,title,body,date,source,category,url,keywords\r\n"
    '17,  عنوان أول ,"فقرة أولى، فيها فاصلة\r\nوفقرة ثانية فيها ""اقتباس""",21/01/2017,'
    'jawharafm,sport,https://example.org/1,"تونس، كرة القدم"\r\n'
    "\r\n"
    ",عنوان ثان,نص,,,,,\r\n"
)


@pytest.mark.parametrize("name", ["news.csv", "news.csv.gz", "news.csv.xz"])
def test_reads_csv(write: Write, name: str) -> None:
    assert read(write(name, CSV)) == [
        Article(
            id="17",
            title="عنوان أول",
            body='فقرة أولى، فيها فاصلة\r\nوفقرة ثانية فيها "اقتباس"',
            date=dt.date(2017, 1, 21),
            date_text="21/01/2017",
            source="jawharafm",
            category="sport",
            url="https://example.org/1",
            keywords=("تونس", "كرة القدم"),
            origin=f"{name}:2",
        ),
        Article(
            id=article_id(None, "عنوان ثان", "نص"),
            title="عنوان ثان",
            body="نص",
            origin=f"{name}:5",  # the quoted body spans lines 2-3, line 4 is blank
        ),
    ]


def test_reads_tsv(write: Write) -> None:
    tsv = "title\tbody\tdate\nعنوان\tنص، مع فاصلة\t2015-07-21 02:51:32\n"
    (article,) = read(write("news.tsv", tsv), delimiter="\t")
    assert isinstance(article, Article)
    assert (article.title, article.body, article.date) == (
        "عنوان", "نص، مع فاصلة", dt.date(2015, 7, 21))  # fmt: skip


def test_columns_in_any_order_with_mapping_and_extras(write: Write) -> None:
    text = "content,extra,headline\nنص,x,عنوان\n"
    (article,) = read(write("n.csv", text), {"title": "headline", "body": "content"})
    assert isinstance(article, Article) and (article.title, article.body) == ("عنوان", "نص")


def test_header_cells_are_trimmed(write: Write) -> None:
    (article,) = read(write("n.csv", " title , body \nعنوان,نص\n"))
    assert isinstance(article, Article) and article.body == "نص"


def test_a_field_larger_than_the_csv_default_limit(write: Write) -> None:
    body = "كلمة " * 1_000_000  # 10 MB of UTF-8, far past csv's 128 KiB default
    (article,) = read(write("big.csv.gz", f'title,body\nطويل,"{body}"\n'))
    assert isinstance(article, Article) and article.body == body.strip()


def test_wrong_number_of_columns(write: Write) -> None:
    text = "title,body\nأ,ب\nعنوان,نص,زائد\nوحيد\nد,هـ\n"
    records = read(write("n.csv", text))
    assert records[1:3] == [
        Reject("n.csv", 3, "3 columns where the header has 2", "عنوان,نص,زائد"),
        Reject("n.csv", 4, "1 column where the header has 2", "وحيد"),
    ]
    assert [r.origin for r in records if isinstance(r, Article)] == ["n.csv:2", "n.csv:5"]


def test_an_unbalanced_quote_says_so(write: Write) -> None:
    text = 'title,body\n"عنوان,نص\nأ,ب\n'
    (reject,) = read(write("n.csv", text))
    assert reject == Reject(
        "n.csv",
        2,
        "1 column where the header has 2 (a record spanning lines 2-3: an unbalanced quote?)",
        '"عنوان,نص\nأ,ب',
    )


def test_a_carriage_return_in_an_unquoted_field(write: Write) -> None:
    records = read(write("n.csv", "title,body\nعنوان,نص\rمكسور\nأ,ب\n"))
    assert records[0] == Reject(
        "n.csv", 2, "a carriage return (\\r) inside a field that is not quoted", "عنوان,نص\rمكسور"
    )
    assert isinstance(records[1], Article) and records[1].origin == "n.csv:3"


def test_empty_title_and_body(write: Write) -> None:
    (reject,) = read(write("n.csv", "id,title,body\n7, ,\n"))
    assert reject == Reject("n.csv", 2, "empty title and body", "7, ,")


def test_a_header_without_text_columns_is_one_reject(write: Write) -> None:
    records = read(write("n.csv", "onwan,matn\nعنوان,نص\nعنوان,نص\n"))
    assert records == [
        Reject(
            "n.csv",
            1,
            "the header has no column for the title (title, headline, heading, head, hl, "
            "العنوان) or the body (body, content, text, article, maintext, main_text, …); it "
            "has: onwan, matn. Name the dump's columns: --field title=NAME --field body=NAME",
            "onwan,matn",
        )
    ]


def test_duplicate_ids_are_passed_through(write: Write) -> None:
    records = read(write("n.csv", "id,title\n5,أول\n5,ثان\n"))
    pairs = [(a.id, a.title) for a in records if isinstance(a, Article)]
    assert pairs == [("5", "أول"), ("5", "ثان")]


def test_only_a_header(write: Write) -> None:
    assert read(write("n.csv", "title,body\n")) == []
