"""Background work scheduled by name, after the transaction commits.

An action queues work without importing the module that defines the task (a task module
imports the actions it runs, so the actions cannot import it): the app registers its task in
its AppConfig.ready(), and the action calls `enqueue_on_commit` with the task's name.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import transaction


class Task(Protocol):
    def enqueue(self, *args: Any) -> Any: ...


_tasks: dict[str, Task] = {}


def register(name: str, task: Task) -> None:
    """Register `task` (a django-tasks task) as `name`."""
    _tasks[name] = task


def enqueue_on_commit(name: str, *args: Any) -> None:
    """Queue the task registered as `name` with `args` once the transaction commits."""
    task = _tasks[name]  # an unregistered name is a programming error, found at once
    transaction.on_commit(lambda: task.enqueue(*args))
