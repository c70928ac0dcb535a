from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "language"
    verbose_name = "Languages"

    def ready(self) -> None:
        # uid imports nothing of this app: it learns how to seed and read species words here.
        from language.services import language_seed, species_words_resolve
        from uid.services.dictionaries import (
            dictionaries_seeder_register,
            species_resolver_register,
        )

        dictionaries_seeder_register(language_seed)
        species_resolver_register(species_words_resolve)
