from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "daihoi.consultation"
    label = "consultation"
    verbose_name = _("Drafts and consultation")

    def ready(self) -> None:
        from daihoi.consultation import tasks
        from daihoi.consultation.actions.editorial import SYNTHESIZE
        from daihoi.core import background

        background.register(SYNTHESIZE, tasks.synthesize)
