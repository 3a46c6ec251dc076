"""Shared by the personnel queries: who reads dossiers, the bodies a plan is made for."""

from __future__ import annotations

from daihoi.accounts.models import Role
from daihoi.personnel.models import (
    Body,
)

DOSSIER_ROLES = (Role.ORGANIZER, Role.INSPECTOR)


BODIES = tuple(Body.values)
