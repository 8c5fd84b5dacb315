"""``python -m ml_day``: the same as ``ml-day``."""

from ml_day.main import main

raise SystemExit(main())
