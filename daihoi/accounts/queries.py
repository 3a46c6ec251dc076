"""Scoping: which units a user may see or act on. The one scoping helper of the project."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from daihoi.accounts.models import ApiToken, Role, RoleGrant, User
from daihoi.organizations.models import Unit

ALL = None  # a scope of None means: the whole organization


def active_grants(
    user: Any, *, on: datetime.date | None = None, roles: Iterable[str] | None = None
) -> QuerySet[RoleGrant]:
    day = on or timezone.localdate()
    grants = RoleGrant.objects.filter(
        user_id=user.pk, revoked_at__isnull=True, valid_from__lte=day
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    if roles is not None:
        grants = grants.filter(role__in=list(roles))
    return grants.select_related("unit")


def _minimal(paths: Iterable[str]) -> list[str]:
    """Drop paths inside another path of the list."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def scope_paths(user: Any, *, roles: Iterable[str] | None = None) -> list[str] | None:
    """Tree paths of the subtrees `user` holds any of `roles` on; None = everything."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return ALL
    key = ("_daihoi_scope", tuple(sorted(roles)) if roles is not None else None)
    cache: dict[Any, Any] = user.__dict__.setdefault("_daihoi_scope_cache", {})
    if key not in cache:
        if "grants" not in cache:  # one grants query per request, whatever roles are asked
            cache["grants"] = list(active_grants(user, roles=None))
        grants = cache["grants"]
        if any(g.role == Role.ADMIN and g.unit.depth == 1 for g in grants):
            cache[key] = ALL
        else:
            wanted = set(roles) if roles is not None else None
            paths = [
                g.unit.path
                for g in grants
                if wanted is None or g.role in wanted or g.role == Role.ADMIN
            ]
            cache[key] = _minimal(paths)
    result: list[str] | None = cache[key]
    return result


def unit_scope_q(user: Any, *, roles: Iterable[str] | None = None, field: str = "path") -> Q:
    """A Q object limiting a query to the user's subtrees; `field` is the path lookup."""
    paths = scope_paths(user, roles=roles)
    if paths is ALL:
        return Q()
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def in_scope(user: Any, unit: Unit, *, roles: Iterable[str] | None = None) -> bool:
    paths = scope_paths(user, roles=roles)
    return paths is ALL or any(unit.path.startswith(p) for p in paths)


def require_role(actor: Any, unit: Unit, roles: Iterable[str]) -> None:
    """Refuse unless `actor` holds one of `roles` (or admin) over `unit`. None = the system."""
    if actor is None:
        return
    if not in_scope(actor, unit, roles=roles):
        raise PermissionDenied(f"{actor} may not act on unit {unit.code}")


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
