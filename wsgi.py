"""The application for gunicorn: `gunicorn wsgi:app`."""

from rom import create_app, settle_web_worker

app = create_app()
settle_web_worker()
