"""Election pages, one module per area: `setup` (a congress's elections, one election, the
counting key, the organizers' and counting board's actions), `voting` (ballot, receipt,
bulletin board, paper count), `projector` (the hall's screen and its live stream) and
`documents` (minutes, printed ballots, the congress's documents, transitions, appointment).

Every view is scoped: elections are fetched through `queries.access_…` (404 outside).
"""

from daihoi.elections.views.documents import (
    appoint,
    ballot_pdf,
    document_file,
    documents,
    minutes_pdf,
    transitions,
)
from daihoi.elections.views.projector import (
    panel_html,
    projector,
    projector_congress,
    projector_hall,
    projector_panel,
    projector_stream,
)
from daihoi.elections.views.setup import act, congress_elections, counting_key, detail
from daihoi.elections.views.voting import board, paper, receipt, vote

__all__ = [
    "act",
    "appoint",
    "ballot_pdf",
    "board",
    "congress_elections",
    "counting_key",
    "detail",
    "document_file",
    "documents",
    "minutes_pdf",
    "panel_html",
    "paper",
    "projector",
    "projector_congress",
    "projector_hall",
    "projector_panel",
    "projector_stream",
    "receipt",
    "transitions",
    "vote",
]
