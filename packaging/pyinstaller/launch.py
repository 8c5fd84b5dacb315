"""PyInstaller entry script: the frozen ``ml-day`` runs the installed ``main``."""

from ml_day.main import main

raise SystemExit(main())
