"""Staff forms (Flask-WTF: CSRF on every one)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

ACTIONS = [
    SelectChoice("", "Kies een actie / choose an action"),
    SelectChoice("step_up", "Opschalen / step up"),
    SelectChoice("step_down", "Afschalen / step down"),
    SelectChoice("contact", "Contact opnemen / contact the member"),
    SelectChoice("discuss_in_team", "Bespreken in het team / discuss in the team"),
    SelectChoice("no_action", "Geen actie / no action"),
]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Wachtwoord / password", validators=[DataRequired()])


class CodeForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired(), Length(min=6, max=20)])


class AcknowledgeForm(FlaskForm):
    action = SelectField("Actie / action", choices=ACTIONS, validators=[DataRequired()])
    note = TextAreaField("Notitie / note", validators=[Optional(), Length(max=2000)])


class WholeNumberField(IntegerField):
    """An integer field whose refusal of non-numbers speaks Dutch first."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een heel getal in. / Enter a whole number.") from None


def between(low: int, high: int) -> NumberRange:
    return NumberRange(low, high, f"Kies {low} tot en met {high}. / Choose {low} to {high}.")


class BatteryInstrumentRow(Form):
    """One instrument of the library in a battery form (a subform: the outer form has CSRF)."""

    instrument_id = HiddenField()
    asked = BooleanField("Afnemen / ask")
    first_session = WholeNumberField(
        "Vanaf sessie / from session",
        default=1,
        validators=[InputRequired("Vul een sessie in."), between(1, 52)],
    )
    every = WholeNumberField(
        "Elke hoeveelste sessie / every nth session",
        default=1,
        validators=[InputRequired("Vul in om de hoeveel sessies."), between(1, 12)],
    )


class BatteryForm(FlaskForm):
    name = StringField("Naam / name", validators=[DataRequired(), Length(max=120)])
    send_offset_hours = WholeNumberField(
        "Versturen, uren t.o.v. de start van de sessie (negatief = ervoor) / send, hours from "
        "the session's start (negative = before)",
        validators=[InputRequired("Vul een aantal uren in."), between(-168, 48)],
    )
    reminder_after_hours = WholeNumberField(
        "Herinnering, uren na versturen / reminder, hours after sending",
        validators=[InputRequired("Vul een aantal uren in."), between(1, 168)],
    )
    expires_after_hours = WholeNumberField(
        "Link verloopt, uren na versturen / link expires, hours after sending",
        validators=[InputRequired("Vul een aantal uren in."), between(2, 336)],
    )
    instruments = FieldList(FormField(BatteryInstrumentRow))

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            return False
        if self.expires_after_hours.data <= self.reminder_after_hours.data:
            self.expires_after_hours.errors.append(
                "De link moet later verlopen dan de herinnering komt. / The link must expire "
                "after the reminder."
            )
            return False
        if self.send_offset_hours.data + self.expires_after_hours.data <= 0:
            self.expires_after_hours.errors.append(
                "De link verloopt dan al vóór de sessie begint. / The link would expire before "
                "the session starts."
            )
            return False
        if not any(row.form.asked.data for row in self.instruments):
            self.instruments.errors.append(
                "Kies ten minste één vragenlijst. / Choose at least one questionnaire."
            )
            return False
        return True


class GroupBatteryForm(FlaskForm):
    battery_id = SelectField("Meetschema / battery", coerce=int, validators=[InputRequired()])


KINDS = [
    SelectChoice("psychotherapy", "Groepspsychotherapie"),
    SelectChoice("psychoeducation", "Psycho-educatie"),
    SelectChoice("skills", "Vaardigheidstraining"),
    SelectChoice("art_psychomotor", "Vaktherapie / PMT"),
    SelectChoice("recovery", "Herstelgroep"),
    SelectChoice("family_system", "Systeemgroep"),
]


class GroupForm(FlaskForm):
    code = StringField("Code (zonder namen) / code", validators=[DataRequired(), Length(max=40)])
    name = StringField("Naam / name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField("Soort / kind", choices=KINDS)
    format = SelectField(
        "Vorm / format",
        choices=[
            SelectChoice("closed", "Gesloten / closed"),
            SelectChoice("slow_open", "Doorlopend / slow-open"),
        ],
    )
    planned_sessions = WholeNumberField(
        "Aantal sessies / sessions",
        validators=[InputRequired("Vul het aantal sessies in."), between(1, 60)],
    )
    intended_size = WholeNumberField(
        "Beoogde grootte / intended size",
        default=8,
        validators=[InputRequired("Vul de beoogde grootte in."), between(2, 20)],
    )
    start_date = DateField(
        "Eerste sessie / first session", validators=[InputRequired("Kies een datum.")]
    )
    start_time = TimeField("Tijd / time", validators=[InputRequired("Kies een tijd.")])
    therapists = SelectMultipleField(
        "Behandelaars / therapists",
        coerce=int,
        validators=[DataRequired("Kies een of meer behandelaars.")],
    )
    battery_id = SelectField("Meetschema / battery", coerce=int)


class ExtraSessionForm(FlaskForm):
    day = DateField("Datum / date", validators=[InputRequired("Kies een datum.")])
    at = TimeField("Tijd / time", validators=[InputRequired("Kies een tijd.")])


class EnrolForm(FlaskForm):
    code = StringField(
        "Pseudoniem (code) / pseudonymous code", validators=[DataRequired(), Length(max=40)]
    )
    first_name = StringField("Voornaam / first name", validators=[DataRequired(), Length(max=80)])
    email = EmailField("E-mail", validators=[Optional(), Length(max=254)])
    phone = StringField("Mobiel / mobile", validators=[Optional(), Length(max=32)])
    language = SelectField(
        "Taal / language", choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]
    )


class EndMembershipForm(FlaskForm):
    reason = SelectField(
        "Reden / reason",
        choices=[
            SelectChoice("completed", "Afgerond / completed"),
            SelectChoice("dropped_out", "Uitgevallen / dropped out"),
            SelectChoice("stepped_up", "Opgeschaald / stepped up"),
            SelectChoice("stepped_down", "Afgeschaald / stepped down"),
            SelectChoice("moved", "Verhuisd of overgeplaatst / moved"),
        ],
    )
    last_session = WholeNumberField(
        "Laatste sessie / last session",
        validators=[InputRequired("Vul de laatste sessie in."), between(1, 200)],
    )


class PlainForm(FlaskForm):
    """Only the CSRF token (forms whose fields are built by hand, such as attendance)."""
