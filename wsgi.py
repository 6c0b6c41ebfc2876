"""The application for gunicorn: `gunicorn wsgi:app`."""

from rom import create_app

app = create_app()
