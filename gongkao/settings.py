"""Gongkao settings: one file, configured by environment variables.

Development defaults work with an empty environment (SQLite, DEBUG on, a
development encryption key written by `make run`). Production (DEBUG off)
refuses to start without a real SECRET_KEY and FIELD_ENCRYPTION_KEY.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from .env without overriding the real environment."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


# ENV_FILE points elsewhere (or at a missing file, to read none).
_load_dotenv(Path(os.environ.get("ENV_FILE") or BASE_DIR / ".env"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be an integer, not {value!r}"
        ) from None


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "django-insecure-development-only-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("Set SECRET_KEY in the environment (see .env.example).")

# 64 hex characters. Derives the SM4 key for personal data at rest and the SM3
# HMAC key of the blind index (accounts/crypto.py).
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
if not DEBUG:
    # Checked here rather than at the first request: a worker that starts
    # with a wrong key would fail every page that shows a phone number.
    try:
        _key_bytes = len(bytes.fromhex(FIELD_ENCRYPTION_KEY))
    except ValueError:
        _key_bytes = 0
    if _key_bytes < 32:
        raise ImproperlyConfigured(
            "Set FIELD_ENCRYPTION_KEY (64 hex characters) in production; "
            "`python -c 'import secrets; print(secrets.token_hex(32))'` makes one. "
            "Restoring a backup needs the key it was made with (docs/deploy.md)."
        )
    if not bytes.fromhex(FIELD_ENCRYPTION_KEY).strip(b"\0"):
        # The development key (accounts/crypto.py) is public: data encrypted
        # with it is not protected at all.
        raise ImproperlyConfigured(
            "生产环境不能使用全零的开发用加密密钥 FIELD_ENCRYPTION_KEY。"
            "FIELD_ENCRYPTION_KEY is the all-zero development key: set a random one "
            "(`python -c 'import secrets; print(secrets.token_hex(32))'`) before "
            "storing any data; data already encrypted with it must be re-encrypted."
        )

# 64 hex characters: the key of the audit chain's SM3 HMAC (core/audit.py).
# Empty: derived from FIELD_ENCRYPTION_KEY. Never stored in the database, so
# that rows edited there cannot be given matching hashes.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY")
if AUDIT_CHAIN_KEY:
    try:
        _chain_key_bytes = len(bytes.fromhex(AUDIT_CHAIN_KEY))
    except ValueError:
        _chain_key_bytes = 0
    if _chain_key_bytes < 32:
        raise ImproperlyConfigured(
            "AUDIT_CHAIN_KEY must be 64 hex characters (or empty: derived from "
            "FIELD_ENCRYPTION_KEY); changing it makes `verify_audit` fail on "
            "every older row."
        )

ALLOWED_HOSTS = [
    h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS").split(",") if o]
# The public address printed in certificates' QR codes (verification page).
PUBLIC_URL = (env_str("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")

# Behind a reverse proxy (deploy/nginx/gongkao.conf) the application sees the
# proxy's address and plain HTTP. The proxy overwrites X-Forwarded-Proto and
# X-Real-IP on every request, so these two headers are trusted only then: the
# scheme makes secure cookies and CSRF work, the address feeds the login
# lockout and the SMS limits per address (core.services.client_ip). Bind
# gunicorn to loopback or a private address so nobody reaches it directly.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "gongkao.core",
    "gongkao.accounts",
    "gongkao.organizations",
    "gongkao.policies",
    "gongkao.campaigns",
    "gongkao.applications",
    "gongkao.review",
    "gongkao.exams",
    "gongkao.questions",
    "gongkao.cbt",
    "gongkao.panels",
    "gongkao.results",
    "gongkao.certificates",
    "gongkao.whatif",
    "gongkao.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT in every process (`make serve`, or gunicorn
    # without a proxy that serves /static/ itself).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control: no-store on everything below (personal data).
    "gongkao.core.middleware.NoStoreMiddleware",
    # Reads asked for several times in one request are made once (core/request_memo.py).
    "gongkao.core.request_memo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkao.accounts.middleware.MustChangePasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "gongkao.urls"
WSGI_APPLICATION = "gongkao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkao.accounts.context_processors.roles",
                "gongkao.campaigns.context_processors.campaign",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL")
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in {"postgres", "postgresql"}:
            raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL.")
        return _postgres(
            name=unquote(parsed.path.lstrip("/")) or "gongkao",
            user=unquote(parsed.username or "postgres"),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "127.0.0.1",
            port=str(parsed.port or 5432),
        )
    if env_str("DB", "sqlite") == "postgres":
        return _postgres(
            name=env_str("DB_NAME", "gongkao"),
            user=env_str("DB_USER", "postgres"),
            password=env_str("DB_PASSWORD"),
            host=env_str("DB_HOST", "127.0.0.1"),
            port=env_str("DB_PORT", "5432"),
        )
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        # Immediate transactions and a busy timeout keep concurrent writers
        # from failing with "database is locked"; WAL is set on connect.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def _postgres(
    *, name: str, user: str, password: str, host: str, port: str
) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": user,
        "PASSWORD": password,
        "HOST": host,
        "PORT": port,
        # Django's pool lives in each process (every gunicorn worker and the
        # task worker has its own) and replaces persistent connections.
        "CONN_MAX_AGE": 0
        if env_bool("DB_POOL", False)
        else env_int("DB_CONN_MAX_AGE", 60),
        "OPTIONS": {
            # A page's aggregate runs beside other requests on a few cores:
            # parallel workers for one query take the cores the others need
            # (docs/deploy.md). DB_PARALLEL_WORKERS gives them back.
            "options": "-c max_parallel_workers_per_gather="
            + str(env_int("DB_PARALLEL_WORKERS", 0)),
            # Parameters sent apart from the SQL, and a statement run five
            # times on a connection prepared there: PostgreSQL then parses
            # and plans each hot query once per connection, not once per
            # request (about half its CPU in the deadline surge).
            # DB_PREPARED=false sends literal SQL (e.g. behind a pgbouncer in
            # transaction mode, where prepared statements do not survive).
            **(
                {"server_side_binding": True, "prepare_threshold": 5}
                if env_bool("DB_PREPARED", True)
                else {}
            ),
            **(
                {
                    "pool": {
                        "min_size": env_int("DB_POOL_MIN_SIZE", 1),
                        "max_size": env_int("DB_POOL_MAX_SIZE", 4),
                        "timeout": env_int("DB_POOL_TIMEOUT", 10),
                    }
                }
                if env_bool("DB_POOL", False)
                else {}
            ),
        },
        "TEST": {"NAME": env_str("DB_TEST_NAME", f"test_{name}")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache is shared by every process: Redis when REDIS_URL is set, else a
# table in the database (`manage.py createcachetable`, which `make migrate`
# runs). Never per-process memory: several gunicorn workers must agree on
# anything counted through the cache.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gongkao_cache",
        }
    )
}

# Background tasks (core/jobs.py). The database backend stores tasks in the
# database and `manage.py db_worker` runs them (`make run` starts one beside
# the server); the immediate backend runs a task inside the request that
# enqueues it (the test suite uses it).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# A running job that has reported no progress for this long is shown as failed
# (its worker was killed, or the machine restarted).
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", 30)
# A job's file (exports name people) can be downloaded for this long; the
# daily sweep (`manage.py sweep_deadlines`) then deletes it.
JOB_RESULT_HOURS = env_int("JOB_RESULT_HOURS", 24)
# Exports of more rows than this run as background jobs (review exports).
EXPORT_INLINE_ROWS = env_int("EXPORT_INLINE_ROWS", 2000)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "gongkao.accounts.backends.PhoneOrIdNumberBackend",
]
# Argon2id at OWASP's minimum (core/hashers.py); older argon2 hashes are
# rehashed at the next login. Django's own Argon2PasswordHasher must not be
# listed too: both are "argon2", and the last one listed would win.
PASSWORD_HASHERS = [
    "gongkao.core.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # gongkao2025, abababab, qwertyui, spaces, the holder's phone or ID number.
    {"NAME": "gongkao.accounts.validators.PatternPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout (accounts/lockout.py): LOGIN_FAILURE_LIMIT failures of one account
# (all its names together) within LOGIN_WINDOW_MINUTES of the first lock it
# until LOGIN_LOCKOUT_MINUTES after the last of them, a fixed time that
# attempts during the lock do not extend. One address (core.services.client_ip)
# is locked the same way after LOGIN_ADDRESS_FAILURE_LIMIT failures over any
# accounts, except the exam-room ranges offices register (TrustedNetwork).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_WINDOW_MINUTES = env_int("LOGIN_WINDOW_MINUTES", 30)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)

# SMS: dotted path of a class implementing core.sms.SmsSender.
SMS_SENDER = env_str("SMS_SENDER", "gongkao.core.sms.LogSmsSender")
SMS_CODE_TTL_MINUTES = env_int("SMS_CODE_TTL_MINUTES", 10)

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "gongkao" / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded materials are served only through views that check access
# (applications/views/files.py): there is deliberately no MEDIA_URL route.
# Every app process must see the same files: one MEDIA_ROOT they all share, or
# FILE_STORAGE_BACKEND=storages.backends.s3.S3Storage for an S3-compatible
# object store (install django-storages[s3]; the S3_* variables below).
FILE_STORAGE_BACKEND = env_str(
    "FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
)
_S3 = "storages.backends.s3.S3Storage"
_FILE_STORAGE_OPTIONS: dict[str, object] = {}
if FILE_STORAGE_BACKEND == _S3:
    _FILE_STORAGE_OPTIONS = {
        "bucket_name": env_str("S3_BUCKET"),
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("S3_REGION") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        # Private objects under opaque names, never overwritten; the
        # application streams them after its scope check, never by their URL.
        "default_acl": "private",
        "file_overwrite": False,
    }
    if not _FILE_STORAGE_OPTIONS["bucket_name"]:
        raise ImproperlyConfigured(f"Set S3_BUCKET to use {_S3}.")
STORAGES = {
    "default": {"BACKEND": FILE_STORAGE_BACKEND, "OPTIONS": _FILE_STORAGE_OPTIONS},
    # Production serves hashed, pre-compressed copies (collectstatic writes
    # them) that browsers may cache for ever; development reads the sources.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# A file missing from the manifest is served under its plain name rather than
# failing the page.
WHITENOISE_MANIFEST_STRICT = False
# Uploads above this are refused before they reach the checks (10 MB files).
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

SESSION_ENGINE = "gongkao.core.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# Behind a TLS proxy: redirect plain HTTP and ask browsers to stay on HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)

# Same-origin assets only: no CDN is reachable on government intranets, and no
# inline script or style is used.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Mail (the units' applicant lists to the office mailbox, 3.5.1). The console
# backend prints messages in development.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gongkao@localhost")

# Messages live in the session, not in a cookie: a cookie outlives a logout,
# and on a shared office PC the next person would read the last one's messages.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "gongkao": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    },
}

# The covering index of the office statistics (applications 0012) includes
# columns PostgreSQL reads from the index alone; SQLite, the embedded default,
# ignores the INCLUDE part, which is fine there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
