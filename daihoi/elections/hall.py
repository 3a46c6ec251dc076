"""What the hall's projector shows, apart from how it reaches the screen.

`hall_state(congress)` gathers attendance and quorum, the current agenda item and speaker,
each running poll's turnout (ballots received of those entitled: never a partial result)
and the released results. The transport (server-sent events today) only renders it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from daihoi.conduct import queries as conduct_queries
from daihoi.conduct.models import AgendaItem, SpeakerRequest
from daihoi.congresses.models import Congress
from daihoi.elections import queries
from daihoi.elections.models import Election


@dataclass(frozen=True)
class Turnout:
    election: Election
    received: int  # ballots cast so far (participations), never their content
    entitled: int


@dataclass(frozen=True)
class Speaker:
    name: str
    started_at: datetime.datetime | None
    minutes: int

    @property
    def ends_at_ms(self) -> int | None:
        """When the speaking time runs out, in epoch milliseconds for the screen's clock."""
        if self.started_at is None:
            return None
        ends = self.started_at + datetime.timedelta(minutes=self.minutes)
        return int(ends.timestamp() * 1000)


@dataclass(frozen=True)
class HallState:
    congress: Congress
    basis: Any  # conduct.queries.EntitledBasis
    quorum: Any  # conduct.queries.Quorum
    item: AgendaItem | None
    speaker: Speaker | None
    polls: list[Turnout]


def hall_state(congress: Congress) -> HallState:
    basis = conduct_queries.entitled_basis(congress)
    item = conduct_queries.current_agenda_item(congress)
    speaker = None
    if item is not None:
        request: SpeakerRequest | None = conduct_queries.current_speaker(item)
        if request is not None:
            speaker = Speaker(
                name=request.delegate.person.full_name,
                started_at=request.started_at,
                minutes=item.speaking_minutes,
            )
    open_polls = list(
        queries.congress_elections(congress)
        .filter(state=Election.State.OPEN)
        .annotate(received=Count("participations"))
    )
    entitled = queries.entitled_now(congress).count if open_polls else 0
    polls = [Turnout(election=e, received=e.received, entitled=entitled) for e in open_polls]
    return HallState(
        congress=congress,
        basis=basis,
        quorum=conduct_queries.quorum(congress, basis=basis),
        item=item,
        speaker=speaker,
        polls=polls,
    )
