"""The auxiliary fine-tuning examples (``spinscope.train.auxiliary``) on the invented dataset tree."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from dataset_fixtures import write_datasets
from spinscope.datasets import newsmtsc, semeval2023, semeval2025
from spinscope.errors import HeldOutSplit
from spinscope.runtime import MODELS_DIR
from spinscope.train import auxiliary


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_datasets(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    tok = Tokenizer.from_file(str(MODELS_DIR / "encoder" / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def _words(tokenizer: Tokenizer, ids: list[int]) -> str:
    return tokenizer.decode(ids).replace(" ", "")


def test_sentiment_spans_are_the_targets_word_pieces(tree: Path, tokenizer: Tokenizer) -> None:
    rows = auxiliary.sentiment(tree, tokenizer, "train")
    targets = [t for s in newsmtsc.sentences(tree, "train", for_training=True) for t in s.targets]
    assert sum(len(r.spans) for r in rows) == len(targets)
    got = [_words(tokenizer, r.ids[i:j]) for r in rows for i, j in r.spans]
    assert got == [t.mention.lower().replace(" ", "") for t in targets]
    labels = [auxiliary.SENTIMENT[k] for r in rows for k in r.y]
    assert labels == [t.polarity for t in targets]
    assert all(r.ids[0] == tokenizer.token_to_id("[CLS]") and r.ids[-1] == tokenizer.token_to_id("[SEP]") for r in rows)


def test_roles_rows_carry_main_and_fine_roles_of_their_paragraph(tree: Path, tokenizer: Tokenizer) -> None:
    train, val, fine = auxiliary.roles(tree, tokenizer, seed=0)
    mentions = [m for a in semeval2025.articles(tree, "EN", "train", for_training=True) for m in a.mentions or ()]
    rows = train + val
    assert sum(len(r.spans) for r in rows) == len(mentions) > 0
    by_name = {m.mention.lower().replace(" ", ""): m for m in mentions}
    for r in rows:
        for (i, j), y in zip(r.spans, r.y, strict=True):
            m = by_name[_words(tokenizer, r.ids[i:j])]
            assert list(semeval2025.MAIN_ROLES)[int(y[0])] == m.main_role
            assert {fine[k] for k in range(len(fine)) if y[1 + k]} == set(m.fine_roles)


def _teacher_file(tree: Path, path: Path) -> Path:
    # Each train article's first paragraph line, its first two words as one "sentence" and the rest as another.
    rows = []
    for a in semeval2023.articles(tree, "en", "train", subtask=3, for_training=True):
        line = a.paragraphs[0]
        text = a.text[line.start : line.end]
        cut = len(" ".join(text.split(" ")[:2]))
        rows.append({"article": a.id, "start": line.start, "sentences": [[0, cut], [cut + 1, len(text)]], "probs": [0.9, 0.2]})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_checkworthy_news_targets_are_the_teachers_per_sentence(tree: Path, tokenizer: Tokenizer, tmp_path: Path) -> None:
    teacher = _teacher_file(tree, tmp_path / "teacher.jsonl")
    rows = auxiliary.checkworthy_news(tree, tokenizer, teacher, exclude=set())
    articles = {a.id: a for a in semeval2023.articles(tree, "en", "train", subtask=3, for_training=True)}
    assert len(rows) == len(articles) > 0
    for r in rows:
        a = articles[r.group]
        first = a.text[a.paragraphs[0].start : a.paragraphs[0].end]
        words = [_words(tokenizer, r.ids[i:j]) for i, j in r.spans]
        assert words == [" ".join(first.split(" ")[:2]).lower().replace(" ", ""), " ".join(first.split(" ")[2:]).lower().replace(" ", "")]
        assert r.y.tolist() == pytest.approx([0.9, 0.2])
    left = auxiliary.checkworthy_news(tree, tokenizer, teacher, exclude={rows[0].group})
    assert {r.group for r in left} == {r.group for r in rows} - {rows[0].group}


def test_held_out_share_is_seeded_and_by_group() -> None:
    groups = [f"a{i}" for i in range(40)] * 2
    first, again = auxiliary.held_out(groups, seed=0), auxiliary.held_out(groups, seed=0)
    assert first == again and len(first) == 6
    assert auxiliary.held_out(groups, seed=1) != first


def test_causal_split_keeps_every_sentence_once(tree: Path, tokenizer: Tokenizer) -> None:
    train, val = auxiliary.causal(tree, tokenizer, seed=0)
    ids = [r.group for r in train + val]
    assert len(ids) == len(set(ids)) > 0
    assert not {r.group for r in train} & {r.group for r in val}


def test_evaluation_splits_are_refused(tree: Path, tokenizer: Tokenizer) -> None:
    with pytest.raises(HeldOutSplit):
        auxiliary.checkworthy(tree, tokenizer, "test")
    with pytest.raises(HeldOutSplit):
        auxiliary.sentiment(tree, tokenizer, "test-rw")


def test_every_auxiliary_task_gives_a_finite_loss_with_gradients(tree: Path, tokenizer: Tokenizer, tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from spinscope.train import persuasion as P

    config = transformers.BertConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=32, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=64)
    train, _, fine = auxiliary.roles(tree, tokenizer, seed=0)
    model = P.MultiTask(transformers.BertModel(config), n_techniques=3, n_frames=2, n_fine_roles=len(fine))
    sets = {
        "causal": auxiliary.causal(tree, tokenizer, seed=0)[0],
        "checkworthy": auxiliary.checkworthy(tree, tokenizer, "train"),
        "sentiment": auxiliary.sentiment(tree, tokenizer, "train"),
        "roles": train,
        "checkworthy_news": auxiliary.checkworthy_news(tree, tokenizer, _teacher_file(tree, tmp_path / "t.jsonl"), exclude=set()),
    }
    for task, rows in sets.items():
        for r in rows:
            r.teacher = np.ones(32, np.float32) / np.sqrt(32)
        loss, parts = P._aux_loss(model, task, P._aux_collate(rows, list(range(len(rows)))))
        model.zero_grad()
        loss.backward()
        assert torch.isfinite(loss) and parts
        assert model.bert.embeddings.word_embeddings.weight.grad.abs().sum() > 0
        if task != "checkworthy_news":  # no validation split of its own: CheckThat! dev scores the epochs
            assert 0.0 <= P._aux_scores(model, task, rows) <= 1.0


def test_multitask_finetune_runs_both_stages_and_resumes(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from spinscope.train import persuasion as P

    def tiny_bert():  # the same small random model on every call, as load_base returns the same weights
        torch.manual_seed(0)
        config = transformers.BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1,
                                         num_attention_heads=2, intermediate_size=64)
        return transformers.BertModel(config).eval()

    monkeypatch.setattr(P, "load_base", tiny_bert)
    monkeypatch.setattr(P, "base_layers", lambda: 1)  # what a resume must find in the checkpoints
    monkeypatch.setattr(P, "STAGE2_EPOCHS", 1)
    monkeypatch.setattr(auxiliary, "CHECKWORTHY_PER_EPOCH", 4)
    monkeypatch.setattr(P, "VAL_SHARE", 0.5)  # the invented tree has two articles: keep one for validation
    monkeypatch.setattr(auxiliary, "VAL_SHARE", 0.5)
    run = P.finetune(tree, tmp_path, epochs=1, auxiliary_tasks=True)
    stages = [h.get("stage", 1) for h in run["history"]]
    assert stages == [1, 2] and run["best_epoch"] == 2
    assert (tmp_path / "stage1.pt").is_file() and (tmp_path / "best.pt").is_file()
    assert run["held_out_causal_ids"] and run["auxiliary_tasks"]
    again = P.finetune(tree, tmp_path, epochs=1, auxiliary_tasks=True)  # every checkpoint there: nothing reruns
    assert again["history"] == run["history"]


def test_load_base_keeps_the_first_layers() -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from spinscope.train.encoder import load_base

    full, shallow = load_base(), load_base(2)
    assert shallow.config.num_hidden_layers == 2 and len(shallow.encoder.layer) == 2
    assert torch.equal(full.encoder.layer[1].output.dense.weight, shallow.encoder.layer[1].output.dense.weight)
    ids = torch.tensor([[101, 7592, 2088, 102]])
    states = shallow(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
    assert states.shape == (1, 4, full.config.hidden_size)
    assert load_base(6).config.num_hidden_layers == 6


def test_multitask_finetune_with_fewer_layers_trains_the_shallow_student(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from spinscope.train import persuasion as P

    asked: list[int | None] = []

    def tiny_bert(layers: int | None = None):  # two layers in full, as load_base(layers) cuts the real six
        asked.append(layers)
        torch.manual_seed(0)
        config = transformers.BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=layers or 2,
                                         num_attention_heads=2, intermediate_size=64)
        return transformers.BertModel(config).eval()

    monkeypatch.setattr(P, "load_base", tiny_bert)
    monkeypatch.setattr(auxiliary, "CHECKWORTHY_PER_EPOCH", 4)
    monkeypatch.setattr(P, "VAL_SHARE", 0.5)
    monkeypatch.setattr(auxiliary, "VAL_SHARE", 0.5)
    run = P.finetune(tree, tmp_path, epochs=1, auxiliary_tasks=True, persuasion_stage=False, layers=1)
    assert asked == [None, 1]  # the whole base gives the distillation targets, the cut one is trained
    assert run["layers"] == 1 and [h.get("stage", 1) for h in run["history"]] == [1]
    weights = torch.load(tmp_path / run["weights"], weights_only=True)
    assert any(k.startswith("bert.encoder.layer.0.") for k in weights)
    assert not any(k.startswith("bert.encoder.layer.1.") for k in weights)


def test_torch_reference_vector_pools_as_the_runtime_does() -> None:
    # The reference that ``compare_quantisation`` (the encoder card's cosine table) measures against.
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from spinscope.encoder import Encoder
    from spinscope.train.encoder import TokenStates, _torch_vector, load_base

    encoder, model = Encoder(), TokenStates(load_base())
    text = "The minister said the subsidy would be cut next year, raising bread prices."
    reference = _torch_vector(model, encoder, text)
    ids = encoder.tokenizer_.encode(text, add_special_tokens=False).ids
    x = torch.tensor([[encoder.cls_id_, *ids, encoder.sep_id_]])
    with torch.no_grad():
        expected = model(x, torch.ones_like(x))[0].numpy().mean(0)  # one window: mean over [CLS] + tokens + [SEP]
    assert reference.shape == (encoder.hidden_size,)
    np.testing.assert_allclose(reference, expected, atol=1e-5)


def test_load_bundled_dequantises_the_int8_encoder_it_reads() -> None:
    # The trunk a --trunk run freezes: the bundled int8 graph's weights in fp32, which compute what the
    # graph does up to int8 rounding (the encoder card's cosine to fp32 is 0.993 the other way round).
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("onnx")
    from spinscope.encoder import ENCODER_DIR, Encoder
    from spinscope.train.encoder import TokenStates, load_bundled

    encoder, model = Encoder(ENCODER_DIR), TokenStates(load_bundled(ENCODER_DIR)).eval()
    text = "Western diplomats fear that cutting the subsidy would raise food prices and fuel protests."
    ids = encoder.tokenizer_.encode(text, add_special_tokens=False).ids
    x = torch.tensor([[encoder.cls_id_, *ids, encoder.sep_id_]])
    with torch.no_grad():
        reference = model(x, torch.ones_like(x))[0].numpy()[1:-1]
    states = encoder.encode([text])[0].states
    cosines = (reference * states).sum(1) / np.linalg.norm(reference, axis=1) / np.linalg.norm(states, axis=1)
    assert cosines.min() > 0.98 and cosines.mean() > 0.99


def test_multitask_finetune_on_a_trunk_freezes_its_bottom_layers(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from spinscope.train import encoder as E
    from spinscope.train import persuasion as P

    def tiny_bert(*_args):  # two layers; the same weights on every call, as the bundled encoder has
        torch.manual_seed(0)
        config = transformers.BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2,
                                         num_attention_heads=2, intermediate_size=64)
        return transformers.BertModel(config).eval()

    monkeypatch.setattr(P, "load_base", tiny_bert)
    monkeypatch.setattr(E, "load_bundled", tiny_bert)
    monkeypatch.setattr(P, "base_layers", lambda: 2)
    monkeypatch.setattr(auxiliary, "CHECKWORTHY_PER_EPOCH", 4)
    monkeypatch.setattr(P, "VAL_SHARE", 0.5)
    monkeypatch.setattr(auxiliary, "VAL_SHARE", 0.5)
    run = P.finetune(tree, tmp_path, epochs=1, auxiliary_tasks=True, persuasion_stage=False, trunk=1)
    weights = torch.load(tmp_path / run["weights"], weights_only=True)
    start = tiny_bert().state_dict()
    assert run["trunk"] == 1
    assert torch.equal(weights["bert.encoder.layer.0.output.dense.weight"], start["encoder.layer.0.output.dense.weight"])
    assert torch.equal(weights["bert.embeddings.word_embeddings.weight"], start["embeddings.word_embeddings.weight"])
    assert not torch.equal(weights["bert.encoder.layer.1.output.dense.weight"], start["encoder.layer.1.output.dense.weight"])
    with pytest.raises(ValueError, match="between 1 and 1"):
        P._frozen_trunk(2)


def test_state_distillation_is_zero_on_the_teachers_own_states_and_ignores_padding() -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from spinscope.train import persuasion as P

    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=100, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16)
    model = P.MultiTask(transformers.BertModel(config).eval(), 3, 2, 4)
    ids = torch.tensor([[1, 5, 7, 2], [1, 9, 2, 0]])
    mask = (ids != 0).long()
    states = torch.randn(2, 4, 8)

    class Teacher:  # what an ONNX Runtime session of an encoder returns
        def __init__(self, out: np.ndarray) -> None:
            self.out = out

        def run(self, names, feeds):
            assert names == ["token_states"] and set(feeds) == {"input_ids", "attention_mask"}
            return [self.out]

    assert P._state_distillation(model, states, ids, mask) is None  # no teacher, no term
    model.state_teacher = Teacher(states.numpy())
    assert float(P._state_distillation(model, states, ids, mask)) == pytest.approx(0.0, abs=1e-6)
    padded = states.clone().numpy()
    padded[1, 3] = -padded[1, 3]  # the padding position disagrees: it must not count
    model.state_teacher = Teacher(padded)
    assert float(P._state_distillation(model, states, ids, mask)) == pytest.approx(0.0, abs=1e-6)
    opposite = Teacher(-states.numpy())
    model.state_teacher = opposite
    assert float(P._state_distillation(model, states, ids, mask)) == pytest.approx(2.0, abs=1e-5)


def test_a_trunk_can_take_its_top_layers_from_another_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from spinscope.train import encoder as E
    from spinscope.train import persuasion as P

    def tiny(folder):  # a different seed per folder: two different encoders
        torch.manual_seed(0 if folder.name == "encoder" else 1)
        config = transformers.BertConfig(vocab_size=100, hidden_size=8, num_hidden_layers=3, num_attention_heads=2, intermediate_size=16)
        return transformers.BertModel(config).eval()

    monkeypatch.setattr(E, "load_bundled", tiny)
    base, other = tiny(P.MODELS_DIR / "encoder"), tiny(P.MODELS_DIR / "encoder-multitask")
    bert = P._frozen_trunk(1, top_from=P.MODELS_DIR / "encoder-multitask")
    assert torch.equal(bert.encoder.layer[0].output.dense.weight, base.encoder.layer[0].output.dense.weight)
    assert torch.equal(bert.encoder.layer[2].output.dense.weight, other.encoder.layer[2].output.dense.weight)
    assert not bert.encoder.layer[0].output.dense.weight.requires_grad
    assert bert.encoder.layer[1].output.dense.weight.requires_grad
