"""The action census: every use case is declared with `authority.action`, and that declaration
holds: no actor, no action; the system only where an action says so; no check, no result."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

import daihoi
from daihoi.accounts import authority
from daihoi.accounts.authority import SYSTEM, action, action_spec, require_role
from daihoi.core import hooks

APPS = sorted(m.name for m in pkgutil.iter_modules(daihoi.__path__) if m.ispkg and m.name != "demo")


def _action_modules() -> list[ModuleType]:
    modules = []
    for app in APPS:
        try:
            package = importlib.import_module(f"daihoi.{app}.actions")
        except ModuleNotFoundError:
            continue
        modules.append(package)
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            modules.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    return modules


def _use_cases() -> list[tuple[str, Any]]:
    """Every public function defined in an actions module that takes an actor."""
    found: dict[str, Any] = {}
    for module in _action_modules():
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if inspect.unwrap(fn).__module__ != module.__name__:
                continue
            if fn in hooks.listeners():
                continue  # runs inside the acting action (a hook), under its checks
            actor = inspect.signature(fn).parameters.get("actor")
            if (actor and actor.kind is actor.KEYWORD_ONLY) or action_spec(fn):
                found[f"{module.__name__}.{name}"] = fn
    return sorted(found.items())


USE_CASES = _use_cases()


def test_the_census_finds_the_use_cases_of_every_app_with_actions() -> None:
    apps = {name.split(".")[1] for name, _ in USE_CASES}
    assert {"accounts", "organizations", "congresses", "conduct", "elections"} <= apps
    assert len(USE_CASES) > 50


@pytest.mark.parametrize("name,fn", USE_CASES, ids=[n for n, _ in USE_CASES])
def test_every_use_case_is_a_declared_action(name: str, fn: Any) -> None:
    assert action_spec(fn) is not None, f"{name} is not declared with @authority.action"


def test_the_system_callable_actions_are_the_declared_ones() -> None:
    system = sorted(n.rsplit(".", 1)[1] for n, fn in USE_CASES if action_spec(fn).system)
    # Four-eyes confirmations are never system-callable: they need two people.
    for four_eyes in ("result_confirm", "paper_tally_confirm", "paper_ballot_confirm"):
        assert four_eyes not in system
    assert "units_import" in system and "members_import" in system


@action(system=True)
def _checks_nothing(*, actor: Any) -> str:
    return "written"


@action()
def _checks_the_unit(*, actor: Any, unit: Any) -> str:
    require_role(actor, unit, ["organizer"])
    return "written"


@action(system=True)
def _system_may(*, actor: Any, unit: Any) -> str:
    require_role(actor, unit, ["organizer"])
    return "written"


def test_an_action_without_a_permission_check_refuses_to_return(db: Any) -> None:
    with pytest.raises(ImproperlyConfigured, match="made no permission check"):
        _checks_nothing(actor=SYSTEM)


def test_actor_none_is_not_an_actor(province: Any) -> None:
    with pytest.raises(TypeError, match="actor=None"):
        _checks_the_unit(actor=None, unit=province["d1"])
    with pytest.raises(TypeError, match="needs actor"):
        _checks_the_unit(unit=province["d1"])


def test_the_system_acts_only_where_the_action_says_it_may(province: Any) -> None:
    with pytest.raises(PermissionDenied):
        _checks_the_unit(actor=SYSTEM, unit=province["d1"])
    assert _system_may(actor=SYSTEM, unit=province["d1"]) == "written"


def test_a_user_outside_the_subtree_is_refused(province: Any, organizer_d1: Any) -> None:
    assert _checks_the_unit(actor=organizer_d1, unit=province["d1"]) == "written"
    with pytest.raises(PermissionDenied):
        _checks_the_unit(actor=organizer_d1, unit=province["d2"])


def test_require_higher_needs_a_grant_strictly_above(
    province: Any, organizer_d1: Any, organizer_province: Any
) -> None:
    @action()
    def decide(*, actor: Any, unit: Any) -> None:
        authority.require_higher(actor, unit)

    with pytest.raises(PermissionDenied):
        decide(actor=organizer_d1, unit=province["d1"])
    decide(actor=organizer_province, unit=province["d1"])
    with pytest.raises(PermissionDenied):
        decide(actor=organizer_province, unit=province["province"])


def _coded_per_field(call: Any) -> bool:
    """`ValidationError({"field": ValidationError(message, code=...)})` carries its codes."""
    import ast

    if not call.args or not isinstance(call.args[0], ast.Dict):
        return False

    def coded(v: Any) -> bool:
        if isinstance(v, ast.List | ast.ListComp):
            return coded(v.elts[0] if isinstance(v, ast.List) else v.elt)
        if not isinstance(v, ast.Call):
            return False
        name = getattr(v.func, "id", "")
        if name == "ValidationError":
            return any(k.arg == "code" for k in v.keywords)
        return name == "refusal"  # core.errors.refusal builds a coded ValidationError

    return all(coded(v) for v in call.args[0].values)


def test_every_refusal_an_action_raises_carries_a_stable_code() -> None:
    """No bare `ValidationError(...)` in actions: `core.errors.refusal` or `field_errors`, or
    an explicit `code=`."""
    import ast
    from pathlib import Path

    bare = []
    for module in _action_modules():
        path = Path(module.__file__ or "")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "ValidationError"
                and not any(k.arg == "code" for k in node.keywords)
                and not _coded_per_field(node)
            ):
                bare.append(f"{path.name}:{node.lineno}")
    assert bare == []
