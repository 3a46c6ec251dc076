"""`daihoi demo`: build the demo province and whatever the apps add to it. Idempotent."""

from __future__ import annotations

import inspect
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from daihoi.core import clock
from daihoi.demo.cycle import AS_OF
from daihoi.demo.steps import STEPS
from daihoi.organizations.models import Unit


class Command(BaseCommand):
    help = "Load the demo province (Hai Duong scale) and the demo accounts; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's story is told as of its own day, whatever the real date (or DAIHOI_TODAY).
        with clock.pinned(AS_OF):
            self._build()

    def _build(self) -> None:
        root = None
        started = time.perf_counter()
        for number, dotted in enumerate(STEPS, start=1):
            step = import_string(dotted)
            # A line before each step, so a long build shows where it is.
            self.stdout.write(f"[{number}/{len(STEPS)}] {dotted} …")
            self.stdout.flush()
            t0 = time.perf_counter()
            wants_stdout = "stdout" in inspect.signature(step).parameters
            result = step(root=root, stdout=self.stdout) if wants_stdout else step(root=root)
            if isinstance(result, Unit):  # the cycle step returns its Cycle, not a new root
                root = result
            self.stdout.write(f"  {dotted}: {time.perf_counter() - t0:.1f} s")
        self.stdout.write(f"Demo ready in {time.perf_counter() - started:.1f} s.")
