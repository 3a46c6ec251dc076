"""`daihoi.asgi:application` with its garbage collections timed on stderr (the voting
benchmark serves this with DAIHOI_BENCH_GC_TRACE=1): every full collection, and any other
taking more than 5 ms."""

from __future__ import annotations

import gc
import os
import sys
import time
from typing import Any

from daihoi.asgi import application

__all__ = ["application"]

_started: list[float] = [0.0]


def _timed(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _started[0] = time.perf_counter()
        return
    took = time.perf_counter() - _started[0]
    if info["generation"] == 2 or took > 0.005:
        print(
            f"gc pid {os.getpid()} generation {info['generation']}: {took * 1000:.1f} ms, "
            f"{info['collected']} collected, {len(gc.get_objects())} objects tracked",
            file=sys.stderr,
        )


gc.callbacks.append(_timed)
