"""Reading an article: HTML or text by content, its charset, its metadata, and refusals."""

from __future__ import annotations

import json

import pytest

from bot.drafting import DraftError, read_article
from bot.drafting.article import is_furniture
from bot.drafting.decoding import MAX_BYTES

BODY = (
    "<p>Simon Coveney, Ireland's foreign minister, met Japanese Foreign Minister Yoko Kamikawa "
    "in Dublin on Thursday to discuss trade and the war in Ukraine.</p>"
    '<p>"We agreed to deepen our trade ties," Coveney told reporters after the meeting, '
    "which lasted more than two hours at the ministry.</p>"
    "<p>According to the Department of Foreign Affairs, the two ministers also discussed "
    "shipping in the Red Sea and the situation in Gaza.</p>"
)


def page(head: str = "", body: str = BODY, around: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World news</a></nav>"
        f"<article><h1>Ireland and Japan agree on trade</h1>{body}</article>{around}"
        f"</body></html>"
    ).encode()


def test_og_metadata_wins_and_keeps_the_pages_offset() -> None:
    head = (
        "<title>Something else | The Daily Example</title>"
        "<meta property='og:title' content='Ireland and Japan agree on trade'>"
        "<meta property='og:site_name' content='The Daily Example'>"
        "<meta property='og:url' content='https://example.com/og'>"
        "<link rel='canonical' href='/news/ireland-japan'>"
        "<meta property='article:published_time' content='2024-05-02T09:15:00+02:00'>"
    )
    article = read_article(page(head), url="https://example.com/fetched?x=1")
    assert article.title == "Ireland and Japan agree on trade"
    assert article.outlet == "The Daily Example"
    assert article.url == "https://example.com/news/ireland-japan"
    assert article.published == "2024-05-02T09:15:00+02:00"
    assert "Simon Coveney, Ireland's foreign minister" in article.text
    assert "World news" not in article.text


def test_title_without_the_site_suffix_and_outlet_from_json_ld() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "ignored"},
            {
                "@type": "NewsArticle",
                "datePublished": "2024-05-02",
                "publisher": {"@type": "Organization", "name": "Example Wire"},
            },
        ],
    }
    head = (
        "<title>Ireland and Japan agree on trade | Example Wire</title>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    )
    article = read_article(page(head), url="https://example.com/a")
    assert article.title == "Ireland and Japan agree on trade"
    assert article.outlet == "Example Wire"
    assert article.published == "2024-05-02"  # a date alone stays a date
    assert article.url == "https://example.com/a"


def test_a_json_ld_publisher_given_by_its_id() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "https://x.test/#org", "name": "The Alpine Post"},
            {"@type": "NewsArticle", "publisher": {"@id": "https://x.test/#org"}},
        ],
    }
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    assert read_article(page(head)).outlet == "The Alpine Post"


def test_a_dash_suffix_is_cut_only_when_it_names_the_outlet() -> None:
    head = "<title>Talks resume - for now - Example Wire</title>"
    head += "<meta property='og:site_name' content='Example Wire'>"
    assert read_article(page(head)).title == "Talks resume - for now"
    assert read_article(page("<title>Talks resume - for now</title>")).title == (
        "Talks resume - for now"
    )


def test_a_date_found_in_the_markup_keeps_the_time_its_element_gives() -> None:
    stamp = "<time datetime='2024-05-02T09:15:00+02:00'>2 May 2024</time>"
    assert read_article(page(body=stamp + BODY)).published == "2024-05-02T09:15:00+02:00"
    plain = "<span class='date'>Published 2 May 2024</span>"
    assert read_article(page(body=plain + BODY)).published == "2024-05-02"


def test_a_page_without_metadata_takes_its_h1_and_guesses_nothing() -> None:
    article = read_article(page())
    assert article.title == "Ireland and Japan agree on trade"
    assert article.outlet is None
    assert article.published is None
    assert article.url is None


def test_script_style_and_furniture_never_reach_the_text() -> None:
    head = "<style>.secret-style { color: red }</style><script>var leak = 'SCRIPTLEAK';</script>"
    body = BODY + (
        "<script>document.write('INLINELEAK')</script>"
        "<figure><img src='x.jpg'><figcaption>Coveney in Dublin. REUTERS/Jane Doe</figcaption>"
        "</figure><p>Reporting by Jane Doe; Editing by John Roe</p>"
    )
    around = (
        "<aside><h2>Related stories</h2><ul><li><a href='/a'>Japan PM visits Paris</a></li>"
        "</ul></aside><div id='cookies'>We use cookies. Accept all cookies.</div>"
        "<footer>Copyright 2024 Example. All rights reserved.</footer>"
    )
    text = read_article(page(head, body, around)).text
    for leaked in [
        "SCRIPTLEAK",
        "INLINELEAK",
        "secret-style",
        "REUTERS/",
        "Reporting by",
        "cookies",
        "Copyright",
        "Japan PM visits Paris",
    ]:
        assert leaked not in text
    assert "Department of Foreign Affairs" in text


def test_plain_text_takes_its_first_line_as_title_when_a_blank_line_follows() -> None:
    data = b"Ireland and Japan agree on trade\n\nFirst paragraph here.\nSame one.\n\nSecond one."
    article = read_article(data)
    assert article.title == "Ireland and Japan agree on trade"
    assert article.text == "First paragraph here. Same one.\n\nSecond one."
    lead = b"DUBLIN, May 2. Ireland and Japan agreed on trade on Thursday.\n\nMore text here."
    assert read_article(lead).title is None  # a sentence, not a headline


def test_flags_override_the_page() -> None:
    head = "<meta property='og:title' content='Page title'>"
    article = read_article(
        page(head),
        title="Given",
        outlet="Outlet",
        url_override="https://x.test/a",
        published="2024-05-02T09:15:00+02:00",
    )
    assert (article.title, article.outlet, article.url) == ("Given", "Outlet", "https://x.test/a")
    assert article.published == "2024-05-02T09:15:00+02:00"
    with pytest.raises(DraftError, match="not a date"):
        read_article(page(), published="next tuesday")


def test_html_is_told_by_content_not_by_name_or_header() -> None:
    assert "Coveney" in read_article(page(), content_type="text/plain").text
    text = read_article(b"Plain words about Japan.\n\n<not a tag> still text.").text
    assert "<not a tag>" in text


@pytest.mark.parametrize("encoding", ["cp1252", "iso-8859-1"])
def test_a_declared_charset_is_honoured(encoding: str) -> None:
    body = "<p>" + "João Araújo Sá met Ana Lisboa in Lisbon; both praised the €2bn cable. " * 3
    html = f"<html><head><meta charset='{encoding}'></head><body>{body}</p></body></html>"
    data = html.replace("€", "EUR" if encoding != "cp1252" else "€").encode(encoding)
    assert "João Araújo Sá" in read_article(data).text


def test_a_header_charset_and_a_detected_one() -> None:
    text = "Ноздрёв предупредил Японию о последствиях передачи ракет Украине. " * 4
    data = text.encode("koi8-r")
    assert "Ноздрёв" in read_article(data, content_type="text/plain; charset=koi8-r").text
    assert "Ноздр" in read_article(text.encode("cp1251")).text  # detected


def test_byte_order_marks_decide_the_charset() -> None:
    text = "Japan and Russia met.\n\nThey talked about the Kuril Islands."
    assert read_article(text.encode("utf-16")).text.startswith("Japan and Russia met.")
    assert read_article(b"\xef\xbb\xbf" + text.encode()).text.startswith("Japan")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"),
        (bytes(range(256)) * 40, "binary|not text"),
        (b"ab\x00\x01\x02\x03cd" * 100, "binary"),
    ],
)
def test_binary_files_are_refused_in_one_line(data: bytes, words: str) -> None:
    with pytest.raises(DraftError, match=words) as caught:
        read_article(data)
    assert "\n" not in str(caught.value)


def test_empty_oversize_and_textless_pages_are_refused() -> None:
    with pytest.raises(DraftError, match="empty"):
        read_article(b"  \n\t ")
    with pytest.raises(DraftError, match="over 5 MiB"):
        read_article(b"a" * (MAX_BYTES + 1))
    with pytest.raises(DraftError, match="found no article text"):
        read_article(
            b"<html><head><title>Hi</title><script>var x=1;</script></head><body>"
            b"<nav><a href='/'>Home</a></nav></body></html>"
        )


def test_undecodable_text_is_refused() -> None:
    data = (
        b"<html><head><meta charset='utf-8'></head><body><p>"
        + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 20
        + b"\x00\x01\x02\x03" * 40
        + b"</p></body></html>"
    )
    with pytest.raises(DraftError):
        read_article(data)


@pytest.mark.parametrize(
    "paragraph",
    [
        "By Jane Smith",
        "By Jane Smith, Reuters",
        "Por Inês Vasconcelos · 16/04/2026",
        "Reporting by Jane Doe; Editing by John Roe",
        "Nikolai Nozdrev in Tokyo. REUTERS/Kim Kyung-Hoon",
        "Foto: Rui Gonçalves/Atlântico Diário",
        "Credit: Pesca Hoxe archive",
        "Support independent journalism. Subscribe from 4.90 euros a month.",
        "Related stories",
        "Leave a comment",
        "Copyright 2024 Example Media. All rights reserved.",
    ],
)
def test_furniture_paragraphs(paragraph: str) -> None:
    assert is_furniture(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "By Tuesday, the two sides had agreed.",
        "By the end of 2023, Japan agreed.",
        "The ministry declined to comment on the policy.",
        "Countries that sign up to the initiative will get aid.",
        "Published in 2019, the report angered Moscow.",
        "Japan did not subscribe to the treaty.",
        "Di Maio said the deal was fair.",
    ],
)
def test_prose_is_not_furniture(paragraph: str) -> None:
    assert not is_furniture(paragraph)


def test_a_title_that_is_the_h1_and_a_site_suffix_gives_the_h1() -> None:
    head = "<title>Ireland and Japan agree on trade - Department of Foreign Affairs</title>"
    assert read_article(page(head)).title == "Ireland and Japan agree on trade"


def test_menus_and_buttons_alone_are_no_article_text() -> None:
    data = (
        b"<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        b"<div class='cookie'>We use cookies. <button>Accept</button></div>"
        b"<footer><a href='/privacy'>Privacy</a> (c) 2026</footer></body></html>"
    )
    with pytest.raises(DraftError, match="found no article text"):
        read_article(data)
