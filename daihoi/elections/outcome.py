"""The counted result of one election round, typed.

`Election.result` stores it as JSON (what the API returns and what older rows hold);
`ElectionResult.from_json` reads that JSON once and everything else reads attributes, never
string keys. `to_json` writes the same shape back, so stored results and the API's `result`
object keep their form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Runoff:
    """A tie at the last seat(s): the tied candidates and the seats they compete for."""

    candidates: tuple[str, ...]
    seats: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Runoff | None:
        if not data:
            return None
        return cls(candidates=tuple(map(str, data["candidates"])), seats=int(data["seats"]))

    def to_json(self) -> dict[str, Any]:
        return {"candidates": list(self.candidates), "seats": self.seats}


@dataclass(frozen=True)
class ElectionResult:
    """Figures, votes and outcome of a counted round. Candidate ids are strings."""

    slate: tuple[str, ...]
    seats: int
    entitled: int
    issued: int
    returned: int
    not_returned: int
    valid: int
    invalid: int
    votes: tuple[tuple[str, int], ...]  # every candidate, most votes first
    threshold: int
    elected: tuple[str, ...]
    ballot_form: str
    found_not_issued: int = 0
    entitled_derivation: tuple[tuple[str, int], ...] = ()
    invalid_by_reason: Mapping[str, int] = field(default_factory=dict)
    runoff: Runoff | None = None
    unfilled_seats: int = 0
    # Delegate elections: officials first, then alternates in order, from one list.
    is_delegate_list: bool = False
    delegates: tuple[str, ...] = ()
    alternates: tuple[str, ...] = ()
    delegate_runoff: Runoff | None = None
    alternate_ties: tuple[tuple[str, ...], ...] = ()
    audit_checkpoint: str = ""

    # Reading and writing the stored JSON -----------------------------------------------

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ElectionResult:
        return cls(
            slate=tuple(map(str, data.get("slate", ()))),
            seats=int(data.get("seats", 0)),
            entitled=int(data.get("entitled", 0)),
            issued=int(data.get("issued", 0)),
            returned=int(data.get("returned", 0)),
            not_returned=int(data.get("not_returned", 0)),
            valid=int(data.get("valid", 0)),
            invalid=int(data.get("invalid", 0)),
            votes=tuple((str(c), int(v)) for c, v in data.get("votes", ())),
            threshold=int(data.get("threshold", 0)),
            elected=tuple(map(str, data.get("elected", ()))),
            ballot_form=str(data.get("ballot_form", "")),
            found_not_issued=int(data.get("found_not_issued", 0)),
            entitled_derivation=tuple(
                (str(code), int(n)) for code, n in data.get("entitled_derivation", ())
            ),
            invalid_by_reason={
                str(k): int(v) for k, v in data.get("invalid_by_reason", {}).items()
            },
            runoff=Runoff.from_json(data.get("runoff")),
            unfilled_seats=int(data.get("unfilled_seats", 0)),
            is_delegate_list="delegates" in data,
            delegates=tuple(map(str, data.get("delegates", ()))),
            alternates=tuple(map(str, data.get("alternates", ()))),
            delegate_runoff=Runoff.from_json(data.get("delegate_runoff")),
            alternate_ties=tuple(tuple(map(str, t)) for t in data.get("alternate_ties", ())),
            audit_checkpoint=str(data.get("audit_checkpoint", "")),
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "slate": list(self.slate),
            "seats": self.seats,
            "entitled": self.entitled,
            "entitled_derivation": [list(step) for step in self.entitled_derivation],
            "issued": self.issued,
            "returned": self.returned,
            "not_returned": self.not_returned,
            "found_not_issued": self.found_not_issued,
            "valid": self.valid,
            "invalid": self.invalid,
            "invalid_by_reason": dict(self.invalid_by_reason),
            "votes": [[c, v] for c, v in self.votes],
            "threshold": self.threshold,
            "elected": list(self.elected),
            "runoff": self.runoff.to_json() if self.runoff else None,
            "unfilled_seats": self.unfilled_seats,
            "ballot_form": self.ballot_form,
        }
        if self.is_delegate_list:
            data.update(
                {
                    "delegates": list(self.delegates),
                    "alternates": list(self.alternates),
                    "delegate_runoff": (
                        self.delegate_runoff.to_json() if self.delegate_runoff else None
                    ),
                    "alternate_ties": [list(t) for t in self.alternate_ties],
                }
            )
        if self.audit_checkpoint:
            data["audit_checkpoint"] = self.audit_checkpoint
        return data

    def with_checkpoint(self, digest: str) -> ElectionResult:
        return replace(self, audit_checkpoint=digest)

    # Questions the pages, minutes and next rounds ask ------------------------------------

    @property
    def tied(self) -> tuple[str, ...]:
        """Candidates in a run-off, for the last seats or for the last delegate seats."""
        return tuple(c for r in (self.runoff, self.delegate_runoff) if r for c in r.candidates)

    @property
    def any_runoff(self) -> Runoff | None:
        return self.runoff or self.delegate_runoff

    def outcome_of(self, candidate: str) -> str:
        """`delegate`, `alternate`, `elected`, `runoff` or "" for one candidate id."""
        if candidate in self.delegates:
            return "delegate"
        if candidate in self.alternates:
            return "alternate"
        if candidate in self.elected:
            return "elected"
        if candidate in self.tied:
            return "runoff"
        return ""

    @property
    def chosen(self) -> tuple[str, ...]:
        """Who this round puts on the new body: the officials of a delegate list, else the
        elected."""
        return self.delegates if self.is_delegate_list else self.elected
