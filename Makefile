# govhall — the documented way to do everything.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test lint fmt messages system-packages clean-demo bench bench-queue e2e \
	screenshots audit-deps

$(PY):
	$(PYTHON) -m venv $(VENV)

# uv (pinned in the lock, bootstrapped by pip) installs the locked set in seconds.
$(VENV)/.installed: pyproject.toml uv.lock | $(PY)
	$(VENV)/bin/pip install --quiet "uv>=0.13,<0.14"
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(UV) sync --frozen --inexact --active --quiet
	touch $@

install: system-packages $(VENV)/.installed

# System packages (gettext, CJK fonts …) come from one script, run only when something is missing.
system-packages:
	@scripts/system-packages.sh --check || scripts/system-packages.sh

demo: install
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) load_demo
	@echo ""
	@echo "  政务服务中心综合管理平台 · demo hall: http://$(HOST):$(PORT)/"
	@echo "  公众触摸屏 kiosk:              http://$(HOST):$(PORT)/kiosk/"
	@echo "  登录 login:                    http://$(HOST):$(PORT)/accounts/login/"
	@echo "  演示账号 demo logins (password govhall-demo):"
	@echo "    office 中心管理办公室 · chief 首席代表 · clerk 窗口工作人员"
	@echo "    leader 分管领导 · supervisor 电子监察 · admin 系统管理员"
	@echo ""
	GOVHALL_DEMO=1 GOVHALL_BIND=$(HOST):$(PORT) GOVHALL_ACCESS_LOG=1 $(VENV)/bin/honcho start -f Procfile

# The web server and the job runner side by side (Procfile; docs/jobs.md, docs/deploy.md).
serve: install
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input --verbosity 0
	GOVHALL_BIND=$(HOST):$(PORT) $(VENV)/bin/honcho start -f Procfile

# The whole suite, one pytest-xdist worker per core; DATABASE_URL=postgres://… runs it on
# PostgreSQL, TEST_WORKERS=0 in this one process. --dist loadgroup hands tests out one by one,
# except a group's: the demo's tests run in one worker, where the demo is built once
# (tests/shared_demo.py), and so do the tests of a module with a module-wide fixture.
TEST_WORKERS ?= auto
test: install
	$(VENV)/bin/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadgroup

# Browser tests (tests/e2e, pytest -m e2e) in headless Chromium from scripts/system-packages.sh;
# axe-core, pinned by tests/e2e/package-lock.json, is installed locally with npm and injected.
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	touch $@

e2e: install $(AXE)
	$(VENV)/bin/pytest -q -p no:cacheprovider -m e2e tests/e2e

# PNGs of the main pages at kiosk, desktop and phone size (the demo, served from a temporary
# folder) → var/screenshots/; `$(PY) scripts/screenshots.py --docs` refreshes README's images.
screenshots: install
	$(PY) scripts/screenshots.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(PY) scripts/check_translations.py

# Known vulnerabilities in the locked dependencies (uv export | pip-audit, docs/security.md); says
# "vulnerability service not reachable" and exits 0 when no advisory service answers (--strict: 3).
audit-deps: install
	$(PY) scripts/audit_deps.py

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks (docs/performance.md) on PostgreSQL (govhall_bench at 127.0.0.1:5432, built when
# absent or too small); a quick run: BENCH_CASES=200000 make bench.
bench: install
	$(PY) bench/run.py

# The queue alone (issue 18.9): a fresh hall of 60 windows and 10 screens under a day's load, on
# SQLite then PostgreSQL (queue_bench); options after ARGS=, e.g. ARGS="--db sqlite --rounds 1".
bench-queue: install
	$(PY) -m bench.queue_load $(ARGS)

# Extract new strings into the zh_Hans catalogs (govhall/, and the benchmark's bench/scale) and compile them (translate the new entries, then commit).
messages: install
	cd govhall && ../$(PY) ../manage.py makemessages --locale zh_Hans --no-location --no-obsolete --ignore "static/*"
	cd govhall && ../$(PY) ../manage.py compilemessages --locale zh_Hans
	cd bench/scale && ../../$(PY) ../../manage.py makemessages --locale zh_Hans --no-location --no-obsolete
	cd bench/scale && ../../$(PY) ../../manage.py compilemessages --locale zh_Hans
