"""Reads about accounts: the grants a user may manage, tokens. Scope lives in `authority`."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from daihoi.accounts.authority import unit_scope_q
from daihoi.accounts.models import ApiToken, Role, RoleGrant, User


def grants_visible(user: Any) -> QuerySet[RoleGrant]:
    """Grants on units in the user's organizer subtrees (what they may manage)."""
    return (
        RoleGrant.objects.filter(unit_scope_q(user, roles=[Role.ORGANIZER], field="unit__path"))
        .select_related("user", "unit", "granted_by")
        .order_by("unit__path", "user__username")
    )


TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


def user_by_token(key: str) -> User | None:
    digest = hashlib.sha256(key.encode()).hexdigest()
    token = (
        ApiToken.objects.filter(key_hash=digest, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        # "last used" to the minute: one write per token per minute, not one per request
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
