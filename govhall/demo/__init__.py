"""The demo hall (随县政务服务中心, December 2016) apart from the runtime.

One Django app at the top of the import graph: its loaders build the hall through the real
services of the apps below it (`loaders/`, run in the order of `steps.STEPS`), from the Sui
County data (`data/`), with one list of logins (`logins.py`); `manage.py load_demo` runs them.
No runtime app imports it (an import-linter contract in pyproject.toml).

Installed unless the settings are a production deployment's (`GOVHALL_PRODUCTION=1`, or
`SECURE_COOKIES=1` with `DEBUG` off): `make demo`, `make test`, the browser tests and the
screenshots run with the default settings and need it, while a production server is not offered
a command that would create accounts with a published password. It has no models, so installing
or removing it never needs a migration.
"""
