"""The application for gunicorn: `gunicorn wsgi:app`."""

import gc

from rom import create_app

app = create_app()
# The loaded modules and the app (some 300,000 objects) live as long as the worker. Frozen out
# of the garbage collector's reach, a full collection takes well under a millisecond instead of
# about 200 ms: one ran every seventh group dashboard callback or so and made their p95.
gc.collect()  # what start-up left behind is not kept for the worker's lifetime
gc.freeze()
