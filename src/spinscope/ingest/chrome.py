"""Page chrome in pasted text: the lines a reader copies with an article from a web page.

Select-all on a news page brings the site's navigation ("Skip to main content", "Menu"), section
labels ("Opinion"), share and ad labels ("Share", "Advertisement"), the byline and date, and the
footer ("Share this article", "Related: …"). Left in, the repair step joins them to the article's
sentences and every later component reads them: a footer became a causal claim, a byline an actor.
For plain text this drops such lines, keeps the byline and date as the source's author and date,
and the line above them as the title. HTML reaches trafilatura first, which keeps only the article;
``ingest/html.py`` uses :func:`is_label`, :func:`byline` and :func:`dateline` on the few blocks it
lets through.

Only whole lines go, and only where they cannot be part of a sentence: a label between paragraphs
must follow a sentence's end and precede a sentence's start, because a link's words stripped onto
their own line ("posted on\\nTwitter\\nthat …") are the article's own and repair must see them.
Exceptions, which no sentence contains: a form's required field ("Email *"), a poll ("…? * Yes …")
and its prompt ("take our poll - story continues below") go wherever they stand, and a web form's
hidden-field notice goes from the start of its line, the article's words after it on that line kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Notice

# Interface labels, matched whole (case, punctuation and spacing ignored), anywhere on their own line.
UI_LABELS = frozenset({
    "skip to main content", "skip to content", "skip to navigation", "menu", "main menu", "search",
    "close", "share", "share this", "share this article", "share this story", "share this page",
    "share on facebook", "share on twitter", "share on whatsapp", "share via email", "tweet", "email",
    "print", "copy link", "link copied", "save", "save article", "saved", "bookmark", "gift this article",
    "advertisement", "advert", "ad", "sponsored", "sponsored content", "story continues below advertisement",
    "subscribe", "subscribe now", "sign in", "sign up", "log in", "login", "register", "newsletter",
    "comments", "show comments", "view comments", "leave a comment", "read more", "show more", "load more",
    "continue reading", "related", "related articles", "related stories", "related posts", "related content",
    "related topics", "more on this story", "more stories", "more from this author", "you may also like",
    "you might also like", "recommended for you", "latest", "latest news", "popular", "editor s picks",
    "most read", "most popular", "trending", "recommended", "back to top", "home", "listen to this article",
    "follow", "follow us", "facebook", "twitter", "linkedin", "whatsapp", "reddit", "telegram",
    "accept cookies", "accept all cookies", "cookie settings", "privacy policy", "terms of use",
    "terms of service", "contact us", "about us",
})  # fmt: skip
# Section names: dropped only above the article, where a site prints them over the headline.
SECTION_LABELS = frozenset({
    "opinion", "opinions", "comment", "commentary", "editorial", "editorials", "analysis", "news",
    "world", "world news", "us news", "uk news", "europe", "politics", "business", "international",
    "live", "video", "podcast", "columnists", "op ed", "guest essay", "letters", "ideas", "features",
    "long read", "explainer", "sections", "ukraine", "russia", "war in ukraine",
})  # fmt: skip
# Labelled links and credits: "Related: …", "Read more: …", "Photograph: …", "© 2024 …".
_LABELLED = re.compile(
    r"^(?:related|read more|read next|read also|see also|more on|more from|recommended|watch|listen|"
    r"sign up|subscribe|follow us|topics|tags|filed under|image|photo|photograph|picture|credit|caption)"
    r"\s*[:|–—]|^(?:©|copyright\b)",
    re.IGNORECASE,
)
# A breadcrumb trail: "Home | World | Opinion", "News › Europe › Ukraine".
_BREADCRUMB = re.compile(r"^[^|›»>/·]{1,30}(?:\s*[|›»>/·]\s*[^|›»>/·]{1,30}){1,6}$")
_READ_TIME = re.compile(
    r"^\d{1,3}\s*(?:-\s*)?min(?:ute)?s?\s+read$|^this article is more than \d+ \w+ old$"
    # A site's list heading over a section's name: "Most read in Tech", "Most popular in World News".
    r"|^most\s+(?:read|popular|viewed|shared)\s+in\s+[\w&' ]{1,30}$",
    re.IGNORECASE,
)
# A photo caption ends in its credit: "Soldiers near Bakhmut on Friday. Photograph: Libkos/AP".
# The credit starts with a capital ("Libkos/AP", "Getty Images"): "a grim picture: a country in ruins" is prose.
_CAPTION = re.compile(r"\b(?i:photograph|photo|picture|illustration|composite)\s*:\s*[A-Z][^.!?:]{0,60}$")
_DATE_PREFIX = re.compile(
    r"^(?:first\s+)?(?:published|updated|posted|last\s+updated|last\s+modified)(?:\s+on)?\s*:?\s*", re.IGNORECASE
)
# The hidden-field notice of a web form (WordPress' Gravity Forms), copied with the page, often with its
# poll's small print: "Email This field is for validation purposes and should be left unchanged. …".
_FORM_NOTICE = re.compile(
    r"^(?:(?:e-?mail|comments?|phone|name|website)\s+)?this field is for validation purposes and should be left unchanged\."
    r"(?:\s*completing this poll grants you access to [^.]{1,80} updates free of charge\.)?"
    r"(?:\s*you may opt out at ?any ?time\.)?(?:\s*you also agree to this site[’']s privacy policy and terms of use\.)?\s*",
    re.IGNORECASE,
)
# A form's required field ("Email *"), a poll with its options ("Who should replace …? * John Bolton
# Richard Grenell …") or its prompt ("take our poll - story continues below"): never words of a
# sentence, wherever they stand.
_FORM_FIELD = re.compile(
    r"^(?:e-?mail|name|phone|comments?|website)\s*\*$|^[^?\n]{8,200}\?\s\*\s\S|^take our poll\b.{0,30}story continues below$",
    re.IGNORECASE,
)
# Credits and prompts a site prints around the article ("Article posted with permission from …", "Read
# more …"), and a poll's question printed twice over its widget.
_CREDIT_OR_PROMPT = re.compile(
    r"^(?:article (?:posted|republished|reprinted) with permission from\b.{0,80}"
    r"|this (?:report|article|story) was (?:originally|first) published (?:by|at|on|in)\b.{0,120}"
    r"|sources for this article include:?|read more\b[^.!?]{0,40}"
    # Newsletter and feedback boxes: "Sign up to get … delivered straight to your inbox.", "You can
    # unsubscribe any time …", "Thank you for sharing your thoughts …", "Share your experiences … We're here to listen."
    r"|(?:sign up|subscribe)\b[^.!?]{0,80}\b(?:inbox|newsletter)\b[^.!?]{0,40}[.!]?|you can unsubscribe (?:at )?any ?time\b.{0,100}"
    r"|thank you for sharing your (?:thoughts|feedback)\b.{0,80}|share your (?:experiences|thoughts|feedback)\b.{0,160}here to listen\.?"
    r"|please let us know if you(?:'|’)re having (?:issues|problems|trouble) with comment(?:ing|s)\.?)$"
    r"|^(?P<question>[^?]{10,200}\?)\s+(?P=question)$",
    re.IGNORECASE,
)
# A site's plea printed under the article: "Read all the Latest News … here. Follow us on Facebook …".
# "Like us on Facebook at www.facebook.com/TheSunUS and follow us from our main Twitter account at @TheSunUS".
_PROMO_START = re.compile(r"^(?:read|click|subscribe|follow|like us on|download|join)\b", re.IGNORECASE)
_PROMO = re.compile(
    r"\b(?:follow us|like us|subscribe to our)\b(?: on| at| from| our| main| official){0,3}\s+(?:facebook|twitter|x|"
    r"instagram|telegram|youtube|linkedin|whatsapp|google news|newsletters?|channel|podcast)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_BYLINE = re.compile(r"^(?:by|words by|written by)\s+(.+)$", re.IGNORECASE)
_NAME_JOINERS = frozenset({"and", "&", "de", "del", "der", "van", "von", "da", "di", "la", "le", "al", "bin"})
_ROLE_NOUNS = frozenset({"contributor", "correspondent", "reporter", "editor", "editors", "staff", "writer",
                         "writers", "desk", "board", "team"})  # fmt: skip
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*$""")
_SENTENCE_START = re.compile(r"""^["'“‘(\[]?[A-Z0-9]""")
_FULL_STOP = re.compile(r"""[.!…]["'”’)\]]*$""")
MAX_TITLE_CHARS = 300


@dataclass
class PageChrome:
    """A text without its page chrome, what was dropped, and what the chrome said about the article."""

    text: str
    dropped: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date, as trafilatura gives it for HTML

    def notice(self) -> Notice:
        """The reader's warning that lines were left out, quoting the first few."""
        n = len(self.dropped)
        shown = ", ".join(f"“{line[:40]}”" for line in self.dropped[:6]) + (", …" if n > 6 else "")
        kept = [what for what, value in (("author", self.author), ("date", self.published)) if value]
        return Notice(
            "page-chrome",
            f"left out {n} line{'s' if n != 1 else ''} of the web page that {'are' if n != 1 else 'is'} not the "
            f"article's (navigation, labels, captions, byline, date): {shown}"
            + (f"; the {' and '.join(kept)} {'are' if len(kept) > 1 else 'is'} kept as the source's" if kept else ""),
        )


def strip_chrome(text: str) -> PageChrome:
    """Drop the page-chrome lines of ``text`` (see the module docstring); other lines are kept as they are."""
    lines = text.split("\n")
    # A web form's hidden-field notice starts some lines; the article's words may follow it on the same line.
    forms = []
    for i, line in enumerate(lines):
        if (form := _FORM_NOTICE.match(line.strip())) is not None:
            forms.append(form.group(0).strip())
            lines[i] = line.strip()[form.end() :]
    if forms:
        text = "\n".join(lines)
    body = {i for i, line in enumerate(lines) if _is_body(line.strip())}
    if not body:
        return PageChrome(text, forms)
    first, last = min(body), max(body)
    out = PageChrome(text, forms)
    drop: set[int] = set()
    for i in range(first):  # above the article: labels, sections, byline, date
        line = lines[i].strip()
        if not line:
            continue
        if is_label(line) or _key(line) in SECTION_LABELS or _breadcrumb(line):
            drop.add(i)
        elif (author := byline(line)) is not None:
            drop.add(i)
            out.author = out.author or author
        elif (date := dateline(line)) is not None:
            drop.add(i)
            out.published = out.published or date
    for i in range(first, len(lines)):  # between paragraphs and below: labels that no sentence runs through
        line = lines[i].strip()
        if not line or i in body:
            continue
        if i > last:  # below the article, its topic tags too ("Topics", "Ukraine", "Russia")
            if is_label(line) or (_key(line) in SECTION_LABELS | {"topics"} and not _SENTENCE_END.search(line)):
                drop.add(i)
        elif is_label(line) and (_FORM_FIELD.match(line) or _between_sentences(lines, drop, i)):
            drop.add(i)
    if not drop:
        return out
    out.dropped = forms + [lines[i].strip() for i in sorted(drop)]
    header = [i for i in range(first) if lines[i].strip() and i not in drop]
    if header and any(i < first for i in drop):
        # The headline is the first line left above the article, unless it reads like a sentence.
        head = " ".join(lines[header[0]].split())
        if reads_as_title(head):
            out.title = head
            drop.add(header[0])
    # A label between two paragraphs' sentences (an ad slot, a share bar) stood at a paragraph break:
    # it leaves a blank line, which the repair step reads as one.
    middle = {i for i in drop if first < i < last}
    out.text = "\n".join("" if i in middle else line for i, line in enumerate(lines) if i not in drop or i in middle)
    return out


def reads_as_title(line: str) -> bool:
    """Whether a line can be a headline: short, and no long sentence with a full stop (a one-line lede).

    A few outlets' titles are taglines ending in a stop ("America's Immigration Voice."), hence the
    word count.
    """
    full_stop = line.endswith(".") and not line.endswith("...")
    return len(line) <= MAX_TITLE_CHARS and not (full_stop and len(line.split()) > 8)


def _is_body(line: str) -> bool:
    """Whether a line is surely article text: the page's chrome lies above the first such line and below the last.

    Long (a headline seldom has 15 words), or a sentence of 8 words or more with its full stop.
    """
    n = len(line.split())
    return (n >= 15 or (n >= 8 and bool(_FULL_STOP.search(line)))) and not is_label(line)


def is_label(line: str) -> bool:
    """Whether a whole line is an interface label, a labelled link, a credit, a caption or a reading time.

    Also used on the paragraphs trafilatura extracts from HTML, where an ad slot's "Advertisement"
    can survive as a block of its own.
    """
    return bool(
        _key(line) in UI_LABELS
        or _LABELLED.match(line)
        or _READ_TIME.match(line)
        or _CAPTION.search(line)
        or (_PROMO_START.match(line) and _PROMO.search(line))
        or _FORM_FIELD.match(line)
        or _CREDIT_OR_PROMPT.match(line)
    )


def _breadcrumb(line: str) -> bool:
    """Whether a line is a trail of short section names ("Home | World | Opinion")."""
    return bool(_BREADCRUMB.match(line)) and all(len(part.split()) <= 3 for part in re.split(r"[|›»>/·]", line))


def _key(line: str) -> str:
    """A line folded for matching: lower case, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^\w&]+", " ", line.lower()).split())


def _between_sentences(lines: list[str], drop: set[int], i: int) -> bool:
    """Whether line ``i`` sits where one sentence has ended and the next has not begun."""
    before = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip() and j not in drop), "")
    after = next((lines[j].strip() for j in range(i + 1, len(lines)) if lines[j].strip()), "")
    return (not before or bool(_SENTENCE_END.search(before))) and (not after or bool(_SENTENCE_START.match(after)))


def byline(line: str) -> str | None:
    """The author(s) a byline names, or None ("By Anna Kowalczyk and John Smith", "By a guest contributor")."""
    match = _BYLINE.match(line)
    if match is None:
        return None
    name = match.group(1).strip().rstrip(",;|–—-").strip()
    parts = name.split()
    if not 1 <= len(parts) <= 10 or _SENTENCE_END.search(name) and not re.search(r"\b[A-Z]\.$", name):
        return None
    named = all(p[0].isupper() or p.lower() in _NAME_JOINERS for p in parts)
    role = len(parts) <= 5 and parts[-1].lower().strip(",.") in _ROLE_NOUNS
    return name if named or role else None


def dateline(line: str) -> str | None:
    """The ISO date of a dateline, or None, such as "Published March 3, 2024" or "Updated 14:02 GMT, 3 Mar 2024"."""
    rest = _DATE_PREFIX.sub("", line).split("|")[0].strip(" ,;·–—-")
    if len(rest) > 50 or not _YEAR.search(rest):
        return None
    import dateparser  # only for lines that look like dates: its import costs about 60 ms

    parsed = dateparser.parse(rest, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date().isoformat() if parsed is not None else None
