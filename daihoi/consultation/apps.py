from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "daihoi.consultation"
    label = "consultation"
    verbose_name = _("Drafts and consultation")
