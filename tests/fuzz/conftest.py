"""Hypothesis profiles for the fuzz tests.

``ml-day-fuzz`` (the default) is derandomized: every run, on every machine,
tries the same examples, so a failure in CI is reproduced by running the test
again. It keeps no example database (no ``.hypothesis`` folder) and has no
deadline (a slow shared machine must not fail a test). The whole folder runs
in well under a minute.

``ML_DAY_FUZZ=deep`` picks ``ml-day-fuzz-deep`` instead: random examples, ten
times as many, for a longer hunt before a release. A failure there prints the
falsifying example, which then belongs in a plain test.

Tests take their settings from :func:`tests.fuzz.strategies.fuzz`, which reads
the profile chosen here; no profile is loaded globally, so the property tests
elsewhere keep their own settings.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ml-day-fuzz",
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ml-day-fuzz-deep",
    parent=settings.get_profile("ml-day-fuzz"),
    max_examples=500,
    derandomize=False,
)
settings.register_profile(
    "ml-day-fuzz-active",
    parent=settings.get_profile(
        "ml-day-fuzz-deep" if os.environ.get("ML_DAY_FUZZ") == "deep" else "ml-day-fuzz"
    ),
)
