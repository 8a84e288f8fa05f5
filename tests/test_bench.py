"""The benchmarks still run and report their fields (slow: read ../shared/data; no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import real_data

BENCH = Path(__file__).resolve().parents[1] / "bench" / "throughput.py"


@pytest.mark.slow
def test_throughput_benchmark_reports_every_field() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--data",
            str(real_data()),
            "--n",
            "3",
            "--repeats",
            "1",
            "--no-baseline",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result = json.loads(out.stdout)
    assert result["n"] == 3
    assert result["articles_per_s"] > 0 and result["peak_rss_mb"] > 0
    assert {"sentences", "encoder", "genre", "frames"} <= set(result["components"])
    assert {"baseline_articles_per_s", "ratio"} <= set(result)


@pytest.mark.slow
def test_portrayal_against_roles_reports_every_role() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH.with_name("portrayal_roles.py")), "--data", str(real_data()), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    roles = json.loads(out.stdout)["roles"]
    assert set(roles) == {"Antagonist", "Protagonist", "Innocent"}
    for row in roles.values():
        assert row["mentions"] > 0
        assert sum(row[lab] for lab in ("negative", "neutral", "positive")) == pytest.approx(1.0, abs=0.01)


@pytest.mark.slow
def test_int8_precision_benchmark_reports_both_modes() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH.with_name("int8_precision.py")), "--data", str(real_data()), "--n", "2", "--repeats", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result = json.loads(out.stdout)
    assert result["articles"] == 2 and result["exact_ms_per_article"] > 0 and result["fast_ms_per_article"] > 0
    assert 0.9 < result["cosine_exact_fast_min"] <= result["cosine_exact_fast_mean"] <= 1.0 + 1e-6
    # Where the CPU has VNNI the two modes run the same exact kernels.
    if result["vnni"]:
        assert result["cosine_exact_fast_min"] > 0.99999


def _bench_json(script: str, *args: str, timeout: int = 300) -> dict:
    out = subprocess.run(
        [sys.executable, str(BENCH.with_name(script)), "--data", str(real_data()), *args, "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )
    return json.loads(out.stdout)


@pytest.mark.slow
def test_claims_share_benchmark_reports_the_list_length_on_op_eds() -> None:
    result = _bench_json("claims_share.py", "--n", "3", "--processes", "1")
    assert result["articles"] == 3
    for name in ("claims", "checkworthy", "causal", "causal_only"):
        assert 0.0 <= result[name]["median"] <= result[name]["p90"] <= 1.0
    assert result["checkworthy"]["median"] <= result["claims"]["median"]
    assert result["causal_only"]["median"] <= result["causal"]["median"]


@pytest.mark.slow
def test_checkworthy_oped_benchmark_scores_the_listed_claims_against_every_labelled_sentence() -> None:
    result = _bench_json("checkworthy_oped.py")
    assert result["unlabelled_sentences"] == 0  # every sentence the pipeline splits has a label
    assert result["thresholds"]["in_use"] == pytest.approx(result["thresholds"]["design_f1_best"])
    for sample in ("design", "test"):
        r = result[sample]
        assert r["articles"] == 6 and 0 < r["checkworthy_by_labels"] < r["sentences"]
        for name in ("in_use", "checkthat_dev", "design_f1_best"):
            assert 0.0 <= r[name]["precision"] <= 1.0 and 0.0 <= r[name]["recall"] <= 1.0
            assert r[name]["listed"] / r["sentences"] <= r[name]["claims_share"] + 1e-9
    assert len(result["articles"]) == 12


@pytest.mark.slow
def test_actors_oped_benchmark_matches_every_labelled_actor() -> None:
    result = _bench_json("actors_oped.py")
    assert result["articles"] == 10 and result["actors"] == len(result["rows"]) > 50
    assert result["merged"] <= result["found"] <= result["actors"]
    assert result["portrayal_agrees"] == sum(c["agrees"] for c in result["portrayal_by_gold"].values())
    assert all(r["portrayal"] in ("positive", "negative", "neutral") for r in result["rows"] if r["found"])
    design = _bench_json("actors_oped.py", "--sample", "design")
    assert design["articles"] == 30 and design["actors"] == len(design["rows"]) > 150
    assert design["portrayal_agrees"] <= design["found"] <= design["actors"]


def test_actors_oped_names_match_ignoring_case_article_honorific_and_possessive() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("actors_oped", BENCH.with_name("actors_oped.py"))
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.norm("Sir Alex  Younger") == bench.norm("alex younger") == "alex younger"
    assert bench.norm("The European Union's") == "european union"
    assert bench.norm("Dr. Ruth") == "ruth" and bench.norm("Sirte") == "sirte"


@pytest.mark.slow
def test_page_chrome_benchmark_lists_what_it_dropped() -> None:
    result = _bench_json("page_chrome.py")
    semeval = result["semeval2023_en_train"]
    assert semeval["articles"] > 400 and semeval["lines_dropped"] == sum(n for _, n in semeval["dropped"])
    assert result["webis_editorials"]["articles"] > 200


@pytest.mark.slow
def test_roles_learning_curve_reproduces_the_trainers_cv_at_the_full_share() -> None:
    pytest.importorskip("sklearn", reason="the role heads are fitted with the [train] extra")
    result = _bench_json("roles_learning_curve.py", "--shares", "1", timeout=600)
    (row,) = result["rows"]
    assert row["cv_emr"] == pytest.approx(result["bundled_cv"]["emr"], abs=1e-4)
    assert row["cv_main_acc"] == pytest.approx(result["bundled_cv"]["main_acc"], abs=1e-4)


@pytest.mark.slow
def test_narratives_off_topic_benchmark_gives_no_narrative_where_neither_domain_is_named() -> None:
    result = _bench_json("narratives_off_topic.py", "--split", "train", timeout=600)
    assert result["articles"] > 300 and result["given_a_narrative"] == 0
    assert result["turned_away_by_the_domain_words"] > 0  # what the heads alone would have given
    assert all(0 <= none <= n for none, n in result["semeval2025_train_narratives_unnamed"].values())
