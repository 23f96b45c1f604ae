"""The application factory."""

from flask import Flask
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from buurthulp import config as config_module
from buurthulp import models  # noqa: F401  (registers all tables)
from buurthulp.accounts import login_sessions
from buurthulp.errors import register_error_handlers
from buurthulp.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio
from buurthulp.i18n import select_locale
from buurthulp.ops.concurrency import ActiveRequestLimit
from buurthulp.ops.logging_setup import configure_logging
from buurthulp.ops.request_hooks import SocketIORequestMetrics, init_request_hooks
from buurthulp.pages import chrome
from buurthulp.realtime import setup as realtime_setup
from buurthulp.security_headers import SocketIOHeaders, add_security_headers
from buurthulp.static_urls import init_static_urls


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings read from the environment (tests use it)."""
    settings = config_module.load_settings(config)
    app = Flask(
        "buurthulp",
        root_path=str(config_module.PROJECT_ROOT / "buurthulp"),
        template_folder=str(config_module.PROJECT_ROOT / "templates"),
        static_folder=str(config_module.PROJECT_ROOT / "static"),
        instance_path=str(config_module.INSTANCE_DIR),
    )
    app.config.update(settings)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        # Without this, rate limits and logs would see every visitor as the proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        config_module.INSTANCE_DIR.mkdir(exist_ok=True)
    configure_logging(log_format=app.config["LOG_FORMAT"], level=app.config["LOG_LEVEL"])

    init_request_hooks(app)  # first: its hook runs before the limiter's and login's
    _init_extensions(app)
    _register_blueprints(app)
    register_error_handlers(app)
    app.after_request(add_security_headers)
    app.wsgi_app = ActiveRequestLimit(app.wsgi_app, limit=app.config.get("WEB_ACTIVE_REQUESTS", 0))
    app.wsgi_app = SocketIOHeaders(app.wsgi_app, hsts=app.config["HSTS"])
    app.wsgi_app = SocketIORequestMetrics(app.wsgi_app)
    _register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(config_module.PROJECT_ROOT / "migrations"),
        render_as_batch=True,  # SQLite can only alter tables by copying them
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_sessions.init_login_manager(app, login_manager)
    realtime_setup.init_socketio(app, socketio)
    app.context_processor(_template_globals)
    init_static_urls(app)


def _template_globals() -> dict:
    return {
        "current_locale": lambda: str(get_locale() or "nl"),
        "site_menu": chrome.menu,
        "site_footer": chrome.footer,
    }


def _register_blueprints(app: Flask) -> None:
    from buurthulp.accounts.views import bp as accounts_bp
    from buurthulp.activities.views import bp as activities_bp
    from buurthulp.listings.views import bp as listings_bp
    from buurthulp.matching.views import bp as matching_bp
    from buurthulp.moderation.views import bp as moderation_bp
    from buurthulp.monitor.views import bp as monitor_bp
    from buurthulp.ops.health import bp as ops_bp
    from buurthulp.ops.metrics_views import bp as metrics_bp
    from buurthulp.outreach.views import bp as outreach_bp
    from buurthulp.pages.views import bp as pages_bp
    from buurthulp.panel.views import bp as panel_bp
    from buurthulp.realtime.views import bp as realtime_bp
    from buurthulp.residents.views import bp as residents_bp
    from buurthulp.scheduler.views import bp as renewal_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(matching_bp)
    app.register_blueprint(renewal_bp)
    app.register_blueprint(realtime_bp)
    app.register_blueprint(panel_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(residents_bp)
    app.register_blueprint(monitor_bp)
    app.register_blueprint(ops_bp)
    app.register_blueprint(activities_bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(outreach_bp)


def _register_commands(app: Flask) -> None:
    from buurthulp.demo.cli import demo_data_command
    from buurthulp.monitor.cli import monitor_cli
    from buurthulp.ops.cli import check_config_command
    from buurthulp.scheduler.cli import scheduler_cli

    app.cli.add_command(check_config_command)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(monitor_cli)
