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


def article_embedding(doc: Document) -> np.ndarray:
    """The article vector the encoder left on ``doc`` (unit-length, token-weighted mean of paragraphs)."""
    from .components.encoder import cached  # the components package imports this module

    return np.asarray(cached(doc)["article"], dtype=np.float32)


def article_features(doc: Document, *, style: bool) -> np.ndarray:
    """The feature row a head reads: the article embedding, plus the style cues when ``style``."""
    vec = article_embedding(doc)
    return np.concatenate([vec, style_features(doc.text)]) if style else vec
