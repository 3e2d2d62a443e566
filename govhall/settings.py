"""Settings, read from the environment.

With no environment at all the app runs safely on localhost: DEBUG off, hosts limited to
localhost, SQLite under var/, a secret key generated once into var/secret_key.
"""

import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from govhall.core.private import private_dir, private_file

BASE_DIR = Path(__file__).resolve().parent.parent
# var/ holds the keys and the SQLite database: created 0700, its files 0600 (docs/security.md).
VAR_DIR = private_dir(Path(os.environ.get("GOVHALL_VAR_DIR", BASE_DIR / "var")))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _kept_key(key_file: Path, make: Callable[[], str]) -> str:
    """The key in key_file, made on first use. Processes starting together (test workers,
    gunicorn's) all read the first one written: it is written whole, then linked into place;
    mkstemp creates it readable by its owner only (0600)."""
    if not key_file.exists():
        fd, temporary = tempfile.mkstemp(dir=key_file.parent, prefix=f".{key_file.name}.")
        try:
            with os.fdopen(fd, "w") as out:
                out.write(make())
            os.link(temporary, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return key_file.read_text().strip()


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    return _kept_key(VAR_DIR / "secret_key", lambda: secrets.token_urlsafe(50))


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
# Production (TLS in front): secure cookies, HSTS, HTTPS redirect. GOVHALL_PRODUCTION=1, or
# SECURE_COOKIES=1 with DEBUG off, turns it on; docs/security.md lists the variables.
PRODUCTION = env_bool("GOVHALL_PRODUCTION", default=env_bool("SECURE_COOKIES") and not DEBUG)


def _data_keys() -> list[str]:
    """Keys for personal data at rest (Fernet): the first encrypts, every one decrypts."""
    if keys := env_list("GOVHALL_DATA_KEY", ""):
        return keys
    from cryptography.fernet import Fernet

    return [_kept_key(VAR_DIR / "data_key", lambda: Fernet.generate_key().decode())]


GOVHALL_DATA_KEYS = _data_keys()
# Checkpoints of the audit chains' heads, appended by `audit_checkpoint` and every backup: keep
# this file where the database's users cannot write (docs/security.md, the audit trail).
GOVHALL_AUDIT_CHECKPOINTS = Path(
    os.environ.get("GOVHALL_AUDIT_CHECKPOINTS", VAR_DIR / "audit" / "checkpoints.jsonl")
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Set by `make demo`: the demo logins are printed and shown on the login page.
DEMO_MODE = env_bool("GOVHALL_DEMO")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "govhall.core",
    "govhall.org",
    "govhall.catalog",
    "govhall.cases",
    "govhall.supervision",
    "govhall.portal",
    "govhall.feedback",
    "govhall.oversight",
    "govhall.journal",
    "govhall.staffing",
    "govhall.evaluation",
    "govhall.bulletins",
    "govhall.accounts",
    "govhall.api",
    "govhall.province",
    "govhall.jobs",
    "govhall.queueing",
    "ninja",
    "huey.contrib.djhuey",
]
if not PRODUCTION:
    # The demo hall and `load_demo` (govhall/demo): everywhere but on a production server.
    INSTALLED_APPS.append("govhall.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "govhall.core.middleware.SecurityHeadersMiddleware",
    "govhall.core.middleware.RequestSizeLimitMiddleware",
    "govhall.core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "govhall.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govhall.org.middleware.ActingCenterMiddleware",
    "govhall.core.middleware.NoStoreMiddleware",
    "govhall.core.middleware.DownloadTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "govhall.accounts.middleware.SessionExpiryMiddleware",
    "govhall.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Roles are held per center: permissions come from the account's roles in the center it is
# working in (govhall.org.backends), never from Django's global groups.
AUTHENTICATION_BACKENDS = ["govhall.org.backends.CenterRoleBackend"]

ROOT_URLCONF = "govhall.urls"
WSGI_APPLICATION = "govhall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "govhall" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govhall.org.context_processors.hall",
                "govhall.jobs.context_processors.job_warnings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'govhall.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if (
        _sqlite_name != ":memory:"
        and not _sqlite_name.startswith("file:")
        and Path(_sqlite_name).parent.is_dir()
    ):
        # Made here, empty and 0600, before SQLite would create it with the umask's mode (0644);
        # SQLite gives its -wal and -shm files the database file's mode.
        private_file(Path(_sqlite_name))
    # IMMEDIATE transactions and WAL avoid "database is locked" under concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not shared-cache memory, so concurrency tests see real locking (busy_timeout).
    # One per test process, so parallel runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"test_govhall_{os.getpid()}.sqlite3")
    }


def _postgresql_options(database: dict) -> None:
    # JIT compilation costs more than it saves on short queries and month reports
    # (docs/performance.md: up to 1.9 s of a 2.8 s report).
    database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Prepared statements (a query is prepared on its fifth run in a connection, as JDBC does):
    # PostgreSQL then parses it once and may keep one plan for it, which took its CPU per intake
    # from about 1.9 to 1.2 ms. The kept plan can be slower for a report run again and again (the
    # month counts: 0.29 → 0.47 s from their eleventh run in one connection; docs/performance.md).
    # A pooler in transaction mode needs PgBouncer ≥ 1.21 with max_prepared_statements.
    # PG_PREPARE=0 turns them off.
    if env_bool("PG_PREPARE", default=True):
        database["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _postgresql_options(DATABASES["default"])

# A streaming replica for reports, dashboards, region pages and the kiosk (govhall/core/dbrouter.py,
# docs/scaling.md step 4): only those pages' reads go there, never a write, never the pages right
# after the same browser's write, and not while it lags more than REPLICA_MAX_LAG_SECONDS.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        _postgresql_options(DATABASES["replica"])
        # A replica that is down costs a page two seconds once, then LAG_CHECK_SECONDS of primary.
        DATABASES["replica"]["OPTIONS"]["connect_timeout"] = 2
    # The tests read the test database through this alias too, never a database of its own.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["govhall.core.dbrouter.ReplicaRouter"]
    MIDDLEWARE.append("govhall.core.dbrouter.ReplicaReadsMiddleware")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
# After any write (POST …) the browser reads the primary for this long: its own write is there.
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "15"))

# A cache shared by every app server (REDIS_URL): the API's token cache and, with it, the
# sessions (cached_db: read from Redis, written through to the database, so a Redis restart
# logs nobody out). Without it each process keeps its own memory cache and sessions stay in the
# database, which is right for one server.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "govhall"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Covering indexes (Index.include) serve PostgreSQL's index-only scans for the month figures;
# SQLite builds them without the extra columns, which is what this warning is about.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Argon2 first; the others stay so older hashes still verify and are upgraded at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "govhall.accounts.validators.UserAttributeSimilarityValidator"},
    {
        "NAME": "govhall.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "govhall.accounts.validators.LettersAndDigitsValidator"},
]
# Login lockout, counted in the database so every server process sees the same failures.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("GOVHALL_LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("GOVHALL_LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("GOVHALL_LOGIN_FAILURE_WINDOW_MINUTES", "15"))
# Sessions end after this much idleness, and in any case this long after the login.
SESSION_IDLE_MINUTES = int(os.environ.get("GOVHALL_SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("GOVHALL_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "govhall" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Served by the app itself (halls often have no separate web server); finders keep tests
# and development working without collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if PRODUCTION:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    # Behind nginx terminating TLS: nginx sets X-Forwarded-Proto, and redirects plain HTTP itself
    # or leaves it to the app (SECURE_SSL_REDIRECT=1, the default).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    if env_bool("SECURE_PROXY_SSL_HEADER", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz answers plain HTTP, for the load balancer's probe.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Choices made on purpose, which `check --deploy` cannot know: nginx redirects plain HTTP
    # itself; subdomains are other services; the preload list is a separate, lasting commitment.
    SILENCED_SYSTEM_CHECKS = [
        check
        for check, chosen in (
            ("security.W008", not SECURE_SSL_REDIRECT),
            ("security.W005", not SECURE_HSTS_INCLUDE_SUBDOMAINS),
            ("security.W021", not SECURE_HSTS_PRELOAD),
        )
        if chosen
    ]
# Uploads: at most 10 MB a file (core.uploads), 25 MB a request (imports take up to 20 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields (Django's default, stated)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file, not memory
GOVHALL_MAX_REQUEST_BYTES = int(os.environ.get("GOVHALL_MAX_REQUEST_MB", "25")) * 1024 * 1024
# Imports (core.imports): an upload's size, what an XLSX may unpack to (a zip bomb is refused
# before it is parsed), how much any zip member may be compressed, and a sheet's rows and columns.
GOVHALL_IMPORT_MAX_UPLOAD_MB = int(os.environ.get("GOVHALL_IMPORT_MAX_UPLOAD_MB", "20"))
GOVHALL_IMPORT_MAX_UNPACKED_MB = int(os.environ.get("GOVHALL_IMPORT_MAX_UNPACKED_MB", "50"))
GOVHALL_IMPORT_MAX_RATIO = int(os.environ.get("GOVHALL_IMPORT_MAX_RATIO", "100"))
GOVHALL_IMPORT_MAX_ROWS = int(os.environ.get("GOVHALL_IMPORT_MAX_ROWS", "100000"))
GOVHALL_IMPORT_MAX_COLUMNS = int(os.environ.get("GOVHALL_IMPORT_MAX_COLUMNS", "100"))

# A refused request (403, 404, 400) logs one line; a server error (5xx) its traceback too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"one_line_refusals": {"()": "govhall.core.logs.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "one_line_refusals"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# JSON API: requests per minute per token (or staff session), counted in the database (shared by
# every process: govhall.core.ratelimit); 0 turns it off.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "3000"))

# The job runner (govhall.jobs, docs/jobs.md): huey ticks every minute beside the web server
# (`manage.py run_huey`, started by `make demo`/`make serve` through the Procfile). Its queue is
# an SQLite file under var/ by default, Redis when REDIS_URL is set; the jobs' own record of
# runs lives in the database either way.
if os.environ.get("REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "govhall",
        "url": os.environ["REDIS_URL"],
        "immediate": False,
        "consumer": {"workers": 1, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "govhall",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 1, "worker_type": "thread"},
    }
# The nightly backup job: where it writes and how many days of backups it keeps.
GOVHALL_BACKUP_DIR = Path(os.environ.get("GOVHALL_BACKUP_DIR", VAR_DIR / "backups"))
GOVHALL_BACKUP_KEEP_DAYS = int(os.environ.get("GOVHALL_BACKUP_KEEP_DAYS", "30"))
# Text messages (govhall.oversight.sms): the console backend by default; the HTTP gateway
# adapter posts {"phone", "text"} as JSON to GOVHALL_SMS_GATEWAY_URL.
GOVHALL_SMS_BACKEND = os.environ.get("GOVHALL_SMS_BACKEND", "govhall.oversight.sms.ConsoleBackend")
GOVHALL_SMS_GATEWAY_URL = os.environ.get("GOVHALL_SMS_GATEWAY_URL", "")
GOVHALL_SMS_GATEWAY_TOKEN = os.environ.get("GOVHALL_SMS_GATEWAY_TOKEN", "")
