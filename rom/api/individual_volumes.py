"""The organisation's individual treatment volume per calendar year: read it, or set one year
(the share of group treatment in all treatment needs it; Kring sees only groups)."""

from __future__ import annotations

from datetime import UTC

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from rom.api.auth import audit, idempotent, identify, requires
from rom.extensions import db
from rom.models import IndividualVolume, VolumeSource
from rom.models.treatment_volumes import FIRST_YEAR, LAST_YEAR
from rom.schemas.api import IndividualVolumePayload, IndividualVolumeSchema
from rom.services.individual_volumes import record_individual_volume, recorded_volumes

blp = Blueprint(
    "api_volumes", __name__, url_prefix="/api/v1", description="Individual treatment volume"
)
blp.before_request(identify)
blp.after_request(audit)


def _volume(volume: IndividualVolume) -> dict:
    return {
        "year": volume.year,
        "sessions": volume.sessions,
        "recorded_at": volume.recorded_at.replace(tzinfo=UTC),  # stored as naive UTC
        "source": volume.source.value,
    }


@blp.route("/individual-volumes")
class IndividualVolumes(MethodView):
    @blp.response(200, IndividualVolumeSchema(many=True))
    @requires("volumes:read")
    def get(self):
        """The organisation's individual treatment contacts per calendar year, by year."""
        return [_volume(v) for v in reversed(recorded_volumes())]


@blp.route(f"/individual-volumes/<int(min={FIRST_YEAR}, max={LAST_YEAR}):year>")
class IndividualVolumeOfYear(MethodView):
    @blp.arguments(IndividualVolumePayload)
    @blp.response(200, IndividualVolumeSchema)
    @blp.alt_response(201, schema=IndividualVolumeSchema, description="The year was new.")
    @requires("volumes:write")
    @idempotent
    def put(self, payload: dict, year: int):
        """Set the year's individual treatment contacts (sessions), replacing an earlier figure:
        the same unit as Kring's group volume (attended member-sessions)."""
        new = db.session.get(IndividualVolume, year) is None
        stored = record_individual_volume(year, payload["sessions"], g.api_token, VolumeSource.API)
        return _volume(stored), 201 if new else 200
