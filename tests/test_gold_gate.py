"""Gold gate: the bundled models may not fall below the scores the README reports (slow: reads ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import real_data
from spinscope.evaluate import run

# Floors a little under the README's numbers: int8 and thread scheduling may move a score by a hair.
FLOORS: dict[tuple[str, str], float] = {
    ("genre", "dev"): 0.43,
    ("frames", "dev"): 0.615,
    ("persuasion", "dev"): 0.355,
    ("persuasion-spans", "dev"): 0.245,
    ("narratives", "dev"): 0.33,
    ("checkworthy", "test"): 0.57,
    ("checkworthy", "dev-test"): 0.76,
    ("causal", "dev"): 0.75,
    ("portrayal", "test-rw"): 0.745,
    ("portrayal", "test-mt"): 0.715,
    ("roles", "dev"): 0.19,
    ("cast", "dev"): 0.455,
}
# Without VNNI, ONNX Runtime's int8 dot products (u8 x s8 pairs summed in 16 bits) can saturate, so the
# same int8 models give slightly different states: on an AVX2-only EPYC (2026-12-04) frames dev
# scored 0.609 and cast dev 0.426 (0.619 and 0.475 on the VNNI machines the README's table comes
# from); every other score stayed over its floor (README, *Results*).
NO_VNNI_FLOORS = {("frames", "dev"): 0.60, ("cast", "dev"): 0.415}


def has_vnni() -> bool:
    """Whether this CPU has int8 dot-product instructions (AVX-512 VNNI, AVX-VNNI or AMX), per /proc/cpuinfo."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8").split()
    except OSError:
        return True  # unknown CPU: hold the tighter floors
    return any(f in flags for f in ("avx512_vnni", "avx_vnni", "amx_int8"))


def floor(task: str, split: str) -> float:
    """The floor for this CPU: the no-VNNI one where it is lower and the CPU lacks VNNI."""
    if not has_vnni():
        return NO_VNNI_FLOORS.get((task, split), FLOORS[(task, split)])
    return FLOORS[(task, split)]


@pytest.mark.slow
@pytest.mark.parametrize(("task", "split"), sorted(FLOORS))
def test_bundled_model_holds_its_score(task: str, split: str) -> None:
    result = run(task, real_data(), split)
    assert result.n > 0
    assert result.value >= floor(task, split), f"{task} {split}: {result.metric} {result.value:.3f}"


@pytest.mark.slow
def test_causal_spans_never_overlap_and_hold_their_word_f1() -> None:
    extra = run("causal", real_data(), "dev").extra
    assert extra["overlapping"] == 0.0
    assert extra["cause_word_f1"] >= 0.40 and extra["effect_word_f1"] >= 0.38, extra
