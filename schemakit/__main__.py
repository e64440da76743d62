"""``python -m schemakit``: the console script, for environments without it on PATH."""

import sys

from schemakit.cli import main

sys.exit(main())
