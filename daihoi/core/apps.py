from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "daihoi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from daihoi.core.inputs import guard_model_values

        # One guard for every daihoi model: values the database would refuse become
        # field errors (see core.inputs).
        pre_save.connect(guard_model_values, dispatch_uid="daihoi.core.guard_model_values")
