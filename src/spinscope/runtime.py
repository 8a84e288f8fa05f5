"""Loading bundled ONNX models and tokenizers for inference: ONNX Runtime on CPU, no torch."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ModelNotFound

if TYPE_CHECKING:
    import onnxruntime
    import tokenizers

MODELS_DIR = Path(__file__).resolve().parent / "models"


def physical_cores() -> int:
    """Physical cores usable by this process (hyper-threads share one core's matmul units)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    threads_per_core = 1
    try:
        # lscpu's "Thread(s) per core" without spawning a process: count siblings of cpu0.
        siblings = Path("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list").read_text().strip()
        threads_per_core = sum(
            (int(b) - int(a) + 1) if "-" in part else 1
            for part in siblings.split(",")
            for a, _, b in [part.partition("-")]
        )
    except (OSError, ValueError):
        pass
    return max(1, usable // max(1, threads_per_core))


@cache
def int8_dot_products_saturate() -> bool:
    """Whether ONNX Runtime's fast int8 kernels can saturate on this CPU (see :func:`saturates`)."""
    import platform

    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        flags = None
    return saturates(platform.machine(), flags)


def saturates(machine: str, cpu_flags: set[str] | None) -> bool:
    """Whether int8 dot products saturate in ONNX Runtime's fast kernels on this machine and CPU: x86 without VNNI.

    There they multiply uint8 activations by int8 weights with VPMADDUBSW, which adds pairs of
    products in 16 bits. With VNNI (AVX512-VNNI, AVX-VNNI, AMX) the fast kernels accumulate in 32 bits
    and give the same states as the exact ones, bit for bit; other architectures never take this path.
    Unknown flags (no /proc/cpuinfo) count as saturating, so the states stay exact.
    """
    if machine.lower() not in {"x86_64", "amd64", "i386", "i686", "x86"}:
        return False
    return cpu_flags is None or not cpu_flags & {"avx512_vnni", "avx_vnni", "amx_int8"}


def exact_int8() -> bool:
    """Whether sessions ask for ONNX Runtime's exact int8 kernels.

    By default only where the fast ones saturate (``int8_dot_products_saturate``): elsewhere the exact
    kernels give the same states at about twice the encoder time (``python bench/int8_precision.py``).
    ``SPINSCOPE_EXACT_INT8=1`` or ``=0`` forces either.
    """
    setting = os.environ.get("SPINSCOPE_EXACT_INT8", "")
    if setting in {"0", "1"}:
        return setting == "1"
    return int8_dot_products_saturate()


def feature_cache(kind: str, fingerprint: str) -> Path:
    """The folder (made if missing) where training keeps ``kind`` features computed by encoder ``fingerprint``.

    Under ``SPINSCOPE_CACHE`` (default ``~/.cache/spinscope``). The fast int8 kernels give other states
    on CPUs without VNNI, so features computed with them there get a folder of their own.
    """
    root = Path(os.environ.get("SPINSCOPE_CACHE", Path.home() / ".cache" / "spinscope"))
    drifted = not exact_int8() and int8_dot_products_saturate()
    path = root / kind / (fingerprint[:16] + ("-fast-int8" if drifted else ""))
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_session(path: Path | str) -> onnxruntime.InferenceSession:
    """An ONNX Runtime CPU session for the model at ``path``, built once per path and process."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ModelNotFound(f"model file {path} is missing; reinstall spinscope or re-export the model")
    return _session(path)


@cache
def _session(path: Path) -> onnxruntime.InferenceSession:
    import onnxruntime as ort

    options = ort.SessionOptions()
    # One thread per physical core: more threads than cores only adds contention on 2 cores.
    options.intra_op_num_threads = int(os.environ.get("SPINSCOPE_THREADS") or physical_cores())
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: spinning wins a few per cent on an idle machine but
    # loses a third of the speed when anything else runs (measured on 2 cores: 64 vs 46 paragraphs/s).
    options.add_session_config_entry("session.intra_op.allow_spinning", os.environ.get("SPINSCOPE_SPIN", "0"))
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Our batches change shape every call; the arena would keep the largest shape's memory forever.
    options.enable_cpu_mem_arena = False
    # On x86 CPUs without VNNI (AVX2, AVX-512 without VNNI), ONNX Runtime multiplies uint8 activations
    # by int8 weights with VPMADDUBSW, which adds pairs of products in 16 bits and saturates; with this
    # option it uses exact uint8 x uint8 kernels there. Without it an AVX2-only EPYC scored the unchanged
    # models 0.609 frames / 0.426 cast against 0.619 / 0.475 with VNNI. On VNNI CPUs the fast kernels are
    # already exact (the same states bit for bit) and the option only doubles the encoder's time
    # (223 vs 117 ms per article on an AVX512-VNNI EPYC), so it is set only where it changes the states.
    options.add_session_config_entry("session.x64quantprecision", "1" if exact_int8() else "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def load_tokenizer(path: Path | str) -> tokenizers.Tokenizer:
    """The ``tokenizers`` tokenizer stored at ``path`` (a tokenizer.json), built once per path."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ModelNotFound(f"tokenizer file {path} is missing; reinstall spinscope or re-export the model")
    return _tokenizer(path)


@cache
def _tokenizer(path: Path) -> tokenizers.Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    # Callers handle padding and truncation themselves (windows, length buckets).
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def skip_torch() -> None:
    """Make ``import torch`` fail in this process, unless torch is already imported.

    spaCy's thinc imports torch whenever it is installed, only to offer torch-backed layers that the
    pipelines spinscope loads do not use (inference runs on ONNX Runtime). In a process that only
    analyses (a ``pipe(n_process=…)`` worker, ``spinscope analyze``) that import cost 184 MB of memory
    and about a second. A ``None`` entry in ``sys.modules`` is Python's documented way to make an
    import raise ``ImportError``; thinc then runs without torch, as on an install without it.
    """
    import sys

    sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
