"""Transition cases: a cadre who leaves a post without re-election or through restructuring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.congresses.models import Congress
from daihoi.organizations.models import Person, Reorganization, Unit


class TransitionCase(models.Model):
    """One person's case, from the computed options to the payment."""

    class Reason(models.TextChoices):
        NOT_REELECTED = "not_reelected", _("not re-elected")
        SURPLUS = "surplus", _("surplus after a reorganization")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CHOSEN = "chosen", _("option chosen")
        PREPARED = "prepared", _("decision prepared")
        DECIDED = "decided", _("decided")
        PAID = "paid", _("paid")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transition_cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="transition_cases")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    body = models.CharField(_("body"), max_length=20, blank=True)
    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reorganization = models.ForeignKey(
        Reorganization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    left_on = models.DateField(_("leaves on"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.OPEN, db_index=True
    )
    # Salary basis: entered or imported, never guessed.
    monthly_salary = models.PositiveBigIntegerField(_("monthly salary"), default=0)
    monthly_allowances = models.PositiveBigIntegerField(_("monthly allowances"), default=0)
    leadership_allowance = models.PositiveBigIntegerField(_("leadership allowance"), default=0)
    insured_months = models.PositiveIntegerField(_("insured months"), default=0)
    months_left_in_term = models.PositiveIntegerField(_("months left in the term"), default=0)
    wishes_to_retire = models.BooleanField(_("wishes to retire"), default=True)
    month_after_decision = models.PositiveSmallIntegerField(
        _("leaves in month after the decision"), default=1
    )
    chosen_option = models.CharField(_("chosen option"), max_length=40, blank=True)
    chosen_amount = models.PositiveBigIntegerField(_("amount of the chosen option"), null=True)
    chosen_items = models.JSONField(_("items of the chosen option"), default=list, blank=True)
    chosen_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    chosen_on = models.DateField(_("chosen on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    decision_prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decision_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decision_approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_amount = models.PositiveBigIntegerField(_("amount paid"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_ref = models.CharField(_("payment reference"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "person__name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "congress"],
                condition=models.Q(reason="not_reelected"),
                name="one_not_reelected_case_per_congress",
            ),
            models.UniqueConstraint(
                fields=["person", "reorganization"],
                condition=models.Q(reason="surplus"),
                name="one_surplus_case_per_reorganization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_reason_display()})"

    @property
    def salary_basis(self) -> int:
        return self.monthly_salary + self.monthly_allowances
