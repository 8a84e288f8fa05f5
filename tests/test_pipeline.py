"""Pipeline.pipe in one process and across worker processes gives the same documents, in order."""

from __future__ import annotations

import pytest

from spinscope import ingest
from spinscope.pipeline import Pipeline, build

TEXTS = [
    f"Article {i}. The council met on Monday. It said the bridge would reopen in {2020 + i}, officials added."
    for i in range(7)
]


def test_worker_processes_give_the_same_documents_in_order() -> None:
    nlp = build(["spinscope.sentences.v1"])
    alone = [doc.to_dict() for doc in nlp.pipe([ingest.from_text(t) for t in TEXTS], batch_size=2)]
    try:
        parallel = [doc.to_dict() for doc in nlp.pipe((ingest.from_text(t) for t in TEXTS), batch_size=2, n_process=2)]
        again = [doc.to_dict() for doc in nlp.pipe([ingest.from_text(t) for t in TEXTS[:3]], batch_size=2, n_process=2)]
    finally:
        nlp.close()
    assert parallel == alone
    assert again == alone[:3]  # the workers are reused by a second call
    assert all(d["sentences"] for d in parallel)


def test_a_hand_made_pipeline_cannot_be_rebuilt_in_workers() -> None:
    with pytest.raises(ValueError, match="build"):
        list(Pipeline([]).pipe([ingest.from_text(TEXTS[0])], n_process=2))


def test_workers_limit_numpy_threads_to_their_share_of_the_cores() -> None:
    from threadpoolctl import threadpool_info

    from spinscope.runtime import physical_cores

    nlp = build(["spinscope.sentences.v1"])
    try:
        list(nlp.pipe([ingest.from_text(TEXTS[0])], n_process=2))
        assert nlp._workers is not None
        pools = nlp._workers.pool.submit(threadpool_info).result()
    finally:
        nlp.close()
    assert any(p["internal_api"] == "openblas" for p in pools)  # numpy's BLAS is loaded in the worker
    assert all(p["num_threads"] == max(1, physical_cores() // 2) for p in pools)


def test_a_lazy_pipeline_loads_models_only_where_it_runs() -> None:
    nlp = build(["spinscope.sentences.v1"], lazy=True)
    assert nlp._components is None and nlp.names == ["spinscope.sentences.v1"]
    try:
        parallel = [d.to_dict() for d in nlp.pipe([ingest.from_text(t) for t in TEXTS[:3]], n_process=2)]
        assert nlp._components is None  # fed the workers without building anything here
    finally:
        nlp.close()
    alone = [d.to_dict() for d in nlp.pipe([ingest.from_text(t) for t in TEXTS[:3]])]
    assert nlp.component_names == ["sentences"]
    assert parallel == alone


def test_plain_texts_are_read_as_from_text_reads_them() -> None:
    from spinscope.errors import SpinscopeError

    nlp = build(["spinscope.sentences.v1"])
    expected = [doc.to_dict() for doc in nlp.pipe([ingest.from_text(t) for t in TEXTS[:3]])]
    assert [doc.to_dict() for doc in nlp.pipe(TEXTS[:3])] == expected
    assert nlp(TEXTS[0]).to_dict() == expected[0]
    with pytest.raises(SpinscopeError):
        nlp("")
    with pytest.raises(TypeError, match="Document or a str"):
        nlp(42)  # type: ignore[arg-type]


def test_workers_and_the_analyze_command_run_without_torch() -> None:
    # spaCy's thinc imports torch whenever it is installed; a process that only analyses blocks it
    # (runtime.skip_torch). Where torch is not installed at all, this holds trivially.
    import importlib
    import subprocess
    import sys
    from pathlib import Path

    nlp = build(["spinscope.sentences.v1"])
    try:
        list(nlp.pipe([ingest.from_text(TEXTS[0])], n_process=2))
        assert nlp._workers is not None
        with pytest.raises(ImportError):
            nlp._workers.pool.submit(importlib.import_module, "torch").result()
    finally:
        nlp.close()
    example = Path(__file__).parents[1] / "examples" / "op-ed.txt"
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from spinscope.cli import app\n"
        f"result = CliRunner().invoke(app, ['analyze', {str(example)!r}, '-f', 'json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert sys.modules.get('torch') is None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_batches_hold_at_most_batch_size_documents_and_a_bounded_number_of_characters() -> None:
    from spinscope.document import Document
    from spinscope.pipeline import BATCH_CHARS, _batches

    short = [Document(text="x" * 10) for _ in range(5)]
    assert [len(b) for b in _batches(iter(short), 2)] == [2, 2, 1]
    long = Document(text="y" * (BATCH_CHARS // 2 + 1))
    huge = Document(text="z" * (2 * BATCH_CHARS))
    sizes = [[len(d.text) for d in b] for b in _batches(iter([short[0], long, long, huge, short[1]]), 8)]
    # the second long text would pass the bound; the huge one makes a batch on its own
    assert sizes == [[10, len(long.text)], [len(long.text)], [len(huge.text)], [10]]


def test_a_full_batch_is_handed_on_before_the_next_document_is_read() -> None:
    from spinscope.document import Document
    from spinscope.pipeline import _batches

    def docs():
        yield Document(text="a")
        yield Document(text="b")
        raise RuntimeError("the third document could not be read")

    batches = _batches(docs(), 2)
    assert [d.text for d in next(batches)] == ["a", "b"]
    with pytest.raises(RuntimeError):
        next(batches)
