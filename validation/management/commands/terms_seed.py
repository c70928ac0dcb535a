from django.core.management.base import BaseCommand

from validation.services import terms_seed


class Command(BaseCommand):
    help = (
        "Put the ontology terms the project ships (validation/data/ontology_terms.json) into "
        "the term table the validation reads offline. Safe to run again: unchanged terms "
        "are left as they are, terms added by admins are kept."
    )

    def handle(self, *args, **options) -> None:
        created, updated = terms_seed()
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Ontology terms seeded: {created} created, {updated} updated.")
            )
