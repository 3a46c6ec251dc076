"""Organization units in a tree, people and their memberships, and reorganizations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node


class Unit(MP_Node):
    """An organization unit. Its `level` is a level code of the cycle's rulebook.

    The tree is a materialized path (treebeard): a subtree is `path__startswith`.
    """

    class Kind(models.TextChoices):
        GRASSROOTS = "grassroots", _("grassroots")
        ABOVE_GRASSROOTS = "above_grassroots", _("above grassroots")
        COMMUNE = "commune", _("commune formed in 2025")
        WARD = "ward", _("ward formed in 2025")
        SPECIAL_ZONE = "special_zone", _("special zone formed in 2025")
        CENTRAL = "central", _("directly under the Central Committee")

    steplen = 4
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    level = models.CharField(_("level"), max_length=32, db_index=True)
    # The kind of unit decides the month at which ages are counted for its congress
    # (`Rulebook.age_reference_date(level, kind)`), e.g. communes formed in 2025.
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_active(self) -> bool:
        return self.active_until is None


class Reorganization(models.Model):
    """An effective-dated restructuring: merge, split, rename or abolition of a level."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("merge")
        SPLIT = "split", _("split")
        RENAME = "rename", _("rename")
        ABOLISH_LEVEL = "abolish_level", _("abolish a level")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reorganization")
        verbose_name_plural = _("reorganizations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"


class PreparedReorganization(models.Model):
    """A reorganization prepared on the page of the higher-level `unit`, waiting to be
    confirmed (by another organizer for a merger). `spec` holds the chosen unit codes, the
    successor and the parts; `effects` what the confirmation did, as the preview showed it."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    kind = models.CharField(_("kind"), max_length=20, choices=Reorganization.Kind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="prepared_reorganizations"
    )
    spec = models.JSONField(_("what is reorganized"), default=dict)
    effective_date = models.DateField(_("effective date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARED
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reorganization = models.OneToOneField(
        Reorganization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prepared",
    )
    effects = models.JSONField(_("effects"), default=dict)

    class Meta:
        verbose_name = _("prepared reorganization")
        verbose_name_plural = _("prepared reorganizations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"


class UnitLineage(models.Model):
    """`successor` came (in part) from `predecessor` through `reorganization`."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links")
    reorganization = models.ForeignKey(
        Reorganization, on_delete=models.PROTECT, related_name="lineage"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "reorganization"], name="unique_lineage_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"


class Person(models.Model):
    """A member of the organization. Names are stored in NFC; `name_folded` serves search."""

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("member status", "active")
        SUSPENDED = "suspended", _("suspended")
        PROSECUTED = "prosecuted", _("prosecuted")
        RETIRED = "retired", _("retired")
        DECEASED = "deceased", _("deceased")
        TRANSFERRED_OUT = "transferred_out", _("transferred out")
        # Guidance 01-HD/TW (2021) item 13.2: summoned; counted only if they attend.
        EXEMPTED = "exempted", _("exempted from party work and activities")
        TEMPORARILY_TRANSFERRED = "temporarily_transferred", _("temporarily transferred")

    class PoliticalTheory(models.TextChoices):
        NONE = "none", _("none")
        ELEMENTARY = "elementary", _("elementary")
        INTERMEDIATE = "intermediate", _("intermediate")
        ADVANCED = "advanced", _("advanced")

    class Education(models.TextChoices):
        SECONDARY = "secondary", _("secondary school")
        VOCATIONAL = "vocational", _("vocational")
        COLLEGE = "college", _("college")
        UNIVERSITY = "university", _("university")
        MASTER = "master", _("master")
        DOCTORATE = "doctorate", _("doctorate")

    member_code = models.CharField(_("member code"), max_length=32, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    # Vietnamese sort key (given, family, middle name) from `core.text.name_key`.
    # Indexed with the rest of the order and the columns a listing filters on (`Meta`).
    name_key = models.CharField(max_length=1000, editable=False, default="")
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, default="Kinh")
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, default=Education.SECONDARY
    )
    political_theory = models.CharField(
        _("political theory"),
        max_length=20,
        choices=PoliticalTheory.choices,
        default=PoliticalTheory.NONE,
    )
    date_joined = models.DateField(_("date joined"))
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["unit", "status"]),
            # the people's order (`queries.people_order`) with the columns a listing filters
            # on: a page of a large subtree walks it in order, without reading the rows
            models.Index(
                fields=["name_key", "birth_date", "id", "status", "unit"], name="person_name_order"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


# Statuses that still count a person as a member of their unit.
CURRENT_STATUSES = (
    Person.Status.ACTIVE,
    Person.Status.SUSPENDED,
    Person.Status.PROSECUTED,
    Person.Status.RETIRED,
    Person.Status.EXEMPTED,
    Person.Status.TEMPORARILY_TRANSFERRED,
)


class Membership(models.Model):
    """A person's membership of a unit over a period; the open one matches `Person.unit`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    started = models.DateField(_("started"))
    ended = models.DateField(_("ended"), null=True, blank=True)
    reorganization = models.ForeignKey(
        Reorganization, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["person", "ended"])]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.unit_id} {self.started}–{self.ended or ''}"


class CommitteeSeat(models.Model):
    """A seat in a unit's leadership for a term: who sits on which body, and how they came there."""

    class Body(models.TextChoices):
        EXECUTIVE = "executive", _("executive committee")
        STANDING = "standing", _("standing committee")
        SECRETARY = "secretary", _("secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
        INSPECTION = "inspection", _("inspection committee")

    class Source(models.TextChoices):
        ELECTED = "elected", _("elected")
        APPOINTED = "appointed", _("appointed")
        IMPORTED = "imported", _("recorded")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="committee_seats")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="committee_seats")
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    term_start = models.PositiveSmallIntegerField(_("term starts"))
    term_end = models.PositiveSmallIntegerField(_("term ends"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        indexes = [models.Index(fields=["unit", "body", "term_start"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.body}@{self.unit_id} {self.term_start}–{self.term_end}"
