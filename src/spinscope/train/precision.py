"""Mixed precision for training on the CPU: bf16 autocast only where the CPU computes bf16 natively.

Without AVX512-BF16 or AMX, PyTorch emulates bf16 matrix products, and autocast makes training far
slower, not faster: on a 2-core AVX2 EPYC, one step of a 3-layer MiniLM (batch 8 x 64 tokens, one
thread) took 5.5 s under bf16 autocast and 0.44 s in fp32 (``bench/train_precision.py``).
``SPINSCOPE_BF16=1`` or ``=0`` overrides.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager


def bf16_native() -> bool:
    """Whether this CPU has bf16 arithmetic (AVX512-BF16 or AMX tiles), as PyTorch sees it."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


def use_bf16() -> bool:
    """bf16 autocast on or off: ``SPINSCOPE_BF16`` if set, else whether the CPU has bf16 natively."""
    forced = os.environ.get("SPINSCOPE_BF16")
    return forced == "1" if forced in ("0", "1") else bf16_native()


def autocast() -> AbstractContextManager:
    """``torch.autocast`` to bf16 on the CPU where it pays (see the module docstring), else fp32."""
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16())
