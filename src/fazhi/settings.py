"""Fazhi's one settings module.

Everything configurable is a ``FAZHI_*`` environment variable read through the typed helpers in
:mod:`fazhi.core.env`; a bad value stops the process with a message that names the variable.
``docs/configuration.md`` lists every variable. Each rule figure is a ``FAZHI_*`` setting whose
default is the seed's or the statute's figure.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from fazhi.core.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_path,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = env_path("FAZHI_VAR_DIR", Path.cwd() / "var")

DEBUG = env_bool("FAZHI_DEBUG", True)

_DEV_SECRET = "fazhi-development-only-secret-key-not-for-production-use-0123456789"
SECRET_KEY = env_str("FAZHI_SECRET_KEY", None if not DEBUG else _DEV_SECRET)
if not SECRET_KEY:
    raise ImproperlyConfiguredEnv("FAZHI_SECRET_KEY must be set when FAZHI_DEBUG=0 (50+ random characters).")
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfiguredEnv("FAZHI_SECRET_KEY is too weak for production: use 50+ random characters.")

ALLOWED_HOSTS = env_list("FAZHI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfiguredEnv("FAZHI_ALLOWED_HOSTS must list the site's host names when FAZHI_DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("FAZHI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "fazhi.core",
    "fazhi.orgs",
    "fazhi.indicators",
    "fazhi.ledgers",
    "fazhi.ledgers.documents",
    "fazhi.ledgers.decisions",
    "fazhi.ledgers.enforcement",
    "fazhi.ledgers.disputes",
    "fazhi.ledgers.study",
    "fazhi.metrics",
    "fazhi.campaigns",
    "fazhi.portal",
    "fazhi.api",
    "fazhi.cli",
    "fazhi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fazhi.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.campaigns.context_processors.navigation",  # the orgs sections + standards + campaigns
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {"default": env_database("FAZHI_DATABASE_URL", VAR_DIR / "fazhi.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = ["fazhi.orgs.backends.LockoutBackend"]  # ModelBackend + the lockout rule
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("FAZHI_PASSWORD_MIN_LENGTH", 10, min_value=8, max_value=128)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated wrong passwords (counted per account, reset by a successful login).
FAZHI_LOGIN_MAX_FAILURES = env_int("FAZHI_LOGIN_MAX_FAILURES", 5, min_value=1, max_value=100)
FAZHI_LOGIN_LOCKOUT_MINUTES = env_int("FAZHI_LOGIN_LOCKOUT_MINUTES", 15, min_value=1, max_value=24 * 60)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("FAZHI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = env_path("FAZHI_MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: spreadsheets for imports are read in memory up to this size.
FAZHI_UPLOAD_MAX_MB = env_int("FAZHI_UPLOAD_MAX_MB", 20, min_value=1, max_value=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FAZHI_UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# An import of more rows than this is refused before validation.
FAZHI_IMPORT_MAX_ROWS = env_int("FAZHI_IMPORT_MAX_ROWS", 100_000, min_value=1)
# A scoring standard file (YAML or XLSX) larger than this is refused before it is parsed.
FAZHI_STANDARD_MAX_KB = env_int("FAZHI_STANDARD_MAX_KB", 1024, min_value=1, max_value=100 * 1024)
# A running job whose worker has written nothing for this long is shown as failed (its worker died;
# its write, one transaction, was rolled back).
FAZHI_JOB_STALE_MINUTES = env_int("FAZHI_JOB_STALE_MINUTES", 30, min_value=1)

# Creation campaigns (defaults a campaign takes when created; each campaign may change its own).
# Reviewers per application, and the days a public notice lasts (national practice: 7).
FAZHI_CAMPAIGN_REVIEWERS = env_int("FAZHI_CAMPAIGN_REVIEWERS", 3, min_value=1, max_value=50)
FAZHI_NOTICE_DAYS = env_int("FAZHI_NOTICE_DAYS", 7, min_value=1, max_value=365)
# A reviewer whose total strays from the mean of the others' by more than this share of the standard's
# total (percent) is flagged for the administrator.
FAZHI_OUTLIER_PERCENT = env_int("FAZHI_OUTLIER_PERCENT", 10, min_value=1, max_value=100)
# The trimmed mean drops one highest and one lowest sheet: below this many sheets it is refused.
FAZHI_TRIMMED_MIN_SHEETS = env_int("FAZHI_TRIMMED_MIN_SHEETS", 5, min_value=3, max_value=100)
# Evidence files: the largest accepted, and the types accepted (checked from the content, not the name).
FAZHI_EVIDENCE_MAX_MB = env_int("FAZHI_EVIDENCE_MAX_MB", 20, min_value=1, max_value=1024)
FAZHI_EVIDENCE_TYPES = env_list("FAZHI_EVIDENCE_TYPES", ["pdf", "jpeg", "png", "docx", "xlsx"])
# Objections from one address per hour on the public notice page.
FAZHI_OBJECTIONS_PER_HOUR = env_int("FAZHI_OBJECTIONS_PER_HOUR", 5, min_value=1, max_value=10_000)

# The ledgers (台账): every statutory figure, its default from docs/domain.md (the seed ❸ ❹ ❻ and the statutes).
# Deadline board: what falls due within this many days is listed as "due soon".
FAZHI_DEADLINE_SOON_DAYS = env_int("FAZHI_DEADLINE_SOON_DAYS", 7, min_value=1, max_value=365)
# Normative documents: legality-review report (working days), validity (years; provisional/trial ones),
# filing with the government above (calendar days after publication), evaluation before expiry (months).
FAZHI_DOCUMENT_REVIEW_WORKING_DAYS = env_int("FAZHI_DOCUMENT_REVIEW_WORKING_DAYS", 15, min_value=1, max_value=365)
FAZHI_DOCUMENT_VALIDITY_YEARS = env_int("FAZHI_DOCUMENT_VALIDITY_YEARS", 5, min_value=1, max_value=50)
FAZHI_DOCUMENT_PROVISIONAL_VALIDITY_YEARS = env_int(
    "FAZHI_DOCUMENT_PROVISIONAL_VALIDITY_YEARS", 2, min_value=1, max_value=50
)
FAZHI_DOCUMENT_FILING_DAYS = env_int("FAZHI_DOCUMENT_FILING_DAYS", 30, min_value=1, max_value=365)
FAZHI_DOCUMENT_EVALUATION_MONTHS = env_int("FAZHI_DOCUMENT_EVALUATION_MONTHS", 6, min_value=1, max_value=60)
# Major administrative decisions: the public comment period (days), legality review (working days), and the
# categories that need a risk assessment (❹).
FAZHI_DECISION_COMMENT_DAYS = env_int("FAZHI_DECISION_COMMENT_DAYS", 30, min_value=1, max_value=365)
FAZHI_DECISION_REVIEW_WORKING_DAYS = env_int("FAZHI_DECISION_REVIEW_WORKING_DAYS", 7, min_value=1, max_value=365)
# Days ahead a hearing on a major decision must be announced, its materials published.
FAZHI_DECISION_HEARING_NOTICE_DAYS = env_int("FAZHI_DECISION_HEARING_NOTICE_DAYS", 7, min_value=1, max_value=365)
FAZHI_DECISION_RISK_CATEGORIES = env_list(
    "FAZHI_DECISION_RISK_CATEGORIES",
    [
        "government_investment",
        "public_facilities",
        "utility_prices",
        "enterprise_restructuring",
        "land_acquisition",
        "demolition",
        "environment",
        "education_health",
        "social_security",
    ],
)
# Enforcement: the exam pass mark (points of 100); case-file grades (points of 100).
FAZHI_EXAM_PASS_MARK = env_int("FAZHI_EXAM_PASS_MARK", 60, min_value=0, max_value=100)
FAZHI_CASE_FILE_EXCELLENT = env_int("FAZHI_CASE_FILE_EXCELLENT", 90, min_value=0, max_value=100)
FAZHI_CASE_FILE_PASS = env_int("FAZHI_CASE_FILE_PASS", 60, min_value=0, max_value=100)
# Enforcement officers' yearly training hours (法治政府建设实施纲要 2021—2025: at least 60).
FAZHI_ENFORCEMENT_TRAINING_HOURS = env_int("FAZHI_ENFORCEMENT_TRAINING_HOURS", 60, min_value=1, max_value=1000)
# Disputes: reconsideration (2023 law: decide within 60 days of acceptance, one extension of up to 30, at least
# 2 handlers); information disclosure on request (20 working days, one extension of up to 20).
FAZHI_RECONSIDERATION_DAYS = env_int("FAZHI_RECONSIDERATION_DAYS", 60, min_value=1, max_value=365)
FAZHI_RECONSIDERATION_EXTENSION_DAYS = env_int("FAZHI_RECONSIDERATION_EXTENSION_DAYS", 30, min_value=0, max_value=365)
FAZHI_RECONSIDERATION_MIN_HANDLERS = env_int("FAZHI_RECONSIDERATION_MIN_HANDLERS", 2, min_value=1, max_value=20)
FAZHI_DISCLOSURE_WORKING_DAYS = env_int("FAZHI_DISCLOSURE_WORKING_DAYS", 20, min_value=1, max_value=365)
FAZHI_DISCLOSURE_EXTENSION_WORKING_DAYS = env_int(
    "FAZHI_DISCLOSURE_EXTENSION_WORKING_DAYS", 20, min_value=0, max_value=365
)
# Study (❻ ❸ ❹): each person's law-study hours a year; the central study group's sessions a year (1–2); law
# seminars for leaders a year (governments at county level and above); standing-meeting hearings a year.
FAZHI_STUDY_HOURS_PER_YEAR = env_int("FAZHI_STUDY_HOURS_PER_YEAR", 40, min_value=1, max_value=1000)
FAZHI_CENTRAL_GROUP_SESSIONS_MIN = env_int("FAZHI_CENTRAL_GROUP_SESSIONS_MIN", 1, min_value=0, max_value=100)
FAZHI_CENTRAL_GROUP_SESSIONS_MAX = env_int("FAZHI_CENTRAL_GROUP_SESSIONS_MAX", 2, min_value=1, max_value=100)
FAZHI_SEMINARS_MIN = env_int("FAZHI_SEMINARS_MIN", 2, min_value=0, max_value=100)
FAZHI_STANDING_MEETING_HEARINGS_MIN = env_int("FAZHI_STANDING_MEETING_HEARINGS_MIN", 2, min_value=0, max_value=100)
FAZHI_STUDY_SESSION_HOURS_MAX = env_int("FAZHI_STUDY_SESSION_HOURS_MAX", 40, min_value=1, max_value=200)

# Background work: the database queue by default ("database"), the in-process runner
# ("immediate", used by the tests), or RQ on Redis ("rq", needs the [rq] extra and FAZHI_REDIS_URL).
FAZHI_TASKS_BACKEND = env_choice("FAZHI_TASKS_BACKEND", "database", ("database", "immediate", "rq"))
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[FAZHI_TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if FAZHI_TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]  # workers: `fazhi rqworker --job-class django_tasks_rq.Job`
    RQ_QUEUES = {"default": {"URL": env_str("FAZHI_REDIS_URL", "redis://127.0.0.1:6379/0")}}

# Behind a reverse proxy (nginx) that is the only way in: trust its X-Forwarded-Proto, and take the
# client's address for the audit log from the last X-Forwarded-For entry (the one the proxy added).
FAZHI_BEHIND_PROXY = env_bool("FAZHI_BEHIND_PROXY", False)

# Production hardening: on unless FAZHI_DEBUG=1; each can be relaxed by its variable.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("FAZHI_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("FAZHI_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("FAZHI_HSTS_SECONDS", 31_536_000, min_value=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FAZHI_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("FAZHI_HSTS_PRELOAD", True)
    if FAZHI_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("FAZHI_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}
