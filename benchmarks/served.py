"""The application as gunicorn serves it in the questionnaire benchmark, with the bare route beside
it (the database and the page to hold in memory come from the benchmark's environment)."""

from __future__ import annotations

import os
from pathlib import Path

from rom import create_app

app = create_app(
    {
        "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
        "SECRET_KEY": "bench",
        "QUESTIONNAIRE_RATE_LIMIT": "1000000 per minute",
    }
)
_PAGE = Path(os.environ["BENCH_BARE_PAGE"]).read_text()
app.add_url_rule("/bare/<token>", "bare", lambda token: _PAGE)
