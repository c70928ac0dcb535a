from django.apps import AppConfig


class ValidationConfig(AppConfig):
    name = "validation"
    verbose_name = "Validation"

    def ready(self) -> None:
        # The validation task's runner registers itself with uid's task mechanism.
        from uid.models import TaskKind
        from uid.services.submissions import task_mail_when_long
        from uid.services.tasks import (
            task_after_register,
            task_phases_register,
            task_runner_register,
        )
        from validation import services

        task_runner_register(TaskKind.VALIDATE, services.validate_run)
        task_after_register(TaskKind.VALIDATE, task_mail_when_long)
        # Checking is most of the time; saving the results the rest.
        task_phases_register(TaskKind.VALIDATE, {"check": (0, 85), "write": (85, 100)})
