"""Article-level features shared by the genre and frames heads (training and run time alike)."""

from __future__ import annotations

import re

import numpy as np

from .document import Document

# Cues that generalise across outlets better than topic words: reporting is attributed speech and
# numbers, opinion is first person, questions and evaluation. Rates are per 100 words.
_REPORTED = re.compile(
    r"\b(?:said|says|told|according to|announced|reported|stated|added|noted|confirmed|spokes(?:man|woman|person))\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|we|us|our|ours)\b")
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
_QUOTES = re.compile(r"[\"“”]")
_DIGITS = re.compile(r"\d+")

STYLE_NAMES = ("reported_speech", "first_person", "second_person", "questions", "exclamations", "quotes", "numbers", "log_words")


def style_features(text: str) -> np.ndarray:
    """Rates of reported speech, first/second person, questions, exclamations, quotes, numbers; log length."""
    words = max(1, len(text.split()))
    per100 = 100.0 / words
    return np.array(
        [
            len(_REPORTED.findall(text)) * per100,
            len(_FIRST_PERSON.findall(text)) * per100,
            len(_SECOND_PERSON.findall(text)) * per100,
            text.count("?") * per100,
            text.count("!") * per100,
            len(_QUOTES.findall(text)) * per100,
            len(_DIGITS.findall(text)) * per100,
            np.log(words),
        ],
        dtype=np.float32,
    )


def article_embedding(doc: Document, key: str | None = None) -> np.ndarray:
    """The article vector encoder ``key`` left on ``doc`` (unit-length, token-weighted mean of paragraphs)."""
    from .components.encoder import cached  # the components package imports this module

    return np.asarray(cached(doc, key)["article"], dtype=np.float32)


def article_features(doc: Document, *, style: bool, key: str | None = None) -> np.ndarray:
    """The feature row a head reads: encoder ``key``'s article embedding, plus the style cues when ``style``."""
    vec = article_embedding(doc, key)
    return np.concatenate([vec, style_features(doc.text)]) if style else vec


# --- genre cues (v2) ---------------------------------------------------------------------------------
# Language-independent layout and punctuation cues plus small lexicons of the six SemEval-2023 train
# languages (one union list, applied to every text), so that the genre head can learn from the many
# reporting and satire articles outside English. Computed from ``doc.text`` and ``doc.paragraphs`` only
# (no parsing), a few milliseconds per article. The first paragraph is taken to be the title.

_G_QUOTE = re.compile(r"[\"“”„«»]")
_G_ATTRIB = re.compile(
    r"\b(?:said|says|told|according\s+to|announced|reported|stated|added|noted|confirmed|explained|spokes(?:man|woman|person)"
    r"|selon|a\s+(?:déclaré|dit|affirmé|indiqué|expliqué|annoncé|précisé|ajouté)|d[ée]clare"
    r"|sagte|sagt|erklärte|laut|teilte|berichtete|betonte"
    r"|ha\s+(?:detto|dichiarato|affermato|spiegato|annunciato|aggiunto)|secondo|dichiara"
    r"|powiedział[a]?|według|stwierdził[a]?|poinformował[a]?|dodał[a]?|zaznaczył[a]?"
    r"|сказал[аи]?|заявил[аи]?|сообщил[аи]?|отметил[аи]?|по\s+словам|по\s+данным|рассказал[аи]?)\b",
    re.IGNORECASE,
)
_G_FIRST_SING = re.compile(
    r"\b(?:I|me|my|mine|myself|je|j'|moi|mon|mes|ich|mich|mir|mein\w*|io|mio|mia|miei|mie|mnie|mój|moja|moje|mi"
    r"|я|меня|мне|мой|моя|моё|мои)\b|\bj’",
    re.IGNORECASE,
)
_G_FIRST_PLUR = re.compile(
    r"\b(?:we|us|our|ours|nous|notre|nos|wir|uns|unser\w*|noi|nostro|nostra|nostri|nostre|nas|nasz\w*|мы|нас|нам|наш\w*)\b",
    re.IGNORECASE,
)
_G_SECOND = re.compile(
    r"\b(?:you|your|yours|vous|votre|vos|tu|toi|dich|dir|dein\w*|euch|voi|tuo|tua|vostro|ty|ciebie|wy|ты|тебя|вы|вас|ваш\w*|твой)\b",
    re.IGNORECASE,
)
_G_DIGIT = re.compile(r"\d+(?:[.,]\d+)*")
_G_CAPS = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁ]{3,}\b")
_G_WORD = re.compile(r"\w+")
_G_SENT = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_G_DATELINE = re.compile(r"^\s*[A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁa-zà-ÿа-яё .,'/-]{1,40}?(?:\([^)]{1,30}\))?\s*[-–—]\s")
_G_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_G_PCT = re.compile(r"%|\bper\s*cent\b|\bpercent\b", re.IGNORECASE)
_G_MIDCAP = re.compile(r"(?<=[a-zà-ÿа-яё,;:] )[A-ZÀ-ÞА-ЯЁ]\w+")
_G_URL = re.compile(r"https?://|www\.|@\w|#\w")

GENRE_CUE_NAMES = (
    "log_paragraphs", "log_mean_paragraph_words", "paragraph_words_cv", "short_paragraph_share",
    "quote_paragraph_share", "quote_rate", "attribution_paragraph_share", "attribution_rate",
    "digit_paragraph_share", "digit_rate", "question_paragraph_share", "question_rate", "exclamation_rate",
    "first_singular_rate", "first_plural_rate", "second_person_rate", "caps_rate", "ellipsis_rate", "paren_rate",
    "lead_quote", "lead_attribution", "log_words",
    "log_mean_sentence_words", "sentence_words_cv", "single_sentence_paragraph_share", "dateline", "year_rate",
    "percent_rate", "midcap_rate", "colon_rate", "semicolon_rate", "dash_rate", "url_rate",
    "quote_start_paragraph_share", "colon_end_paragraph_share", "lead_log_words",
)  # fmt: skip


def _share(paragraphs: list[str], pattern: re.Pattern[str]) -> float:
    return sum(1 for p in paragraphs if pattern.search(p)) / len(paragraphs)


def genre_cues(doc: Document) -> np.ndarray:
    """The :data:`GENRE_CUE_NAMES` of ``doc``: paragraph-level shares and per-100-word rates (see above)."""
    text = doc.text
    paragraphs = [text[p.start : p.end] for p in doc.paragraphs if text[p.start : p.end].strip()] or [text]
    body = paragraphs[1:] if len(paragraphs) > 1 else paragraphs  # the first paragraph is the title
    lengths = np.array([len(_G_WORD.findall(p)) for p in paragraphs], dtype=np.float64)
    words = max(1.0, float(lengths.sum()))
    per100 = 100.0 / words
    mean_len = float(lengths.mean())
    sentence_lengths: list[int] = []
    single = 0
    for p in body:
        sents = [len(_G_WORD.findall(s)) for s in _G_SENT.findall(p) if _G_WORD.search(s)]
        sentence_lengths += sents
        single += len(sents) <= 1
    sl = np.array(sentence_lengths or [0], dtype=np.float64)

    def rate(pattern: re.Pattern[str]) -> float:
        return len(pattern.findall(text)) * per100

    row = [
        np.log(len(paragraphs)), np.log1p(mean_len), lengths.std() / max(1.0, mean_len), float(np.mean(lengths < 8)),
        _share(paragraphs, _G_QUOTE), rate(_G_QUOTE), _share(paragraphs, _G_ATTRIB), rate(_G_ATTRIB),
        _share(paragraphs, _G_DIGIT), rate(_G_DIGIT),
        sum("?" in p for p in paragraphs) / len(paragraphs), text.count("?") * per100, text.count("!") * per100,
        rate(_G_FIRST_SING), rate(_G_FIRST_PLUR), rate(_G_SECOND), rate(_G_CAPS),
        (text.count("...") + text.count("…")) * per100, text.count("(") * per100,
        float(bool(_G_QUOTE.search(body[0]))), float(bool(_G_ATTRIB.search(body[0]))), np.log(words),
        np.log1p(sl.mean()), sl.std() / max(1.0, float(sl.mean())), single / len(body), float(bool(_G_DATELINE.match(body[0]))),
        rate(_G_YEAR), rate(_G_PCT), rate(_G_MIDCAP), text.count(":") * per100, text.count(";") * per100,
        (text.count(" – ") + text.count(" — ") + text.count(" - ")) * per100, rate(_G_URL),
        sum(p.lstrip()[:1] in "\"“„«" for p in body) / len(body), sum(p.rstrip().endswith(":") for p in body) / len(body),
        np.log1p(len(_G_WORD.findall(body[0]))),
    ]  # fmt: skip
    return np.array(row, dtype=np.float32)
