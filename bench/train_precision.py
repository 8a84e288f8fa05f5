"""One training step of the base encoder under bf16 autocast and in fp32, on this machine.

    python bench/train_precision.py [--layers 3] [--batch 8] [--tokens 64] [--repeats 3] [--threads 1]

Forward and backward passes of the first ``--layers`` layers of all-MiniLM-L6-v2 (the local base
package, as ``spinscope train`` loads it) on random word pieces, alternating the two precisions, and
prints the median seconds per step of each. This is the measurement behind ``train/precision.py``:
bf16 autocast only where the CPU has native bf16. Needs the [train] extra.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch

from spinscope.train.encoder import load_base
from spinscope.train.precision import bf16_native


def step(model: torch.nn.Module, ids: torch.Tensor, bf16: bool) -> float:
    """Seconds for one forward and backward pass."""
    start = time.perf_counter()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        states = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
    states.float().pow(2).mean().backward()
    model.zero_grad()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = load_base(args.layers).train()
    ids = torch.randint(1000, 20000, (args.batch, args.tokens))
    times: dict[str, list[float]] = {"bf16": [], "fp32": []}
    for bf16 in (True, False):  # warm-up: the first step of each precision builds its kernels
        step(model, ids, bf16)
    for _ in range(args.repeats):
        for bf16 in (True, False):
            times["bf16" if bf16 else "fp32"].append(step(model, ids, bf16))
    result = {
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "bf16_native": bf16_native(),
        **{f"{k}_s_per_step": round(statistics.median(v), 3) for k, v in times.items()},
        "layers": args.layers, "batch": args.batch, "tokens": args.tokens, "threads": args.threads, "repeats": args.repeats,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
