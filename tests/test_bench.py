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
