"""Explicit extension points between domain apps.

A domain app that must react to another's action registers a function here in its
AppConfig.ready(); the acting app calls the hook inside its transaction. This keeps the
dependency one-way (organizations never imports congresses) without implicit signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_reorganization_listeners: list[Callable[..., object]] = []
_seated_listeners: list[Callable[..., object]] = []


def on_reorganization(listener: Callable[..., object]) -> Callable[..., object]:
    """Register `listener(*, actor, reorganization)`; it runs inside the reorganizing action."""
    if listener not in _reorganization_listeners:
        _reorganization_listeners.append(listener)
    return listener


def listeners() -> list[Callable[..., object]]:
    """Every registered listener (they run inside another action, under its checks)."""
    return [*_reorganization_listeners, *_seated_listeners, *_transition_listeners]


def reorganization_applied(*, actor: Any, reorganization: Any) -> None:
    for listener in _reorganization_listeners:
        listener(actor=actor, reorganization=reorganization)


def on_committee_seated(listener: Callable[..., object]) -> Callable[..., object]:
    """Register `listener(*, actor, congress, body)`; it runs when a congress's new body takes
    office (an election released or an appointment recorded), inside that action."""
    if listener not in _seated_listeners:
        _seated_listeners.append(listener)
    return listener


def committee_seated(*, actor: Any, congress: Any, body: str) -> None:
    for listener in _seated_listeners:
        listener(actor=actor, congress=congress, body=body)


_transition_listeners: list[Callable[..., None]] = []


def on_congress_transition(listener: Callable[..., None]) -> Callable[..., None]:
    """Register `listener(*, actor, congress, transition)`; it runs inside the transition."""
    if listener not in _transition_listeners:
        _transition_listeners.append(listener)
    return listener


def congress_transitioned(*, actor: Any, congress: Any, transition: str) -> None:
    for listener in _transition_listeners:
        listener(actor=actor, congress=congress, transition=transition)


# Blocking flags on a personnel plan's approval ------------------------------------------
#
# Another app (e.g. complaints and denunciations) contributes reasons why a plan may not be
# approved yet, without personnel importing it: `provider(*, plan) -> list[(code, message)]`.

_plan_flag_providers: list[Callable[..., list[tuple[str, str]]]] = []


def on_plan_approval(
    provider: Callable[..., list[tuple[str, str]]],
) -> Callable[..., list[tuple[str, str]]]:
    """Register `provider(*, plan)`; it returns the (code, message) flags blocking approval."""
    if provider not in _plan_flag_providers:
        _plan_flag_providers.append(provider)
    return provider


def remove_plan_approval_provider(provider: Callable[..., Any]) -> None:
    if provider in _plan_flag_providers:
        _plan_flag_providers.remove(provider)


def plan_blocking_flags(*, plan: Any) -> list[tuple[str, str]]:
    """Every flag the registered providers raise against approving `plan`."""
    flags: list[tuple[str, str]] = []
    for provider in _plan_flag_providers:
        flags.extend(provider(plan=plan))
    return flags


# Read-only contributions to other apps' pages and e-mails ---------------------------------
#
# An app above shows a line on a page or in a digest of an app below it without that app
# importing it: `candidate_notes` on a personnel plan's candidate line, `congress_lines` on a
# congress page, `digest_sections` in the daily deadline digest. Providers only read.

_candidate_note_providers: list[Callable[..., list[str]]] = []
_congress_line_providers: list[Callable[..., list[tuple[str, str]]]] = []
_digest_providers: list[Callable[..., list[str]]] = []


def on_candidate_note(provider: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """Register `provider(*, candidate) -> [text]`, shown on a plan's candidate line."""
    if provider not in _candidate_note_providers:
        _candidate_note_providers.append(provider)
    return provider


def candidate_notes(*, candidate: Any) -> list[str]:
    return [note for p in _candidate_note_providers for note in p(candidate=candidate)]


def on_congress_line(
    provider: Callable[..., list[tuple[str, str]]],
) -> Callable[..., list[tuple[str, str]]]:
    """Register `provider(*, congress, user) -> [(text, url)]`, shown on a congress page."""
    if provider not in _congress_line_providers:
        _congress_line_providers.append(provider)
    return provider


def congress_lines(*, congress: Any, user: Any) -> list[tuple[str, str]]:
    return [line for p in _congress_line_providers for line in p(congress=congress, user=user)]


def on_digest(provider: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """Register `provider(*, user, on) -> [text block]`, appended to the daily digest."""
    if provider not in _digest_providers:
        _digest_providers.append(provider)
    return provider


def digest_sections(*, user: Any, on: Any) -> list[str]:
    return [block for p in _digest_providers for block in p(user=user, on=on)]
