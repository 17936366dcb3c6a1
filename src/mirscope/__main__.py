"""``python -m mirscope``."""

from mirscope.cli import main

raise SystemExit(main())
