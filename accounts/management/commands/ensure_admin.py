from django.core.management.base import BaseCommand

from accounts import services


class Command(BaseCommand):
    help = (
        "Create an admin account if there is none: DJANGO_SUPERUSER_USERNAME and "
        "DJANGO_SUPERUSER_PASSWORD, else 'admin' with a random password printed once."
    )

    def handle(self, *args, **options) -> None:
        result = services.admin_ensure()
        if result is None:
            self.stdout.write("An admin account exists already.")
            return
        username, password, generated = result
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Created admin account '{username}' with password: {password}\n"
                    "It is printed this once only; change it after logging in."
                )
            )
        else:
            self.stdout.write(
                f"Created admin account '{username}' (password from DJANGO_SUPERUSER_PASSWORD)."
            )
