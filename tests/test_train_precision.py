"""bf16 autocast is used only where it pays; SPINSCOPE_BF16 overrides the CPU check."""

from __future__ import annotations

import pytest

from spinscope.train import precision


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("0", False)])
def test_the_environment_overrides_the_cpu_check(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("SPINSCOPE_BF16", value)
    assert precision.use_bf16() is expected


def test_without_an_override_the_cpu_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("torch")
    monkeypatch.delenv("SPINSCOPE_BF16", raising=False)
    monkeypatch.setattr(precision, "bf16_native", lambda: False)
    assert precision.use_bf16() is False
    monkeypatch.setattr(precision, "bf16_native", lambda: True)
    assert precision.use_bf16() is True


def test_autocast_is_off_in_fp32(monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    monkeypatch.setenv("SPINSCOPE_BF16", "0")
    with precision.autocast():
        out = torch.ones(2, 2) @ torch.ones(2, 2)
    assert out.dtype == torch.float32
    monkeypatch.setenv("SPINSCOPE_BF16", "1")
    with precision.autocast():
        out = torch.ones(2, 2) @ torch.ones(2, 2)
    assert out.dtype == torch.bfloat16
