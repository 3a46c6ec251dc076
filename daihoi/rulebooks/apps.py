from django.apps import AppConfig


class RulebooksConfig(AppConfig):
    name = "daihoi.rulebooks"
    label = "rulebooks"
    verbose_name = "Rulebooks"

    def ready(self) -> None:
        from daihoi.rulebooks import checks  # noqa: F401  registers the system check
