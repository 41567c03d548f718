"""``python -m benchmarks.speed``: see ``benchmarks.speed.cli``."""

import sys

from benchmarks.speed.cli import main

sys.exit(main())
