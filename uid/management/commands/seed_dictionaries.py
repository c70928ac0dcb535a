from django.core.management.base import BaseCommand

from uid.services.dictionaries import dictionaries_seed


class Command(BaseCommand):
    help = (
        "Put the shipped dictionaries (ontologies, countries, sexes, species, organism parts, "
        "stages, roles, country languages, species words) into the database. Safe to run "
        "again: rows already in place are left as they are."
    )

    def handle(self, *args, **options) -> None:
        report = dictionaries_seed()
        if options["verbosity"] == 0:
            return
        for table, (created, updated) in report.items():
            self.stdout.write(f"{table}: {created} created, {updated} updated")
        created = sum(counts[0] for counts in report.values())
        updated = sum(counts[1] for counts in report.values())
        self.stdout.write(
            self.style.SUCCESS(f"Dictionaries seeded: {created} created, {updated} updated.")
        )
