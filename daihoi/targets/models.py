"""A term's resolution targets with their yearly figures, and emulation movements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.congresses.models import Congress
from daihoi.organizations.models import Unit


class Target(models.Model):
    """One target of a unit's congress resolution for a term."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")
        REACH = "reach", _("reach")

    class Basis(models.TextChoices):
        END_VALUE = "end_value", _("value at the end of the term")
        YEARLY_AVERAGE = "yearly_average", _("average of the yearly figures")

    class Level(models.TextChoices):
        SOCIO_ECONOMIC = "socio_economic", _("socio-economic")
        PARTY_BUILDING = "party_building", _("party building")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="targets")
    term_start = models.PositiveSmallIntegerField(_("term starts"))
    term_end = models.PositiveSmallIntegerField(_("term ends"))
    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, null=True, blank=True, related_name="targets"
    )
    code = models.CharField(_("indicator code"), max_length=40)
    indicator = models.CharField(_("indicator"), max_length=255)
    measure = models.CharField(_("unit of measure"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    basis = models.CharField(
        _("measured as"), max_length=16, choices=Basis.choices, default=Basis.END_VALUE
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    source = models.CharField(_("source"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "term_start", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "term_start", "code"], name="one_target_per_code_and_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.term_start}–{self.term_end})"


class TargetFigure(models.Model):
    """A yearly figure of a target, or the mid-term review's, with its source and date."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    midterm = models.BooleanField(_("mid-term review"), default=False)
    source = models.CharField(_("source"), max_length=255)
    reported_on = models.DateField(_("reported on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["target_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "year", "midterm"], name="one_figure_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.year}: {self.value}"


class Movement(models.Model):
    """An emulation movement launched by a unit for its subtree (Law 06/2022/QH15 art. 16-18)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="movements")
    theme = models.CharField(_("theme"), max_length=255)
    goals = models.TextField(_("goals"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    stage = models.CharField(_("stage"), max_length=30, default="launch")
    rulebook_id = models.CharField(_("rulebook"), max_length=60)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.theme


class Criterion(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["movement_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "code"], name="one_criterion_per_code")
        ]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A unit's registration in a movement, with its commitment."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    commitment = models.TextField(_("commitment"))
    registered_on = models.DateField(_("registered on"))

    class Meta:
        ordering = ["movement_id", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit"], name="one_registration_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} @ {self.movement}"


class Result(models.Model):
    """A registered unit's result on one criterion, with its evidence, scored 0-100."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="results")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("evidence"))
    reported_on = models.DateField(_("reported on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "criterion"], name="one_result_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} {self.criterion.code}: {self.score}"


class Commendation(models.Model):
    """A commendation awarded at the end of a movement; revoked when obtained by fraud."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="commendations"
    )
    level = models.CharField(_("level"), max_length=40)  # a rulebook commendation level code
    decision_ref = models.CharField(_("decision"), max_length=80)
    awarded_on = models.DateField(_("awarded on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["registration_id", "awarded_on"]

    def __str__(self) -> str:
        return f"{self.level} · {self.registration}"
