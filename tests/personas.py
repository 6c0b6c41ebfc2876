"""The people in the staff tests, each with what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from rom.extensions import db
from rom.models import Role, StaffUser
from rom.services.accounts import new_staff_user

PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    anna: StaffUser  # therapist: leads group A
    bram: StaffUser  # therapist: co-therapist of group A
    carla: StaffUser  # therapist: leads group B only; must see nothing of group A
    mila: StaffUser  # manager: aggregates and pseudonymous codes, never acknowledges
    ad: StaffUser  # admin: accounts, outbox, audit


def cast() -> Cast:
    people = {
        "anna": new_staff_user("anna@kring.test", "Anna", Role.THERAPIST, PASSWORD),
        "bram": new_staff_user("bram@kring.test", "Bram", Role.THERAPIST, PASSWORD),
        "carla": new_staff_user("carla@kring.test", "Carla", Role.THERAPIST, PASSWORD),
        "mila": new_staff_user("mila@kring.test", "Mila", Role.MANAGER, PASSWORD),
        "ad": new_staff_user("ad@kring.test", "Ad", Role.ADMIN, PASSWORD),
    }
    db.session.add_all(people.values())
    db.session.flush()
    return Cast(**people)
