"""Refuse text that is clearly not English: every bundled model reads English only.

Two cheap signals, no language-ID model: the share of word tokens that are English stop words (spaCy's
list) and the share of letters that are Latin. Thresholds were picked on short texts written for the
tests (``tests/fixtures/lang``: English news, opinion, a terse results report and one quoting French;
French, German, Dutch, Italian, Spanish, Russian, Chinese), where English scored 0.22–0.65 on stop
words and the others at most 0.09 (Italian), so a cut at 0.15 sits in the gap.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache

from ..errors import UnknownLanguage

MIN_WORDS = 30  # below this the stop-word share is too noisy to refuse anything
# The script, though, shows in a few words: this many letters, mostly not Latin, are not English.
MIN_SCRIPT_LETTERS = 20
MIN_STOP_SHARE = 0.15
MIN_LATIN_SHARE = 0.5
SAMPLE_CHARS = 5000
# One paragraph: too few words say nothing (headlines have few stop words), and the cut sits under the
# document's so a quoted foreign phrase does not trip it, yet over every other language in the test
# texts (at most 0.09, Italian; English 0.22 and up).
PARAGRAPH_MIN_WORDS = 20
PARAGRAPH_MIN_STOP_SHARE = 0.10

# Ideographs and kana are written without spaces; count each as a word so a Chinese article is not
# mistaken for a short one.
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    # Importing spaCy costs ~2 s; its English stop list is a plain module we can load on its own, so
    # ingest and its error paths stay fast.
    spec = importlib.util.find_spec("spacy")
    if spec is not None and spec.submodule_search_locations:
        path = f"{spec.submodule_search_locations[0]}/lang/en/stop_words.py"
        try:
            module_spec = importlib.util.spec_from_file_location("_spinscope_en_stop_words", path)
            if module_spec is not None and module_spec.loader is not None:
                module = importlib.util.module_from_spec(module_spec)
                module_spec.loader.exec_module(module)
                return frozenset(module.STOP_WORDS)
        except OSError:
            pass
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(_CJK.sub(r" \1 ", text))]


def english_share(text: str) -> float:
    """The share of word tokens in ``text`` that are English stop words (0.0 for no words)."""
    return _stop_share(_words(text))


def _stop_share(words: list[str]) -> float:
    stop = _stop_words()
    return sum(w in stop for w in words) / len(words) if words else 0.0


def latin_share(text: str) -> float:
    """The share of letters in ``text`` that are Latin script (1.0 for no letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    # Latin letters live below U+0250 (Basic Latin to IPA) or in Latin Extended Additional.
    latin = sum(c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in letters)
    return latin / len(letters)


def check_english(text: str) -> None:
    """Raise ``UnknownLanguage`` if ``text`` is clearly not English: mostly another script (from 20
    letters on), or, from 30 words on, too few English stop words.

    Reads the first ``SAMPLE_CHARS`` characters only: some 800 words settle the question as well as
    a whole article does, at a fifth of the time on a 1,000-word one.
    """
    sample = text[:SAMPLE_CHARS]
    words = _words(sample)
    latin = latin_share(sample)
    if len(words) < MIN_WORDS:
        if latin < MIN_LATIN_SHARE and sum(c.isalpha() for c in sample) >= MIN_SCRIPT_LETTERS:
            raise UnknownLanguage(
                f"the text does not look like English (spinscope's models read English only); {latin:.0%} of its letters are Latin."
            )
        return
    share = _stop_share(words)
    if latin < MIN_LATIN_SHARE or share < MIN_STOP_SHARE:
        raise UnknownLanguage(
            "the text does not look like English (spinscope's models read English only); "
            f"{share:.0%} of its words are common English words and {latin:.0%} of its letters are Latin."
        )


def paragraph_is_english(text: str) -> bool:
    """Whether one paragraph may be read by the English models: not mostly in another script, and,
    from ``PARAGRAPH_MIN_WORDS`` words on, at least ``PARAGRAPH_MIN_STOP_SHARE`` English stop words.

    The components that label paragraphs (persuasion, narratives) skip the others and warn; the
    document-level :func:`check_english` has already refused texts that are not English as a whole.
    """
    # Fewer extra UTF-8 bytes than a fifth of the characters: mostly ASCII, so Latin (the cheap test first).
    if len(text.encode("utf-8")) - len(text) > len(text) // 5 and latin_share(text) < MIN_LATIN_SHARE:
        return False
    words = _words(text)
    if len(words) < PARAGRAPH_MIN_WORDS:
        return True
    return _stop_share(words) >= PARAGRAPH_MIN_STOP_SHARE
