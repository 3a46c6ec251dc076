"""Who may see and do what: the one home of authority.

- The **actor** of an action is a `User`, or the explicit `SYSTEM` (the demo, commands and
  tasks). `None` is never an actor: an action called with `actor=None` raises `TypeError`.
- Every action is declared with `@action(...)`. It runs the action atomically and refuses to
  return unless the action made a permission check through one of the `require_…` functions
  below (or declared itself public). `SYSTEM` may act only in actions declared `system=True`.
- One **visibility rule** per object kind, written once as a `Q` builder over field paths:
  units and people, congresses in scope, congresses attended. Queries in the apps build their
  querysets from these rules and never re-derive them.

Layering: this module sits in `accounts` (below congresses and conduct), so it never imports
their models; rules about congresses and seats are written as lookups on field names and on
the user's own reverse relations (`user.board_seats`, `person.delegations`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final, TypeAlias, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.models import Role, RoleGrant, User
from daihoi.core import audit
from daihoi.core.actors import SYSTEM, SystemActor
from daihoi.organizations.models import Unit

# The actor -----------------------------------------------------------------------------


Actor: TypeAlias = "User | SystemActor"


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def user_of(actor: Actor) -> User | None:
    """The user behind an actor, for "recorded by" fields; None when the system acted."""
    if actor is SYSTEM or not getattr(actor, "is_authenticated", False):
        return None
    return actor  # type: ignore[return-value]


# Actions -------------------------------------------------------------------------------

ACTION_ATTR = "daihoi_action"


@dataclass(frozen=True)
class ActionSpec:
    """What an action declares about who may call it."""

    name: str
    system: bool = False
    public: bool = False


@dataclass
class _Frame:
    spec: ActionSpec
    checked: bool = False


_frames: ContextVar[tuple[_Frame, ...]] = ContextVar("daihoi_action_frames", default=())

F = TypeVar("F", bound=Callable[..., Any])


def action(*, system: bool = False, public: bool = False) -> Callable[[F], F]:
    """Declare a use case: atomic, actor-checked, and refused if it made no permission check.

    `system=True`: `SYSTEM` may call it (the checks then pass for the system).
    `public=True`: anyone, signed in or not, may call it (e.g. the public comment form); the
    action still validates its input, and is listed as public by the action census test.
    """

    def decorate(fn: F) -> F:
        spec = ActionSpec(name=f"{fn.__module__}.{fn.__name__}", system=system, public=public)

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            if "actor" not in kwargs and not public:
                raise TypeError(f"{spec.name}() needs actor= (a user, or SYSTEM)")
            actor = kwargs.get("actor", SYSTEM if public else None)
            if actor is None:
                raise TypeError(f"{spec.name}(): actor=None is not an actor; pass SYSTEM")
            if actor is SYSTEM and not (system or public):
                raise PermissionDenied(_("This action cannot be run by the system."))
            frame = _Frame(spec=spec, checked=public)
            token = _frames.set((*_frames.get(), frame))
            try:
                with transaction.atomic():
                    with audit.deferred():  # the events are appended as the body ends
                        result = fn(*args, **kwargs)
                    if not frame.checked:
                        raise ImproperlyConfigured(f"{spec.name} made no permission check")
            finally:
                _frames.reset(token)
            return result

        setattr(run, ACTION_ATTR, spec)
        return run  # type: ignore[return-value]

    return decorate


def action_spec(fn: Any) -> ActionSpec | None:
    return getattr(fn, ACTION_ATTR, None)


def _checked() -> None:
    frames = _frames.get()
    if frames:
        frames[-1].checked = True


def _system_allowed() -> bool:
    frames = _frames.get()
    return bool(frames) and frames[-1].spec.system


def _refuse(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _as_actor(actor: Any) -> Any:
    if actor is None:
        raise TypeError("actor=None is not an actor; pass SYSTEM")
    return actor


# Grants and scope ----------------------------------------------------------------------

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


def _grants(user: Any) -> list[RoleGrant]:
    cache: dict[Any, Any] = user.__dict__.setdefault("_daihoi_scope_cache", {})
    if "grants" not in cache:  # one grants query per request, whatever roles are asked
        cache["grants"] = list(active_grants(user, roles=None))
    grants: list[RoleGrant] = cache["grants"]
    return grants


def sees_everything(user: Any) -> bool:
    """The system, a superuser, or an admin granted on a root unit."""
    if user is SYSTEM:
        return True
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(g.role == Role.ADMIN and g.unit.depth == 1 for g in _grants(user))


def scope_paths(user: Any, *, roles: Iterable[str] | None = None) -> list[str] | None:
    """Tree paths of the subtrees `user` holds any of `roles` on; None = everything."""
    if sees_everything(user):
        return ALL
    if user is None or not user.is_authenticated:
        return []
    key = ("_daihoi_scope", tuple(sorted(roles)) if roles is not None else None)
    cache: dict[Any, Any] = user.__dict__.setdefault("_daihoi_scope_cache", {})
    if key not in cache:
        wanted = set(roles) if roles is not None else None
        cache[key] = _minimal(
            g.unit.path
            for g in _grants(user)
            if wanted is None or g.role in wanted or g.role == Role.ADMIN
        )
    result: list[str] | None = cache[key]
    return result


def unit_scope_q(user: Any, *, roles: Iterable[str] | None = None, field: str = "path") -> Q:
    """The visibility rule for anything placed in the tree: `field` is its unit path lookup."""
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


def is_higher(user: Any, unit: Unit, *, roles: Iterable[str] = (Role.ORGANIZER,)) -> bool:
    """`user` holds one of `roles` on a unit strictly above `unit` (the higher level)."""
    if sees_everything(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    wanted = {*roles, Role.ADMIN}
    return any(
        g.role in wanted and unit.path.startswith(g.unit.path) and g.unit.path != unit.path
        for g in _grants(user)
    )


# Checks --------------------------------------------------------------------------------


def _system_passes(actor: Actor) -> bool:
    """Start a check: `actor` must be a user or `SYSTEM`, and the system passes only in an
    action that allows it (refused otherwise). True when the system passes."""
    _as_actor(actor)
    _checked()
    if actor is not SYSTEM:
        return False
    if not _system_allowed():
        raise _refuse(_("This action cannot be run by the system."))
    return True


def require_role(actor: Actor, unit: Unit, roles: Iterable[str]) -> None:
    """Refuse unless `actor` holds one of `roles` (or admin) over `unit`'s subtree."""
    if _system_passes(actor):
        return
    if not in_scope(actor, unit, roles=roles):
        raise _refuse(_("You may not act on %(unit)s.") % {"unit": unit.name})


def require_higher(actor: Actor, unit: Unit, roles: Iterable[str] = (Role.ORGANIZER,)) -> None:
    """Refuse unless `actor` acts for the level above `unit` (a grant on a strict ancestor)."""
    if _system_passes(actor):
        return
    if not is_higher(actor, unit, roles=roles):
        raise _refuse(_("Only the level above %(unit)s may do this.") % {"unit": unit.name})


def has_seat(user: Any, congress: Any, boards: Iterable[str]) -> bool:
    """A seat on one of `boards` at `congress` (`congress` is a congresses.Congress)."""
    if user is None or user is SYSTEM or not user.is_authenticated:
        return False
    return user.board_seats.filter(congress_id=congress.pk, board__in=list(boards)).exists()


def is_organizer_of(user: Any, congress: Any) -> bool:
    """Holds the organizer role over the congress's unit (whatever else they hold)."""
    if user is None or user is SYSTEM or not user.is_authenticated:
        return False
    return _holds_organizer(user, congress.unit)


def _holds_organizer(user: Any, unit: Unit) -> bool:
    return any(
        g.role in (Role.ORGANIZER, Role.ADMIN) and unit.path.startswith(g.unit.path)
        for g in _grants(user)
    )


def require_seat(actor: Actor, congress: Any, board: str) -> None:
    """Refuse unless `actor` sits on `board` at `congress`; the system may where allowed."""
    require_seat_on(actor, congress, [board])


def require_seat_on(actor: Actor, congress: Any, boards: Iterable[str]) -> None:
    if _system_passes(actor):
        return
    if not has_seat(actor, congress, boards):
        raise _refuse(_("Only members of the board seated at this congress may do this."))


def require_organizer_or_seat(actor: Actor, congress: Any, boards: Iterable[str] = ()) -> None:
    """A seat on one of `boards` at this congress, or the organizer role over its unit."""
    _as_actor(actor)
    if actor is not SYSTEM and boards and has_seat(actor, congress, boards):
        _checked()
        return
    require_role(actor, congress.unit, [Role.ORGANIZER])


def require_counting_eye(actor: Actor, congress: Any, *, board: str) -> None:
    """One eye of a four-eyes count: a seated member of `board` who does not organize here.

    Nobody who holds the organizer role at a congress may confirm its count (DESIGN §2)."""
    require_seat(actor, congress, board)
    if actor is not SYSTEM and is_organizer_of(actor, congress):
        raise _refuse(_("An organizer of this congress may not confirm its count."))


def require_distinct(actor: Actor, *others: Any, message: str = "") -> None:
    """Four eyes: refuse when `actor` is one of `others` (earlier eyes, or the one who entered)."""
    if actor is SYSTEM:
        return
    ids = {getattr(o, "pk", o) for o in others if o is not None}
    if actor.pk in ids:
        raise _refuse(message or _("A second, different person must confirm this."))


def require_signed_in(actor: Actor) -> None:
    """The actor acts only for themselves (e.g. a member commenting); a signed-in user."""
    if _system_passes(actor):
        return
    if not actor.is_authenticated or not actor.is_active:
        raise _refuse(_("Sign in to do this."))


def require_area(actor: Actor, roles: Iterable[str]) -> list[str] | None:
    """The subtrees the actor holds one of `roles` on (None = everything), for actions that
    check each row against them (imports); refuses an actor who holds none of them."""
    if _system_passes(actor):
        return ALL
    paths = scope_paths(actor, roles=roles)
    if paths is not ALL and not paths:
        raise _refuse(_("Your roles do not allow this."))
    return paths


def require_system(actor: Actor) -> None:
    """Only the system (a command, a task or the demo) may run this."""
    _as_actor(actor)
    _checked()
    if actor is not SYSTEM:
        raise _refuse(_("Only the system may do this."))


def require_superuser_or_root_admin(actor: Actor) -> None:
    _as_actor(actor)
    _checked()
    if actor is SYSTEM and _system_allowed():
        return
    if actor is SYSTEM or not sees_everything(actor):
        raise _refuse(_("Only an administrator of the whole organization may do this."))


# Visibility rules ----------------------------------------------------------------------


def congress_scope_q(user: Any, *, prefix: str = "") -> Q:
    """Congresses in scope: those of units in the user's subtrees (any role)."""
    return unit_scope_q(user, field=f"{prefix}unit__path")


def congress_attended_q(user: Any, *, prefix: str = "") -> Q:
    """Congresses attended: those the user sits a board of, or is on the roster of."""
    if user is None or user is SYSTEM or not user.is_authenticated:
        return Q(pk__in=[])
    pk = f"{prefix}pk" if prefix else "pk"
    q = Q(**{f"{pk}__in": user.board_seats.values("congress_id")})
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is not None:
        q |= Q(**{f"{pk}__in": person.delegations.values("congress_id")})
    return q


def congress_visible_q(user: Any, *, prefix: str = "") -> Q:
    """A congress is visible when it is in scope or attended. Everything, for those who see
    everything (an empty `Q()` must not be OR-ed: `Q() | x` is just `x`)."""
    if sees_everything(user):
        return Q()
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return congress_scope_q(user, prefix=prefix) | congress_attended_q(user, prefix=prefix)


PERSONAL_DATA_ROLES: Final = (Role.ORGANIZER, Role.INSPECTOR)


def people_scope_q(user: Any, *, field: str = "unit__path") -> Q:
    """Member records (birth dates, ethnicity, status) are for organizers and inspectors."""
    return unit_scope_q(user, roles=PERSONAL_DATA_ROLES, field=field)


def may_read_personal_data(user: Any, unit: Unit) -> bool:
    return in_scope(user, unit, roles=PERSONAL_DATA_ROLES)
