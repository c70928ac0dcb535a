"""``python -m biosample.emulator --port 8081``: see biosample.emulator.cli."""

import sys

from biosample.emulator.cli import main

sys.exit(main())
