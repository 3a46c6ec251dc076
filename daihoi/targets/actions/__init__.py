"""Writes for targets and emulation. Each action checks permission, runs atomically and is
audited.

`targets`: a term's targets entered, edited and imported, their figures; `emulation`:
movements, registrations, results and scores, commendations and their revocation.
"""

from daihoi.targets.actions.emulation import (
    commendation_award,
    commendation_revoke,
    movement_advance,
    movement_launch,
    registration_create,
    result_report,
    result_score,
)
from daihoi.targets.actions.targets import (
    figure_record,
    target_create,
    target_update,
    targets_import,
)

__all__ = [
    "commendation_award",
    "commendation_revoke",
    "figure_record",
    "movement_advance",
    "movement_launch",
    "registration_create",
    "result_report",
    "result_score",
    "target_create",
    "target_update",
    "targets_import",
]
