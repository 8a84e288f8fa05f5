"""Page chrome copied with an article: dropped where no sentence runs through it, read for title, author, date."""

from __future__ import annotations

import pytest

from spinscope.ingest import from_html, from_text
from spinscope.ingest.chrome import is_label, strip_chrome

# A news page selected and copied whole, hard-wrapped, with its header, an ad slot and a footer.
PAGE = """Skip to main content
Menu
Opinion
Why the West Must Not Blink Over Crimea
By Anna Kowalczyk and Tom O'Neill
Published March 3, 2024
4 min read
Share
When Vladimir Putin ordered his troops across the border two years ago, the Kremlin promised a
war of three days. Kyiv did not fall, and the government stayed in the capital.
Advertisement
Yet in Washington the mood has shifted. Several senators now argue that the money would be better
spent at home, and the vote on the aid package has been delayed for months.
Share this article
Related: How sanctions hit the Russian economy
© 2024 The Daily Example
"""


def test_header_footer_and_ad_slot_are_dropped_and_read() -> None:
    chrome = strip_chrome(PAGE)
    assert chrome.title == "Why the West Must Not Blink Over Crimea"
    assert chrome.author == "Anna Kowalczyk and Tom O'Neill"
    assert chrome.published == "2024-03-03"
    assert chrome.dropped == [
        "Skip to main content", "Menu", "Opinion", "By Anna Kowalczyk and Tom O'Neill", "Published March 3, 2024",
        "4 min read", "Share", "Advertisement", "Share this article", "Related: How sanctions hit the Russian economy",
        "© 2024 The Daily Example",
    ]  # fmt: skip
    kept = [line for line in chrome.text.split("\n") if line.strip()]
    assert kept[0].startswith("When Vladimir Putin") and kept[-1].startswith("spent at home")
    # The ad slot stood between two paragraphs: it leaves the blank line that says so.
    assert "capital.\n\nYet in Washington" in chrome.text


def test_a_link_word_on_its_own_line_inside_a_sentence_stays() -> None:
    # Stripped links put their words on a line of their own; repair must see them.
    text = (
        "The minister said on Monday that the exemptions would be extended to three more states and\n"
        "posted on\nTwitter\nthat the decision was final, a move that would hand Moscow the revenue.\n"
        "Share\n"
        "The sanctions were meant to cut off exactly that revenue, and everyone in Brussels knows it.\n"
    )
    chrome = strip_chrome(text)
    assert chrome.dropped == ["Share"]  # between two sentences
    assert "posted on\nTwitter\nthat" in chrome.text


def test_labels_next_to_an_unfinished_sentence_are_kept() -> None:
    text = (
        "The committee has voted twice on the package this year, and each time the vote was close, with\n"
        "Advertisement\n"
        "three members absent from the chamber when the result was read out by the chair.\n"
    )
    assert strip_chrome(text).dropped == []


def test_captions_and_topic_tags_go_but_a_last_short_sentence_stays() -> None:
    text = (
        "This article is more than 1 year old\n"
        "The shelling went on through the night, and by morning the power station had stopped working.\n"
        "Soldiers carry a wounded comrade near Bakhmut on Friday. Photograph: Libkos/AP\n"
        "Engineers said repairs would take weeks, and that the city would be without heating until then.\n"
        "Ukraine.\n"
        "Topics\n"
        "Ukraine\n"
        "Russia\n"
    )
    chrome = strip_chrome(text)
    assert chrome.dropped == [
        "This article is more than 1 year old", "Soldiers carry a wounded comrade near Bakhmut on Friday. Photograph: Libkos/AP",
        "Topics", "Ukraine", "Russia",
    ]  # fmt: skip
    assert "\nUkraine.\n" in chrome.text + "\n"
    prose = "The president painted a grim picture: a country in ruins"
    assert not is_label(prose) and is_label("Soldiers near Bakhmut. Photo: Getty Images")


def test_html_keeps_ad_slots_and_related_links_out_of_the_text() -> None:
    html = (
        "<!doctype html><html><head><title>Aid stalls | The Daily Example</title></head><body>"
        "<main><article><h1>Aid stalls in Congress</h1>"
        "<p>When the war began two years ago, the Kremlin promised a campaign of three days. Kyiv did not "
        "fall, and the government stayed in the capital through the worst of the winter.</p>"
        '<div class="ad">Advertisement</div>'
        "<p>Yet in Washington the mood has shifted. The vote on a $60 billion aid package has been delayed "
        "for months, and several senators now argue that the money would be better spent at home.</p>"
        '<p>Related: <a href="https://example.org/a">How sanctions hit the Russian economy</a></p>'
        "<p>The choice before Congress is simple: fund Ukraine now, or pay far more later.</p>"
        "</article></main></body></html>"
    )
    doc = from_html(html)
    assert "Advertisement" not in doc.text and "Related" not in doc.text and not doc.links
    (notice,) = [w for w in doc.warnings if w.code == "page-chrome"]
    assert "“Advertisement”" in notice.message and "left out 2 lines" in notice.message


def test_a_breadcrumb_above_the_headline_is_not_the_title() -> None:
    text = (
        "Home | World | Opinion\n"
        "Madagascar Hospitals on High Alert\n"
        "By Staff Writer\n"
        "The outbreak of plague in Madagascar has so far killed 97 people, and doctors warn it will spread.\n"
        "Related Posts\n"
    )
    chrome = strip_chrome(text)
    assert chrome.title == "Madagascar Hospitals on High Alert" and chrome.author == "Staff Writer"
    assert chrome.dropped == ["Home | World | Opinion", "By Staff Writer", "Related Posts"]


def test_a_plain_article_is_left_as_it_is() -> None:
    text = "A short title\n\nThe first paragraph of the article says what happened, where and when it did.\n"
    chrome = strip_chrome(text)
    assert chrome.text == text and chrome.dropped == [] and chrome.title is None
    assert strip_chrome("Menu\nShare").text == "Menu\nShare"  # no article line: nothing to tell chrome from


def test_bylines_need_a_name_or_a_role() -> None:
    head = "Menu\n{}\nThe first paragraph of the article says what happened, where and when it did.\n"
    assert strip_chrome(head.format("By a guest contributor")).author == "a guest contributor"
    assert strip_chrome(head.format("By The Editorial Board")).author == "The Editorial Board"
    # A headline that starts with "By" is no byline.
    by_the_end = strip_chrome(head.format("By the end of the war nobody trusted the ceasefire"))
    assert by_the_end.author is None and by_the_end.title == "By the end of the war nobody trusted the ceasefire"


def test_from_text_keeps_the_source_and_tells_the_reader() -> None:
    doc = from_text(PAGE)
    assert doc.source.title == "Why the West Must Not Blink Over Crimea"
    assert doc.source.author == "Anna Kowalczyk and Tom O'Neill" and doc.source.published == "2024-03-03"
    assert "Advertisement" not in doc.text and "Related:" not in doc.text and "Skip to" not in doc.text
    (notice,) = [w for w in doc.warnings if w.code == "page-chrome"]
    assert "left out 11 lines" in notice.message and "“Skip to main content”" in notice.message
    assert "author and date are kept" in notice.message
    assert doc.text.startswith("Why the West Must Not Blink Over Crimea\n\nWhen Vladimir Putin")


def test_a_sites_most_read_heading_is_chrome_but_a_sentence_about_reading_is_not() -> None:
    assert is_label("Most read in Tech") and is_label("Most popular in World News")
    assert not is_label("Most read in silence, hoping the war would end soon.")


def test_a_sites_plea_under_the_article_is_chrome() -> None:
    assert is_label("Read all the Latest News , Trending News , India News here. Follow us on Facebook , Twitter and Instagram .")
    assert is_label("Click the share button above to email this article. Follow us on Instagram and subscribe to our Telegram.")
    assert not is_label("Read the minister's letter: she asks every citizen to follow us on this path to peace.")
    assert is_label("Like us on Facebook at www.facebook.com/TheSunUS and follow us from our main Twitter account at @TheSunUS")
    assert not is_label("Like us, the French want the war to end; follow us on Twitter, the minister joked.")
    assert not is_label("Follow the money, the senator said, and you will find who profits from the war.")


def test_a_web_forms_hidden_field_notice_is_chrome_and_the_words_after_it_stay() -> None:
    notice = (
        "This field is for validation purposes and should be left unchanged. Completing this poll grants you "
        "access to Example Outpost updates free of charge. You may opt out at anytime. You also agree to this "
        "site's Privacy Policy and Terms of Use."
    )
    text = (
        "The senator said on Tuesday that the bill would pass before the recess, according to two aides.\n\n"
        f"Phone {notice} Watching the exchange, it is obvious that the president tried to answer the question.\n\n"
        f"Email {notice}\n"
    )
    chrome = strip_chrome(text)
    assert chrome.dropped == [f"Phone {notice}", f"Email {notice}"]
    assert "Outpost" not in chrome.text and "\n\nWatching the exchange, it is obvious" in chrome.text


def test_a_poll_widget_with_its_options_is_chrome() -> None:
    poll = "Who should replace the ambassador to the U.N.? * John Bolton Richard Grenell Dina Powell"
    assert is_label(poll) and not is_label("Who should replace him? Nobody knows, the senator said.")
    text = f"The senator said on Tuesday that the bill would pass before the recess.\n{poll}\nEmail *\nThe vote is due on Friday.\n"
    assert strip_chrome(text).dropped == [poll, "Email *"]


@pytest.mark.parametrize(
    "line",
    [
        "take our poll - story continues below",
        "Article posted with permission from Example Outpost",
        "This report was originally published by Jane Doe at Example Hedge",
        "Sources for this article include:",
        "READ MORE SUN STORIES",
        "Who should replace the ambassador? Who should replace the ambassador?",
        "Sign up to get unfiltered news delivered straight to your inbox.",
        "You can unsubscribe any time. By subscribing you agree to our Terms of Use",
        "Thank you for sharing your thoughts. We appreciate your feedback.",
        "Share your experiences, suggestions, and any issues you've encountered on Example Post. We're here to listen.",
        "Please let us know if you're having issues with commenting.",
    ],
)
def test_credits_prompts_polls_and_newsletter_boxes_are_chrome(line: str) -> None:
    assert is_label(line)


@pytest.mark.parametrize(
    "line",
    [
        "Read more about the sanctions in the minister's own words, she told reporters.",
        "Who should replace the ambassador? The senator said nobody knows.",
        "Subscribers to the newsletter said the inbox was full of threats, police said.",
        "You can unsubscribe from democracy, the senator said, but it will not unsubscribe from you.",
    ],
)
def test_sentences_about_reading_polls_and_newsletters_are_not_chrome(line: str) -> None:
    assert not is_label(line)
