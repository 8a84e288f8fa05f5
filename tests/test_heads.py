"""The numpy heads: a kernel head scores what its linear layer over RBF similarities says, and survives
a save/load round trip; ``load_head`` reads either kind."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from spinscope.heads import KernelHead, LinearHead, load_head, rbf_kernel


def _kernel_head() -> KernelHead:
    # Two anchors in a 2-d space read from columns 0 and 2 of 3-wide rows; label k is "near anchor k".
    anchors = np.array([[0.0, 0.0], [2.0, 2.0]], dtype=np.float32)
    linear = LinearHead(["near0", "near1"], np.eye(2, dtype=np.float32) * 10, np.zeros(2, np.float32), np.zeros(2), np.ones(2), np.zeros(2), False)
    return KernelHead(np.array([0, 2]), np.zeros(2, np.float32), np.ones(2, np.float32), anchors, 0.5, linear)


def test_rbf_kernel_is_one_at_an_anchor_and_falls_with_distance() -> None:
    k = rbf_kernel(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 0.0], [0.0, 2.0]]), 0.5)
    np.testing.assert_allclose(k, [[1.0, np.exp(-2.0)], [np.exp(-0.5), np.exp(-2.5)]], rtol=1e-5)


def test_kernel_head_reads_its_columns_and_round_trips(tmp_path: Path) -> None:
    head = _kernel_head()
    x = np.array([[0.1, 99.0, -0.1], [1.9, -99.0, 2.2]], dtype=np.float32)  # column 1 is not read
    scores = head.scores(x)
    assert [head.decide(s)[0].label for s in scores] == ["near0", "near1"]
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, rtol=1e-6)
    head.save(tmp_path / "k.npz")
    loaded = load_head(tmp_path / "k.npz")
    assert isinstance(loaded, KernelHead) and loaded.labels == head.labels
    np.testing.assert_allclose(loaded.scores(x), scores, atol=1e-4)  # anchors are stored float16


def test_load_head_reads_a_linear_head_as_linear(tmp_path: Path) -> None:
    head = _kernel_head().linear
    head.save(tmp_path / "l.npz")
    assert isinstance(load_head(tmp_path / "l.npz"), LinearHead)
    with pytest.raises(Exception, match="linear head"):
        KernelHead.load(tmp_path / "l.npz")


def test_fitted_kernel_head_separates_what_a_linear_head_cannot() -> None:
    pytest.importorskip("sklearn")
    from spinscope.train.roles import fit_head

    # Label 2 is "the signs of two columns differ" (an XOR: no line separates it). Rows of 6h + 3 = 15
    # features (h = 2), the kernel reading the first h (mention) and the last h (article) columns.
    rng = np.random.default_rng(0)

    def rows(n: int) -> tuple[np.ndarray, np.ndarray]:
        x = rng.normal(size=(n, 15)).astype(np.float32)
        a, b = x[:, 0] > 0, x[:, -1] > 0
        return x, np.where(a & b, 0, np.where(~a & ~b, 1, 2))

    (x, y), (test, y_test) = rows(300), rows(300)
    accuracy = {kind: float((fit_head((kind, c, False), x, np.arange(len(x)), y, None, ["a", "b", "c"]).scores(test).argmax(1) == y_test).mean())
                for kind, c in (("linear", 1.0), ("kernel", 30.0))}  # fmt: skip
    assert accuracy["kernel"] > 0.9 > 0.8 > accuracy["linear"]


def test_role_trainer_extended_grid_writes_heads_the_run_time_model_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sklearn")
    from dataset_fixtures import write_datasets
    from spinscope.actors import RoleModel
    from spinscope.datasets.semeval2025 import EntityMention
    from spinscope.train import roles

    # Synthetic role rows (h = 4: 27 features) for 60 mentions in 20 articles of the fixture taxonomy
    # (Guardian, Martyr | Tyrant, Deceiver | Victim); the fine role is written in the mention vector.
    rng = np.random.default_rng(0)
    fine = ["Guardian", "Tyrant", "Deceiver", "Victim"]
    main = {"Guardian": "Protagonist", "Tyrant": "Antagonist", "Deceiver": "Antagonist", "Victim": "Innocent"}
    gold = [fine[i % 4] for i in range(60)]
    x = rng.normal(size=(60, 27)).astype(np.float32)
    x[np.arange(60), [fine.index(g) for g in gold]] += 3.0
    pairs = [(f"A{i % 20}", EntityMention("X", 0, 1, main[g], (g,))) for i, g in enumerate(gold)]
    monkeypatch.setattr(roles, "semeval_features", lambda data, split, for_training: (x, pairs, "fp"))
    monkeypatch.setattr(roles, "held_out_ids", lambda key: frozenset())
    # A smaller grid than the trainer's (its full one takes minutes here): every axis still has two values.
    monkeypatch.setattr(roles, "CV_SEEDS", (0, 1))
    monkeypatch.setattr(roles, "OFFSETS", (0.0, 0.5))
    monkeypatch.setattr(roles, "SECOND", (1.01, 0.35))
    monkeypatch.setattr(roles, "JOINT", (0.0, 0.4))
    out = roles.train(write_datasets(tmp_path / "data"), tmp_path / "roles", extended=True)
    meta = json.loads((out / "meta.json").read_text())
    assert meta["version"] == "2" and meta["cv"]["emr"] > 0.8 and meta["joint"] in roles.JOINT
    model = RoleModel.load(out)
    assert (model.main.labels, model.joint) == (["Protagonist", "Antagonist", "Innocent"], meta["joint"])
    main_p, fine_p = model.probabilities(x[:4])
    assert [model.decide(m, f)[1][0].label for m, f in zip(main_p, fine_p, strict=True)] == gold[:4]
