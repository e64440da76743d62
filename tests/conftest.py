"""Shared test configuration: hypothesis profiles.

The default profile keeps the suite quick on a 2-core machine; run
``pytest --hypothesis-profile=thorough`` for 20x the examples.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_DEFAULT_EXAMPLES = 50

settings.register_profile(
    "default",
    max_examples=_DEFAULT_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=_DEFAULT_EXAMPLES * 20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("default")
