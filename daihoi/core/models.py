"""The audit log: append-only, keyed hash chains of every action, and their checkpoints."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One audited action. Rows are never updated or deleted; `daihoi audit verify` checks that.

    `chain` is the path of the event's unit cut to the tree's second level (one chain per
    province, so provinces do not wait on each other; see `core.audit.chain_of`), or "" for
    events outside the tree.
    """

    chain = models.CharField(_("chain"), max_length=32, blank=True, default="")
    seq = models.PositiveBigIntegerField(_("sequence"))
    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=80, blank=True)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.chain or '-'}#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit events are append-only")


class AuditHead(models.Model):
    """A chain's tip, one row per chain; locking it serializes appends to that chain only."""

    chain = models.CharField(max_length=32, unique=True, default="")
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain or '-'}#{self.last_seq}"


class AuditCheckpoint(models.Model):
    """The tips of every chain at one moment, keyed: `digest` is printed (election minutes)
    and the same line is appended to the operator's anchor file outside the database."""

    at = models.DateTimeField(_("time"))
    reason = models.CharField(_("reason"), max_length=200)
    heads = models.JSONField(_("chain tips"), default=dict)
    prev = models.CharField(_("previous digest"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64, unique=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reason} {self.digest[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Audit checkpoints are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit checkpoints are append-only")
