"""A cycle (a term pinned to a rulebook) and one congress per unit in it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.organizations.models import Unit


class Cycle(models.Model):
    name = models.CharField(_("name"), max_length=120)
    term_start = models.PositiveSmallIntegerField(_("term starts"))
    term_end = models.PositiveSmallIntegerField(_("term ends"))
    rulebook_id = models.CharField(_("rulebook"), max_length=60)
    root = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("root unit")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.name


class Congress(models.Model):
    """The congress of one unit in one cycle. `state` is a code of the lifecycle data."""

    class Bodies(models.TextChoices):
        ELECTED = "elected", _("elected")
        APPOINTED = "appointed", _("appointed")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="congresses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="congresses")
    congress_type = models.CharField(_("type"), max_length=40)
    contents = models.JSONField(_("contents"), default=list)
    bodies = models.CharField(
        _("bodies"), max_length=12, choices=Bodies.choices, default=Bodies.ELECTED
    )
    earliest = models.DateField(_("earliest date"), null=True, blank=True)
    latest = models.DateField(_("latest date"), null=True, blank=True)
    max_duration_days = models.DecimalField(
        _("maximum duration (days)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    pilot = models.BooleanField(_("pilot"), default=False)
    state = models.CharField(_("state"), max_length=30, default="planned", db_index=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        verbose_name=_("successor"),
    )

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit"], name="one_congress_per_unit_and_cycle"
            )
        ]
        indexes = [models.Index(fields=["cycle", "state"])]

    def __str__(self) -> str:
        return f"{self.unit.name} ({self.cycle})"
