"""Background work of the congress cycle (django-tasks)."""

from __future__ import annotations

import datetime

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from daihoi.accounts.authority import active_grants, scope_paths
from daihoi.accounts.models import Role
from daihoi.congresses import queries, workflow
from daihoi.congresses.actions.lifecycle import state_label
from daihoi.core import hooks

DIGEST_DAYS = 14


@task()
def send_deadline_digest(on: str = "") -> int:
    """E-mail every organizer their subtree's congresses due within 14 days and those overdue.

    Idempotent per day in effect: it only reads. Returns how many e-mails were sent.
    """
    day = datetime.date.fromisoformat(on) if on else queries.today()
    sent = 0
    for user in queries.organizers_with_email():
        paths = scope_paths(user, roles=[Role.ORGANIZER])
        due, overdue = (
            queries.organizer_deadlines(paths, on=day, within_days=DIGEST_DAYS)
            if paths != []
            else ([], [])
        )
        # Reminders: directives from above that the organizer's own units have not acknowledged.
        own = [g.unit.path for g in active_grants(user, roles=[Role.ORGANIZER])]
        unacknowledged = queries.unacknowledged_for(own) if own else []
        with translation.override(getattr(user, "language", None) or "vi"):
            # Other apps' sections (e.g. cases due and overdue), without importing them.
            extra = hooks.digest_sections(user=user, on=day)
        if not due and not overdue and not unacknowledged and not extra:
            continue
        with translation.override(getattr(user, "language", None) or "vi"):
            context = {
                "user": user,
                "on": day,
                "due": due,
                "overdue": overdue,
                "unacknowledged": unacknowledged,
                "days": DIGEST_DAYS,
                "state_labels": {s: state_label(s) for s in workflow.STATES},
                "extra": extra,
            }
            subject = _(
                "Congress deadlines: %(due)s due within %(days)s days, %(overdue)s overdue"
            ) % {
                "due": len(due),
                "days": DIGEST_DAYS,
                "overdue": len(overdue),
            }
            body = render_to_string("congresses/email/deadline_digest.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
