"""``python -m benchmarks.scale``: see ``benchmarks.scale.run``."""

import sys

from benchmarks.scale.run import main

sys.exit(main())
