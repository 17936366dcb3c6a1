"""``python -m mirscope.cli``."""

from mirscope.cli import main

raise SystemExit(main())
