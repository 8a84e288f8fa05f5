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
