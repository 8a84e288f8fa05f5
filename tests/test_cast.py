"""The casting gate's data and evaluation on the invented dataset tree (needs the bundled encoder and actors heads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataset_fixtures import write_datasets
from spinscope.errors import HeldOutSplit


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_datasets(tmp_path_factory.mktemp("datasets"))


def _needs_models() -> None:
    from spinscope.components.actors import CAST_DIR, Actors
    from spinscope.components.encoder import EncoderComponent

    if not (EncoderComponent.available() and Actors.available() and (CAST_DIR / "head.npz").is_file()):
        pytest.skip("the encoder, spaCy or the casting gate is not installed")


def test_an_actor_covering_the_gold_mention_is_cast(tree: Path) -> None:
    _needs_models()
    from spinscope.actors import CAST_FEATURE_NAMES
    from spinscope.train.mention_data import semeval_entities

    x, y, groups, counts = semeval_entities(tree, "dev")
    # "Minister Hale defends plan / Hale said ...": one actor, Hale, whose second mention is the gold one.
    assert counts == {"articles": 1, "gold_mentions": 1, "gold_mentions_covered": 1}
    assert x.shape == (len(y), len(CAST_FEATURE_NAMES)) and y.sum() == 1
    assert set(groups.tolist()) == {"EN_UA_DEV_1"}


def test_training_refuses_the_held_out_dev_split(tree: Path) -> None:
    from spinscope.train.mention_data import semeval_entities

    with pytest.raises(HeldOutSplit):
        semeval_entities(tree, "dev", for_training=True)


def test_eval_cast_scores_the_bundled_gate(tree: Path) -> None:
    _needs_models()
    from spinscope.evaluate import run

    result = run("cast", tree, "dev")
    assert result.metric == "cast_f1" and result.n >= 1
    assert result.value == 1.0  # one article: its best actor is always cast, and it is Hale
    assert result.extra["gold_mention_coverage"] == 1.0
