from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "daihoi.elections"
    label = "elections"
    verbose_name = _("Elections")
