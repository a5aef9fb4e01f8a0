"""Settings for gaizao, read from the environment with safe defaults for local use."""

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gaizao.core.clock import parse_setting
from gaizao.core.env import envbool, envint, envlist, replica_database, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
WORK_DIR = Path.cwd()

DEBUG = envbool("DEBUG", False)
SECRET_KEY = secret_key(WORK_DIR)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{WORK_DIR / 'gaizao.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while the background worker writes an import; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 30}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL streaming replica for the reports (docs/deploy.md): GAIZAO_REPLICA_URL, written like DATABASE_URL.
# The router sends these views' reads to it when it answers and keeps up; all else, and every write, to the primary.
if os.environ.get("GAIZAO_REPLICA_URL", "").strip():
    DATABASES["replica"] = replica_database(os.environ["GAIZAO_REPLICA_URL"].strip(), DATABASES["default"])
DATABASE_ROUTERS = ["gaizao.core.db_router.ReplicaRouter"]
REPLICA_READ_VIEWS = ["reports:summary", "reports:summary_export", "api-summary", "api-progress",
                      "works:dashboard", "works:dashboard_map", "works:bulletin", "works:lagging",
                      "works:bulletin_docx", "works:bulletin_xlsx", "communities:export"]
# Lists whose Excel export (?format=xlsx) reads from the replica; their pages stay on the primary.
REPLICA_READ_EXPORTS = ["works:list", "feedback:list", "votes:list", "planning:board"]
# Reports read from the primary while the replica is further behind than this (seconds)...
REPLICA_MAX_LAG_SECONDS = envint("GAIZAO_REPLICA_MAX_LAG", 5)
# ...and for this long after the user wrote (at least the lag above plus a check, so they see their own write).
REPLICA_STICKY_SECONDS = envint("GAIZAO_REPLICA_STICKY", 5)
REPLICA_CHECK_SECONDS = 1  # each process asks the replica how far behind it is at most this often

# The domain's today (gaizao.core.clock): empty follows the real date, or the day a demo stored (the Yanhu demo
# lives on 2021-11-25); a date YYYY-MM-DD pins the platform to that day; "real" ignores a stored demo day.
GAIZAO_TODAY = parse_setting(os.environ.get("GAIZAO_TODAY"))

# Residents: how long the responsible party has to answer feedback, and how long a resident has to confirm.
FEEDBACK_DUE_DAYS = envint("FEEDBACK_DUE_DAYS", 7)
FEEDBACK_UTILITY_DUE_DAYS = envint("FEEDBACK_UTILITY_DUE_DAYS", 3)
FEEDBACK_CONFIRM_DAYS = envint("FEEDBACK_CONFIRM_DAYS", 7)

# Owners' votes (Civil Code art. 278 by default; local rules may differ): shares as exact fractions.
VOTE_RULES = {"quorum": "2/3", "ordinary": "1/2", "major": "3/4"}
# The name a vote records with the thresholds it copied; a province with its own rules (e.g. for elevators) sets
# VOTE_RULES and names them here, so every result says which rules it was counted by.
VOTE_RULE_SET = "《中华人民共和国民法典》第二百七十八条"
# Residents identify with a one-time code handed out by the committee (no SMS gateway).
RESIDENT_CODE_CHANNEL = "committee"
RESIDENT_BASE_URL = os.environ.get("RESIDENT_BASE_URL", "")
# A project may need this satisfaction rate (e.g. 0.8) before acceptance; None: no minimum.
SATISFACTION_MIN_RATE = None

# Long work (census imports) runs in the background: `gaizao db_worker` takes tasks from the database.
TASKS = {"default": {"BACKEND": envlist("GAIZAO_TASKS_BACKEND", ["django_tasks_db.DatabaseBackend"])[0]}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "gaizao.core",
    "gaizao.regions",
    "gaizao.accounts",
    "gaizao.communities",
    "gaizao.catalog",
    "gaizao.planning",
    "gaizao.works",
    "gaizao.participation",  # migration history only (see its apps.py)
    "gaizao.households",
    "gaizao.residents",
    "gaizao.votes",
    "gaizao.surveys",
    "gaizao.feedback",
    "gaizao.notices",
    "gaizao.coordination",
    "gaizao.aftercare",
    "gaizao.defects",
    "gaizao.reports",
    "gaizao.rollup",
    "gaizao.demo",
]

MIDDLEWARE = [
    "gaizao.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "gaizao.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gaizao.core.db_router.ReplicaReadsMiddleware",  # after authentication: it reads the user first
    "gaizao.coordination.middleware.DepartmentScopeMiddleware",  # departments' members: joint-meeting pages only
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user name from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind nginx (or any proxies) set PROXY_COUNT to how many: the lockout and the request log then see the
# client's address instead of the proxy's, and only addresses the proxies wrote are believed.
PROXY_COUNT = envint("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "gaizao.core.middleware.client_address"

# Counters shared by every worker process (residents' wrong access codes) need a shared cache: set
# CACHE_URL=redis://127.0.0.1:6379/1 with several gunicorn workers. Without it each process counts alone.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "gaizao"}}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}")

# No inline script anywhere in gaizao's pages; data reaches scripts through json_script. Styles may be set
# by the chart and map libraries. The admin and the Swagger page (third-party templates) are left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/docs/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *envlist("GAIZAO_MAP_TILE_HOSTS", [])],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

ROOT_URLCONF = "gaizao.urls"
WSGI_APPLICATION = "gaizao.wsgi.application"

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
                "gaizao.core.context_processors.platform_day",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(envlist("STATIC_ROOT", [str(WORK_DIR / "staticfiles")])[0])
# Front-end libraries come from the npm lock file and are served from this server: intranets have no CDN.
NODE_MODULES = Path(envlist("GAIZAO_NODE_MODULES", [str(REPO_DIR / "node_modules")])[0])
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
]
# Map tiles: intranets run their own tile server, so the address is a setting, e.g.
# http://tiles.example.gov.cn/{z}/{x}/{y}.png. Empty: the map shows the points on a plain background.
MAP_TILE_URL = os.environ.get("GAIZAO_MAP_TILES", "")
MAP_ATTRIBUTION = os.environ.get("GAIZAO_MAP_ATTRIBUTION", "")
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(envlist("MEDIA_ROOT", [str(WORK_DIR / "media")])[0])
MEDIA_URL = "media/"
# A census workbook of a whole province is a few MB; anything far larger is a mistake.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CENSUS_UPLOAD_MAX_BYTES = envint("CENSUS_UPLOAD_MAX_BYTES", 30 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gaizao.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gaizao API",
    "DESCRIPTION": ("The old-community renovation programme: census, catalog, plans and programme, works, residents' "
                    "participation and the district summary. Systems send `Authorization: Token <key>` "
                    "(`gaizao api_token <username>`); lists are paginated (`page`) and filtered as documented."),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page describe the system to those who use it: a signed-in user or a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies get their own components, so required text (minLength) and uploads (binary) are exact.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "gaizao.core.api.document_errors"],
    # Several models have a `status`; each enum gets its own name instead of a hash.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "gaizao.works.models.Project.Status",
        # a contractor's and a utility's progress lines share the words report/correction
        "ProgressKindEnum": "gaizao.works.models.ProgressEntry.Kind",
        "PlanStatusEnum": "gaizao.planning.models.CommunityPlan.Status",
    },
}

SESSION_COOKIE_HTTPONLY = True
HTTPS = envbool("HTTPS", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if HTTPS:
    # Behind nginx or the intranet's proxy, which terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", True)
X_FRAME_OPTIONS = "DENY"
# A refused form (expired, or opened before logging in again) gets the site's 403 page saying what to do.
CSRF_FAILURE_VIEW = "gaizao.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gaizao.core.middleware.RequestIdLogFilter"},
                "client_errors_on_one_line": {"()": "gaizao.core.logs.ClientErrorsOnOneLine"}},
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"gaizao.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
                # A refused request (403, 400) is one warning line; a server error keeps its traceback.
                "django.request": {"filters": ["client_errors_on_one_line"]}},
}

# Until `collectstatic` has run, WhiteNoise serves from the finders and would warn on every start.
warnings.filterwarnings("ignore", message="No directory at")
