"""Users, role grants on a unit's subtree, and API tokens."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from daihoi.organizations.models import Person, Unit


class User(AbstractUser):
    person = models.OneToOneField(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    ORGANIZER = "organizer", _("organizer")
    DOCUMENT_EDITOR = "document_editor", _("document editor")
    INSPECTOR = "inspector", _("inspector")
    MODERATOR = "moderator", _("moderator")
    MEMBER = "member", _("member")


class RoleGrant(models.Model):
    """`user` holds `role` for `unit` and its whole subtree from `valid_from` to `valid_until`."""

    # PROTECT: deleting a user never silently removes the record of what they could do.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="grants", verbose_name=_("unit")
    )
    valid_from = models.DateField(_("valid from"), default=datetime.date.today)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="grants_given"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="grant_valid_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.unit.code}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
