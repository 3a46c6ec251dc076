"""Materialized paths for many new units at once, without one query per unit.

treebeard's `add_child` costs several queries per node; loading a province or a national
dataset needs thousands of nodes. `PathAllocator` hands out the same paths treebeard would
(parent path + a 4-character base-36 step) and keeps `numchild` right, so the result is an
ordinary treebeard tree.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F

from daihoi.organizations.models import Unit

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = Unit.steplen


def step(number: int) -> str:
    """The path step for the `number`-th child (1-based): 1 -> "0001", 36 -> "0010"."""
    if not 0 < number < len(ALPHABET) ** STEPLEN:
        raise ValueError(f"no path step for child number {number}")
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def step_number(digits: str) -> int:
    return int(digits, len(ALPHABET))


class PathAllocator:
    """Allocates child paths under existing or new parents; `flush_numchild` fixes counts.

    New units get `numchild` from the allocator (set it before `bulk_create`); existing
    parents get theirs raised by `flush_numchild()` after the insert.
    """

    def __init__(self) -> None:
        self._last: dict[str, int] = {}
        self._added_to_existing: dict[str, int] = defaultdict(int)
        self._new: set[str] = set()

    def _last_step(self, parent_path: str) -> int:
        if parent_path not in self._last:
            if parent_path in self._new:
                self._last[parent_path] = 0
            else:
                depth = len(parent_path) // STEPLEN + 1
                last = (
                    Unit.objects.filter(path__startswith=parent_path, depth=depth)
                    .order_by("-path")
                    .values_list("path", flat=True)
                    .first()
                )
                self._last[parent_path] = step_number(last[-STEPLEN:]) if last else 0
        return self._last[parent_path]

    def child_path(self, parent_path: str) -> str:
        """A fresh path under `parent_path` ("" for a new root)."""
        number = self._last_step(parent_path) + 1
        self._last[parent_path] = number
        if parent_path and parent_path not in self._new:
            self._added_to_existing[parent_path] += 1
        path = parent_path + step(number)
        self._new.add(path)
        return path

    def numchild(self, path: str) -> int:
        """Children allocated under a new unit's `path`."""
        return self._last.get(path, 0)

    def flush_numchild(self) -> None:
        for path, added in self._added_to_existing.items():
            Unit.objects.filter(path=path).update(numchild=F("numchild") + added)
        self._added_to_existing.clear()
