"""A rulebook as a list of rules to read: every cited value with its place, in file order.

Pure Python, no Django import. `rules` walks `Rulebook.cited_values`, so nothing the
rulebook cites is left out; `pattern` is the path with levels, kinds and list positions
replaced by `*`, which is what a reader's label is chosen by (`rulebooks.display`). `diff`
pairs the rules of two rulebooks by path for a side-by-side comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from daihoi.rulebooks.schema import Cited, Rulebook

# The sections of the browser page, in the order a reader meets them in the cycle.
SECTIONS = (
    "congress_types",
    "schedule",
    "age",
    "standards",
    "structure",
    "election",
    "delegates",
    "complaints",
    "personnel",
    "transitions",
    "emulation",
)
_SECTION_OF = {
    "congress_types": "congress_types",
    "type_assignment": "congress_types",
    "schedule": "schedule",
    "age": "age",
    "retirement": "age",
    "standards": "standards",
    "structure": "structure",
    "election": "election",
    "delegates": "delegates",
    "complaints": "complaints",
    "personnel": "personnel",
    "transitions": "transitions",
    "emulation": "emulation",
}
# Path segments that name a level or a kind of unit: the pattern keeps `*` in their place.
_KEYED = re.compile(
    r"^(schedule|type_assignment\.by_level|delegates\.max_delegates_by_level"
    r"|complaints\.resolution_days_by_level|complaints\.deadlines\.extension_days_by_level)"
    r"\.([a-z0-9_]+)"
)
_KIND = re.compile(r"\.age_reference_by_unit_kind\.([a-z0-9_]+)")
_INDEX = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Rule:
    path: str  # "schedule.province.earliest"
    pattern: str  # "schedule.*.earliest"
    section: str
    level: str  # the level the rule is about, if any
    kind: str  # the kind of unit (age reference by kind), if any
    item: str  # the code of the list item or congress type it belongs to, if any
    cited: Cited[Any]

    @property
    def anchor(self) -> str:
        return anchor(self.path)


def anchor(path: str) -> str:
    """An HTML id for the rule at `path`: only letters, digits, `-` and `_`."""
    return "rule-" + re.sub(r"[^a-z0-9_]+", "-", path).strip("-")


def pattern_of(path: str) -> str:
    pattern = _KEYED.sub(lambda m: f"{m.group(1)}.*", path)
    pattern = _KIND.sub(".age_reference_by_unit_kind.*", pattern)
    return _INDEX.sub("[*]", pattern)


def _item_code(book: Rulebook, path: str) -> str:
    match = re.match(r"^congress_types\[(\d+)\]", path)
    if match:
        return book.congress_types[int(match.group(1))].code
    return ""


def rules(book: Rulebook) -> list[Rule]:
    """Every cited value of `book`, in file order."""
    out: list[Rule] = []
    for path, cited in book.cited_values():
        keyed = _KEYED.match(path)
        kind = _KIND.search(path)
        value_code = getattr(cited.value, "code", "")
        out.append(
            Rule(
                path=path,
                pattern=pattern_of(path),
                section=_SECTION_OF[path.split(".")[0].split("[")[0]],
                level=keyed.group(2) if keyed else "",
                kind=kind.group(1) if kind else "",
                item=_item_code(book, path) or (value_code if isinstance(value_code, str) else ""),
                cited=cited,
            )
        )
    return out


_RULE_INDEX: dict[int, tuple[Rulebook, dict[str, Rule]]] = {}


def rule_at(book: Rulebook, path: str) -> Rule | None:
    """The rule at `path` of `book`; the rules of a rulebook are listed once (a page that
    names fifty rules asks fifty times)."""
    entry = _RULE_INDEX.get(id(book))
    if entry is None or entry[0] is not book:
        if len(_RULE_INDEX) > 32:  # rulebooks loaded anew (a cleared cache): forget the old
            _RULE_INDEX.clear()
        index: dict[str, Rule] = {}
        for rule in rules(book):
            index.setdefault(rule.path, rule)
        entry = _RULE_INDEX[id(book)] = (book, index)
    return entry[1].get(path)


def by_section(book: Rulebook) -> list[tuple[str, list[Rule]]]:
    grouped: dict[str, list[Rule]] = {s: [] for s in SECTIONS}
    for rule in rules(book):
        grouped[rule.section].append(rule)
    return [(s, grouped[s]) for s in SECTIONS if grouped[s]]


@dataclass(frozen=True)
class RulePair:
    """One path in two rulebooks: the rule before and after (None where it is missing)."""

    path: str
    old: Rule | None
    new: Rule | None

    @property
    def changed(self) -> bool:
        if self.old is None or self.new is None:
            return True
        a, b = self.old.cited, self.new.cited
        return (a.value, a.source, a.unverified) != (b.value, b.source, b.unverified)

    @property
    def rule(self) -> Rule:
        found = self.new or self.old
        assert found is not None
        return found


def diff(old: Rulebook, new: Rulebook, *, changed_only: bool = False) -> list[RulePair]:
    """The rules of both rulebooks paired by path, in the newer rulebook's order."""
    before = {r.path: r for r in rules(old)}
    after = rules(new)
    pairs = [RulePair(r.path, before.get(r.path), r) for r in after]
    seen = {r.path for r in after}
    pairs += [RulePair(p, r, None) for p, r in before.items() if p not in seen]
    return [p for p in pairs if p.changed] if changed_only else pairs


def rules_for_congress(
    book: Rulebook, *, level: str, congress_type: str, window_rule: str = ""
) -> list[Rule]:
    """The rules that decide one congress: its type's contents and bodies, the type's
    assignment, its level's schedule (or the rule for units formed mid-cycle that set its
    window)."""
    wanted: list[Rule] = []
    for rule in rules(book):
        own_type = rule.section == "congress_types" and rule.item == congress_type
        assigned = rule.path.startswith("type_assignment.") and rule.cited.value == congress_type
        if own_type or assigned:
            wanted.append(rule)
        elif rule.path.startswith(f"schedule.{level}."):
            if ".formed_mid_cycle[" in rule.path and rule.path != window_rule:
                continue
            wanted.append(rule)
    return wanted
