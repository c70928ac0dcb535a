#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injecttool.settings.local")
    from django.core.management import execute_from_command_line

    from injecttool import embedded

    # The embedded PostgreSQL and Redis start here, not when the settings load: help,
    # check and the like run without them.
    if embedded.command_needs_servers(sys.argv[1:]):
        try:
            embedded.ensure_started()
        except embedded.EmbeddedServerError as exc:
            sys.exit(f"manage.py: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
