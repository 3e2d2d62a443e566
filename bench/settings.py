"""Settings of the benchmark server: the app's own, plus a minimal JSON view to compare with
(bench/urls.py) and no API rate limit (the benchmark is the load the limit would refuse)."""

from govhall.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
API_RATE_LIMIT = 0

# The scale generator (`manage.py generate_scale`, bench/scale) exists only where the benchmark runs.
INSTALLED_APPS = [*INSTALLED_APPS, "bench.scale"]  # noqa: F405
