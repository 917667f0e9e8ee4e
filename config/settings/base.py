"""Settings shared by every environment; each value that differs per deployment comes from the
environment so that one image serves development, CI and production."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours first so that our templates override Wagtail's and Django's.
    "portal_api.common",
    "portal_api.accounts",
    "portal_api.catalog",
    "portal_api.orders",
    "portal_api.billing",
    "portal_api.service",
    "portal_api.documents",
    "portal_api.dashboards",
    "portal_api.exports",
    "cms",
    "workflows",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Translated page trees (one per locale) edited in the admin: "Translate" on a page or a
    # snippet, its strings side by side, "Sync translated pages" after the source changes.
    "wagtail_localize",
    "wagtail_localize.locales",  # the admin's Locales screen (instead of wagtail.locales)
    "wagtail.embeds",
    "wagtail.sites",
    "portal_api.accounts.wagtail_users.PortalUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a nonce per response, and Permissions-Policy (see below).
    "portal_api.common.middleware.PortalCSPMiddleware",
    "portal_api.common.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /api/: a body over the limit is a 413 in the API's error shape before anything reads it.
    "portal_api.common.middleware.ApiRequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The login and password-reset forms past their rate: a 429 page (REST_FRAMEWORK's rates).
    "portal_api.common.throttling.FormThrottleMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Security headers. Content-Security-Policy (django-csp): scripts and styles from our origin,
# inline ones only with the response's nonce (base.html's import map and brand colours);
# images also as data: and blob: (signature pad, photo previews); nothing from elsewhere
# unless listed in CSP_MEDIA_ORIGINS (public media on object storage, for instance).
_CSP_MEDIA = env_list("CSP_MEDIA_ORIGINS")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:", *_CSP_MEDIA],
        "media-src": [SELF, *_CSP_MEDIA],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The Wagtail admin (/admin/, portal_api/common/middleware.py) is Wagtail's markup, not ours,
# and Wagtail 8 is not written for a nonce policy: its form widgets print inline scripts
# (the date and time choosers' `<script>initDateChooser(…)</script>`, rendered without the
# request, so no nonce can reach them), its editor's bundle adds inline scripts and styles,
# and its templates (and our admin hooks) carry inline styles. There, inline scripts and
# styles are allowed ('unsafe-inline', which a nonce in the same directive would cancel, hence
# none); everything else stays as strict as on the site: nothing loaded from or sent to
# another origin, no eval, no plugins. The admin is reachable by logged-in staff only, and
# Django's autoescaping stays the defence against injected markup there. Its page previews
# frame the admin itself.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Browser features the portal never uses are denied to it and to anything it would embed
# (a photo is taken with <input capture>, the phone's camera application, not in the page).
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), display-capture=(), geolocation=(), "
                      "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.portal",
            ],
        },
    },
]

# The embedded default is SQLite so that `make run` needs nothing installed; CI and production
# set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "accounts:login"
WAGTAIL_FRONTEND_LOGIN_URL = "/connexion/"

# Brute-force protection on every login form (portal and admin): 5 failures for one e-mail
# address locks it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Both login forms (portal and Wagtail admin) post the e-mail as "username"; axes counts it
# trimmed and case-folded, so that every spelling of an address is one account (one lockout).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal_api.accounts.identifiers.axes_username"
WAGTAILADMIN_USER_LOGIN_FORM = "portal_api.accounts.forms.AdminLoginForm"
# Per account, not per IP: a client company's users often share one office IP behind NAT, and
# locking the IP would lock them all out because of one colleague's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# site/ holds the widgets and theme; they are ES modules and CSS that need no bundling.
STATICFILES_DIRS = [
    ("portal", BASE_DIR / "site"),
    # Browser libraries installed by `npm ci` from package-lock.json (see base.html's import
    # map); only their distributed files are published.
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/kurkle-color", BASE_DIR / "node_modules" / "@kurkle" / "color" / "dist"),
    ("vendor/signature_pad", BASE_DIR / "node_modules" / "signature_pad" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
# GED files, invoices, reports and exports: never under a public URL, only through views that
# check the selector and the rule.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "var" / "private"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    # S3-compatible object storage (install the `s3` extra); private files get short-lived
    # signed URLs.
    _s3 = {
        "bucket_name": os.environ["S3_BUCKET"],
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3}}
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "private", "querystring_auth": True,
                    "querystring_expire": 300, "default_acl": "private"},
    }

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Atelier Portal <portail@example.fr>")
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS", "service-client@example.fr")
# Catalogue: at or below this quantity available, an article shows as "low" stock.
CATALOG_LOW_STOCK_THRESHOLD = 5
# Orders: what a quantity above the available stock (on hand − reserved) gets. "refuse": the
# draft refuses it (409 naming `quantity`), placement re-checks under lock. "backorder": it is
# accepted; at placement the stock covers what it can and the rest is back-ordered with the
# article's expected restock date (docs/operations.md, "Ordering beyond the stock").
ORDER_STOCK_POLICY = os.environ.get("ORDER_STOCK_POLICY", "refuse").strip().lower()
if ORDER_STOCK_POLICY not in {"refuse", "backorder"}:
    raise ImproperlyConfigured(
        f"ORDER_STOCK_POLICY must be 'refuse' or 'backorder', not {ORDER_STOCK_POLICY!r}.")
# Files that users attach (request photos, intervention photos and documents, receipts):
# the largest file, the most files per request or per upload, the longest image side kept
# after re-encoding (phone photos are 4000 px and more).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
UPLOAD_MAX_FILES = int(os.environ.get("UPLOAD_MAX_FILES", "10"))
UPLOAD_IMAGE_MAX_SIDE = 2560
# Decompression bombs: an image whose header announces more pixels than this is refused before
# anything is decoded (50 million: a 50-megapixel phone photo, 8160 × 6120, passes; 9000 × 9000
# does not); and the pixels that one request decodes in all (JPEGs are decoded at a reduced
# scale when large): ten 12-megapixel phone photos fit.
UPLOAD_IMAGE_MAX_PIXELS = int(os.environ.get("UPLOAD_IMAGE_MAX_PIXELS", "50000000"))
UPLOAD_REQUEST_MAX_PIXELS = int(os.environ.get("UPLOAD_REQUEST_MAX_PIXELS", "150000000"))
# The largest API request with files (multipart): every file at its largest, plus the form
# fields. A larger body is a 413 before it is read (portal_api/common/middleware.py).
UPLOAD_MAX_REQUEST_BYTES = int(os.environ.get(
    "UPLOAD_MAX_REQUEST_BYTES", str(UPLOAD_MAX_FILES * UPLOAD_MAX_BYTES + 1024 * 1024)))

# Wagtail
WAGTAIL_SITE_NAME = "Atelier Portal"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# One page tree per language (cms/services.py: portal_locales_ensure, page_translate). The
# language is the one the visitor chose (LocaleMiddleware: the switcher's cookie, else the
# browser), not a URL prefix: a translation keeps its page's slug, so /espace-client/... is
# one address in both languages, served from the active language's tree (Wagtail routes
# through the translation of the site's root), and the widgets' page links hold in both.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # plain ASCII URLs, easy to type and to share
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents live in the private storage and go through Wagtail's checked view, always as
# attachments (never inline: no SVG or HTML rendered from our origin).
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILDOCS_DOCUMENT_MODEL = "cms.PortalDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call to the outside from the admin
# Nor avatars from Gravatar (it would learn a hash of each staff e-mail, and the policy below
# allows no image from elsewhere): Wagtail's default avatar, or the one a user uploads.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_RESET_ENABLED = True

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call then gets 401 with WWW-Authenticate, not 403. Its
        # failures are counted per IP (the `token_failure` rate).
        "portal_api.common.throttling.PortalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal_api.common.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # The OpenAPI schema: error answers, exports and file types added centrally.
    "DEFAULT_SCHEMA_CLASS": "portal_api.common.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal_api.common.errors.exception_handler",
    # OPTIONS: name, description, media types and the Allow header; no data.
    "DEFAULT_METADATA_CLASS": "portal_api.common.metadata.PortalMetadata",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # ?format=xlsx is our export switch (XlsxExportMixin), not DRF's renderer override.
    "URL_FORMAT_OVERRIDE": None,
    # Rate limits (portal_api/common/throttling.py, docs/operations.md "Rate limits"): every
    # call per user / per anonymous IP, and the stricter scopes that views name.
    "DEFAULT_THROTTLE_CLASSES": [
        "portal_api.common.throttling.AnonThrottle",
        "portal_api.common.throttling.UserThrottle",
        "portal_api.common.throttling.ActionThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        scope: os.environ.get(f"THROTTLE_{scope.upper()}", rate) for scope, rate in {
            "anon": "60/minute",  # per IP, every API call without credentials
            "user": "600/minute",  # per user: the widgets of a page, an ERP's sync
            "ticket_create": "20/hour",  # per user: each request e-mails the staff
            "upload": "120/hour",  # per user: photo and document uploads, receipts
            "invitation": "20/hour",  # per user: each invitation sends an e-mail
            "token_failure": "30/hour",  # per IP: calls with a wrong API token
            "login": "50/hour",  # per IP: failed logins, portal and admin (axes: per account)
            "password_reset": "5/hour",  # per IP and per address: reset e-mails
        }.items()
    },
    # How many reverse proxies append to X-Forwarded-For in front of the app: the client IP
    # that the rates count is the one they saw. 0: REMOTE_ADDR (a spoofed header is ignored).
    "NUM_PROXIES": int(os.environ.get("TRUSTED_PROXY_COUNT", "0")),
}
# The cache holding the rate-limit counts: Redis (shared by every web node) with REDIS_URL.
THROTTLE_CACHE = "default"
SPECTACULAR_SETTINGS = {
    "TITLE": "Atelier Portal API",
    "DESCRIPTION": "Extranet clients et intranet techniciens : ressources du portail.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI from the drf-spectacular-sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The public schema is the portal API (/api/v1/) only: see portal_api/common/schema.py.
    "PREPROCESSING_HOOKS": ["portal_api.common.schema.public_api_endpoints"],
    # Separate components for what a client sends and what it receives (ids and computed
    # fields read-only, never inputs).
    "COMPONENT_SPLIT_REQUEST": True,
    # Bodies are documented as JSON (what the widgets and clients send); uploads declare
    # multipart/form-data themselves. DRF also parses forms, which are not part of the API.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Several models have a `status` (or `kind`): one enum name each, not a hashed one.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "portal_api.orders.models.OrderStatus",
        "InvoiceStatusEnum": "portal_api.billing.models.InvoiceStatus",
        "TicketStatusEnum": "portal_api.service.models.TicketStatus",
        "InterventionStatusEnum": "portal_api.service.models.InterventionStatus",
        "ExportStatusEnum": "portal_api.exports.models.ExportStatus",
        "ExportKindEnum": "portal_api.exports.models.ExportKind",
        "DocumentKindEnum": "portal_api.documents.models.DocumentKind",
        "ArticleKindEnum": "portal_api.catalog.models.ArticleKind",
        "TimeEntryKindEnum": "portal_api.service.models.TimeEntryKind",
        "ExpenseKindEnum": "portal_api.service.models.ExpenseKind",
    },
}

# Celery: with REDIS_URL the tasks go to a worker; without it (the embedded default) they run
# in-process, so a fresh `make run` needs no broker.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks, run by `celery -A config beat` (the compose file's beat service).
CELERY_BEAT_SCHEDULE = {
    # Exports past their retention period: file, document and job removed.
    "exports-purge-expired": {
        "task": "workflows.tasks.exports.export_purge_expired_task",
        "schedule": 3600.0,
    },
    # Exports still waiting long after they were asked (lost message, broker down then).
    "exports-requeue-waiting": {
        "task": "workflows.tasks.exports.export_requeue_waiting_task",
        "schedule": 300.0,
    },
}

# Exports (.xlsx of a list, invoice PDFs of a period as a ZIP). At or under this many rows a
# list's ?format=xlsx answers the file at once; above it an ExportJob is queued and the
# widget follows its progress.
EXPORT_SYNC_MAX_ROWS = int(os.environ.get("EXPORT_SYNC_MAX_ROWS", "5000"))
# Exported files are removed this many days after the request (beat: hourly).
EXPORT_RETENTION_DAYS = int(os.environ.get("EXPORT_RETENTION_DAYS", "7"))
# The worker writes the progress at least this often (seconds); a running job whose last write
# is older than EXPORT_STALE_SECONDS belongs to a dead worker and may be taken over.
EXPORT_PROGRESS_INTERVAL = float(os.environ.get("EXPORT_PROGRESS_INTERVAL", "1.0"))
EXPORT_STALE_SECONDS = float(os.environ.get("EXPORT_STALE_SECONDS", "30"))
# A job that killed its worker this many times is marked failed rather than run again.
EXPORT_MAX_ATTEMPTS = 3
# A job still pending this long after it was asked is queued again (beat, every 5 minutes).
EXPORT_REQUEUE_AFTER_SECONDS = 600
# The most invoices one ZIP may hold (each PDF may need rendering).
EXPORT_ZIP_MAX_INVOICES = int(os.environ.get("EXPORT_ZIP_MAX_INVOICES", "2000"))
# Hard time limit of one export task (seconds); the soft limit, a minute earlier, fails the job
# with a message.
EXPORT_TASK_TIME_LIMIT = int(os.environ.get("EXPORT_TASK_TIME_LIMIT", str(60 * 60)))

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
# Sessions live in the database; with Redis (shared by every web node) they are also read
# through it, which saves the session query of every authenticated request (docs/performance.md).
# Not on the per-process memory cache: a logout on one node would not reach the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# How long a signed download link given by a list stays valid, in seconds
# (portal_api/documents/links.py): within it, the link and a session of the same user suffice.
DOWNLOAD_LINK_MAX_AGE = int(os.environ.get("DOWNLOAD_LINK_MAX_AGE", "300"))


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Wagtail's background tasks log every run at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
