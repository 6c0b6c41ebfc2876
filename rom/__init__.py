"""Kring: routine outcome monitoring for therapy groups."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; the steps below are its table of contents."""
    from rom.config import load_config

    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    trust_proxies(app)
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_dashboards(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def settle_web_worker() -> None:
    """Once the app is built: what start-up left behind is collected, and what lives on (the
    loaded modules and the app, some 300,000 objects) is frozen out of the garbage collector's
    reach. A full collection then takes well under a millisecond instead of about 200 ms; one
    ran every seventh group dashboard callback or so and made their p95."""
    gc.collect()
    gc.freeze()


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, the client's address and scheme come from their
    X-Forwarded-* headers (rate limits per address, the audit's address, Secure links)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def register_logging(app: Flask) -> None:
    from rom import logs

    logs.init_app(app)


def register_extensions(app: Flask) -> None:
    from rom import database, i18n, models, security  # noqa: F401  (listeners, tables known)
    from rom.extensions import csrf, db, limiter, migrate

    db.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True
    )


def register_blueprints(app: Flask) -> None:
    from rom import api, audit, clientflow, health, staff

    app.register_blueprint(health.bp)
    app.register_blueprint(clientflow.bp)
    app.register_blueprint(staff.bp)
    app.add_url_rule("/", "root", staff.flags.to_home)
    staff.single_sign_on.init_app(app)
    audit.init_app(app)
    api.init_app(app)


def register_dashboards(app: Flask) -> None:
    """The Dash apps under /dash/, each behind the staff login and a role."""
    import dashboards

    dashboards.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from rom import errors

    errors.register_errorhandlers(app)


def register_commands(app: Flask) -> None:
    from rom import cli

    app.cli.add_command(cli.rom)
