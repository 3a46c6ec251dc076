"""Delegate accounts for one congress: made in bulk, one-time login codes, ended with it."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.authority import SYSTEM, action, require_role
from daihoi.accounts.models import Role, User
from daihoi.conduct import badges, queries
from daihoi.conduct.actions._base import Status
from daihoi.conduct.models import Delegate, DelegateLogin
from daihoi.congresses import queries as congress_queries
from daihoi.congresses.gates import require_congress_open
from daihoi.congresses.models import Congress
from daihoi.core import audit


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def login_valid_until(congress: Congress) -> datetime.date | None:
    """Login codes work until the last day the congress may sit."""
    return congress.ends_on or congress.extended_latest or congress.latest or congress.starts_on


def _username(congress: Congress, line: Delegate) -> str:
    base = f"dh{congress.pk}-{line.person.member_code}".lower()[:140]
    username, n = base, 1
    while get_user_model().objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@dataclass(frozen=True)
class AccountsMade:
    created: int  # new accounts made for this congress
    linked: int  # delegates who already had an account
    total: int  # delegates with an account now


@action(system=True)
def delegate_accounts_create(*, actor: Any, congress: Congress) -> AccountsMade:
    """An account for every delegate who may attend (summoned, or an alternate on standby).

    People who already have an account keep it and get a login code for it; accounts made
    here end when the congress concludes. Idempotent."""
    require_role(actor, congress.unit, [Role.ORGANIZER])
    require_congress_open(congress)
    lines = list(
        queries.roster(congress)
        .filter(status__in=[Status.SUMMONED, Status.STANDBY], login__isnull=True)
        .select_related("person__user")
    )
    if not lines and not DelegateLogin.objects.filter(delegate__congress=congress).exists():
        raise _refuse("congress", _("The roster has nobody who may attend yet."), "roster_empty")
    created = linked = 0
    for line in lines:
        user = getattr(line.person, "user", None)
        made = user is None
        if user is None:
            user = User(username=_username(congress, line), person=line.person)
            user.set_unusable_password()
            user.save()
            created += 1
        else:
            linked += 1
        DelegateLogin.objects.create(delegate=line, user=user, created_user=made)
    total = DelegateLogin.objects.filter(delegate__congress=congress).count()
    audit.record(
        actor=actor,
        action="delegate_accounts_create",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"created": created, "linked": linked, "total": total},
    )
    return AccountsMade(created=created, linked=linked, total=total)


@action(system=True)
def delegate_login_codes_issue(*, actor: Any, congress: Congress) -> list[tuple[Delegate, str]]:
    """New one-time login codes for every account of the congress, for the printed letters.

    The plain codes are returned once and never stored; issuing again voids the earlier
    letters. Codes work until the congress's last day."""
    require_role(actor, congress.unit, [Role.ORGANIZER])
    require_congress_open(congress)
    valid_until = login_valid_until(congress)
    if valid_until is None:
        raise _refuse(
            "congress",
            _("Set the congress's dates first: login codes expire after the congress."),
            "congress_without_dates",
        )
    logins = list(
        DelegateLogin.objects.filter(delegate__congress=congress, revoked_at__isnull=True)
        .select_related("delegate__person", "delegate__person__unit", "user")
        .order_by("delegate__person__full_name", "pk")
    )
    if not logins:
        raise _refuse(
            "congress", _("Create the delegates' accounts first."), "no_delegate_accounts"
        )
    now = timezone.now()
    issued: list[tuple[Delegate, str]] = []
    for login in logins:
        code = badges.new_login_code()
        login.code_hash, login.issued_at, login.used_at = code_hash(code), now, None
        login.expires_on = valid_until
        issued.append((login.delegate, code))
    DelegateLogin.objects.bulk_update(logins, ["code_hash", "issued_at", "used_at", "expires_on"])
    audit.record(
        actor=actor,
        action="delegate_login_codes_issue",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"letters": len(issued), "valid_until": valid_until},
    )
    return issued


@action(public=True)
def delegate_login_redeem(*, code: str) -> Any:
    """The user a one-time login code opens, once; the code is spent on success."""
    normalized = badges.normalize_login_code(code)
    unknown = _refuse("code", _("This login code is not valid."), "login_code_unknown")
    if normalized is None:
        raise unknown
    login = (
        DelegateLogin.objects.select_for_update()
        .filter(code_hash=code_hash(normalized))
        .select_related("user", "delegate__congress__unit")
        .first()
    )
    if login is None:
        raise unknown
    if login.used_at is not None:
        raise _refuse("code", _("This login code has been used already."), "login_code_used")
    if login.revoked_at is not None or not login.user.is_active:
        raise _refuse("code", _("This account has ended."), "login_code_revoked")
    if login.expires_on is None or login.expires_on < congress_queries.today():
        raise _refuse("code", _("This login code has expired."), "login_code_expired")
    login.used_at = timezone.now()
    login.save(update_fields=["used_at"])
    congress = login.delegate.congress
    audit.record(
        actor=SYSTEM,
        action="delegate_login_redeem",
        obj=login,
        unit_path=congress.unit.path,
        changes={"user": login.user.username, "congress": congress.pk},
    )
    return login.user


def end_accounts(congress: Congress) -> int:
    """Void every login code of the congress and deactivate the accounts made for it."""
    now = timezone.now()
    logins = DelegateLogin.objects.filter(delegate__congress=congress, revoked_at__isnull=True)
    made = list(logins.filter(created_user=True).values_list("user_id", flat=True))
    count = logins.update(revoked_at=now, code_hash="")
    get_user_model().objects.filter(pk__in=made).update(is_active=False)
    return count


@action(system=True)
def delegate_accounts_end(*, actor: Any, congress: Congress) -> int:
    """End the congress's delegate accounts now (they also end when it concludes)."""
    require_role(actor, congress.unit, [Role.ORGANIZER])
    count = end_accounts(congress)
    audit.record(
        actor=actor,
        action="delegate_accounts_end",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"ended": count},
    )
    return count


def accounts_end_on_conclusion(*, actor: Any, congress: Any, transition: str) -> None:
    """Hook: a concluded congress takes its delegate accounts with it."""
    if transition != "conclude":
        return
    count = end_accounts(congress)
    if count:
        audit.record(
            actor=actor,
            action="delegate_accounts_end",
            obj=congress,
            unit_path=congress.unit.path,
            changes={"ended": count, "on": "conclude"},
        )
