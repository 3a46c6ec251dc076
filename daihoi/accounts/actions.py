"""Writes for accounts and roles. Every action checks permission, is atomic and audited."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.authority import (
    SYSTEM,
    action,
    require_role,
    require_signed_in,
    require_superuser_or_root_admin,
    user_of,
)
from daihoi.accounts.models import ApiToken, Role, RoleGrant, User
from daihoi.core import audit, clock
from daihoi.core.errors import refusal
from daihoi.core.text import nfc
from daihoi.organizations.models import Unit


@action(system=True)
def role_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    unit: Unit,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> RoleGrant:
    """Grant `role` on `unit`'s subtree. Organizers grant within their own subtree;
    only an administrator grants the admin role."""
    if role not in Role.values:
        raise refusal(
            _("Unknown role: %(role)s") % {"role": role}, code="unknown_role", field="role"
        )
    if role == Role.ADMIN:
        require_role(actor, unit, [Role.ADMIN])
    else:
        require_role(actor, unit, [Role.ORGANIZER])
    valid_from = valid_from or clock.today()
    if valid_until is not None and valid_until < valid_from:
        raise refusal(
            _("The end date is before the start date."),
            code="end_date_before_start",
            field="valid_until",
        )
    grant = RoleGrant.objects.create(
        user=user,
        role=role,
        unit=unit,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=user_of(actor),
    )
    audit.record(
        actor=actor,
        action="role_grant",
        obj=grant,
        unit_path=unit.path,
        changes={
            "user": user.username,
            "role": role,
            "unit": unit.code,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )
    return grant


@action(system=True)
def role_revoke(*, actor: Any, grant: RoleGrant) -> RoleGrant:
    require_role(actor, grant.unit, [Role.ADMIN] if grant.role == Role.ADMIN else [Role.ORGANIZER])
    if actor is not SYSTEM and actor.pk == grant.user_id and grant.role == Role.ADMIN:
        raise PermissionDenied(_("You cannot revoke your own administrator role."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="role_revoke",
        obj=grant,
        unit_path=grant.unit.path,
        changes={"user": grant.user.username, "role": grant.role, "unit": grant.unit.code},
    )
    return grant


@action(system=True)
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    email: str = "",
    person: Any = None,
    is_superuser: bool = False,
) -> User:
    require_superuser_or_root_admin(actor)
    if actor is not SYSTEM and not actor.is_superuser and is_superuser:
        raise PermissionDenied(_("Only a superuser creates superusers."))
    username = nfc(username)
    if not username:
        raise ValidationError(
            {"username": ValidationError(_("Give a username."), code="username_required")}
        )
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise refusal(exc.messages[0], code="username_invalid", field="username") from exc
    if User.objects.filter(username=username).exists():
        raise refusal(_("This username is taken."), code="username_taken", field="username")
    user = User(
        username=username,
        email=email,
        person=person,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    audit.record(
        actor=actor,
        action="user_create",
        obj=user,
        changes={"username": username, "superuser": is_superuser},
    )
    return user


@action()
def api_token_create(*, actor: Any, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the plain key is returned once and never stored."""
    require_signed_in(actor)
    if actor.pk != user.pk:
        raise PermissionDenied(_("Users create their own tokens."))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hashlib.sha256(key.encode()).hexdigest(), prefix=key[:8]
    )
    audit.record(actor=actor, action="api_token_create", obj=token, changes={"name": name})
    return token, key


def _require_superuser(actor: Any) -> None:
    """The Django admin's account writes: a superuser (the system for commands)."""
    require_superuser_or_root_admin(actor)
    if actor is not SYSTEM and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser manages accounts here."))


# What the user admin may change, and how each field shows in the audit record.
ADMIN_USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "person",
    "is_active",
    "is_staff",
    "is_superuser",
)


@action()
def user_admin_update(*, actor: Any, user: User, changed: list[str]) -> User:
    """Save the fields of `user` the Django admin changed; the audit names old and new."""
    _require_superuser(actor)
    fields = [f for f in changed if f in ADMIN_USER_FIELDS]
    if not fields:
        return user
    if actor.pk == user.pk and not (user.is_superuser and user.is_active):
        raise ValidationError(
            _("You cannot remove your own superuser flag or deactivate yourself."),
            code="own_superuser",
        )
    before = User.objects.get(pk=user.pk)
    user.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="user_update",
        obj=user,
        changes={
            f: {"from": _shown(getattr(before, f)), "to": _shown(getattr(user, f))} for f in fields
        },
    )
    if "is_active" in fields and not user.is_active:
        _end_tokens(actor=actor, user=user, why="deactivated")
    return user


def _shown(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _end_tokens(*, actor: Any, user: User, why: str) -> int:
    ended = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if ended:
        audit.record(
            actor=actor,
            action="api_tokens_end",
            obj=user,
            changes={"user": user.username, "tokens": ended, "why": why},
        )
    return ended


@action(system=True)
def user_password_set(*, actor: Any, user: User, password: str) -> User:
    """Set a user's password (the user, or a superuser in the admin). Every API token of the
    user ends with it: whoever had the old password may have made one."""
    require_signed_in(actor)
    if actor is not SYSTEM and actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("Only the user or a superuser sets a password."))
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor,
        action="user_password_set",
        obj=user,
        changes={"user": user.username, "by_self": getattr(actor, "pk", None) == user.pk},
    )
    _end_tokens(actor=actor, user=user, why="password changed")
    return user


@action(system=True)
def user_delete(*, actor: Any, user: User) -> None:
    """Delete an account that never held a role. One that did is deactivated instead: its
    role grants are the record of who could do what, and stay."""
    _require_superuser(actor)
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationError(_("You cannot delete your own account."), code="own_account")
    if RoleGrant.objects.filter(user=user).exists():
        raise ValidationError(
            _("%(user)s holds or held role grants; deactivate the account instead.")
            % {"user": user.username},
            code="user_has_grants",
        )
    audit.record(
        actor=actor,
        action="user_delete",
        obj=user,
        changes={
            "username": user.username,
            "superuser": user.is_superuser,
            "tokens": ApiToken.objects.filter(user=user).count(),
        },
    )
    user.delete()


@action(system=True)
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """End one API token: its owner, or a superuser."""
    require_signed_in(actor)
    if actor is not SYSTEM and actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied(_("Only the token's owner or a superuser revokes it."))
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."), code="token_revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="api_token_revoke",
        obj=token,
        changes={"user": token.user.username, "name": token.name, "prefix": token.prefix},
    )
    return token
