"""Staff forms (Flask-WTF: CSRF on every one)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
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

from rom.labels import FORMAT_LABELS, KIND_LABELS, LEAVE_LABELS
from rom.models.treatment_volumes import FIRST_YEAR, LAST_YEAR, MAX_SESSIONS

ACTIONS = [
    SelectChoice("", _l("Kies een actie")),
    SelectChoice("step_up", _l("Opschalen")),
    SelectChoice("step_down", _l("Afschalen")),
    SelectChoice("contact", _l("Contact opnemen")),
    SelectChoice("discuss_in_team", _l("Bespreken in het team")),
    SelectChoice("no_action", _l("Geen actie")),
]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired()])


class CodeForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired(), Length(min=6, max=20)])


class AcknowledgeForm(FlaskForm):
    action = SelectField(_l("Actie"), choices=ACTIONS, validators=[DataRequired()])
    note = TextAreaField(_l("Notitie"), validators=[Optional(), Length(max=2000)])


class WholeNumberField(IntegerField):
    """An integer field whose refusal of non-numbers speaks Dutch first."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Vul een heel getal in.")) from None


def between(low: int, high: int) -> NumberRange:
    return NumberRange(low, high, _l("Kies %(low)s tot en met %(high)s.", low=low, high=high))


class BatteryInstrumentRow(Form):
    """One instrument of the library in a battery form (a subform: the outer form has CSRF)."""

    instrument_id = HiddenField()
    asked = BooleanField(_l("Afnemen"))
    first_session = WholeNumberField(
        _l("Vanaf sessie"),
        default=1,
        validators=[InputRequired(_l("Vul een sessie in.")), between(1, 52)],
    )
    every = WholeNumberField(
        _l("Elke hoeveelste sessie"),
        default=1,
        validators=[InputRequired(_l("Vul in om de hoeveel sessies.")), between(1, 12)],
    )


class BatteryForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=120)])
    send_offset_hours = WholeNumberField(
        _l("Versturen, uren t.o.v. de start van de sessie (negatief = ervoor)"),
        validators=[InputRequired(_l("Vul een aantal uren in.")), between(-168, 48)],
    )
    reminder_after_hours = WholeNumberField(
        _l("Herinnering, uren na versturen"),
        validators=[InputRequired(_l("Vul een aantal uren in.")), between(1, 168)],
    )
    expires_after_hours = WholeNumberField(
        _l("Link verloopt, uren na versturen"),
        validators=[InputRequired(_l("Vul een aantal uren in.")), between(2, 336)],
    )
    instruments = FieldList(FormField(BatteryInstrumentRow))

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            return False
        if self.expires_after_hours.data <= self.reminder_after_hours.data:
            self.expires_after_hours.errors.append(
                _("De link moet later verlopen dan de herinnering komt.")
            )
            return False
        if self.send_offset_hours.data + self.expires_after_hours.data <= 0:
            self.expires_after_hours.errors.append(
                _("De link verloopt dan al vóór de sessie begint.")
            )
            return False
        if not any(row.form.asked.data for row in self.instruments):
            self.instruments.errors.append(_("Kies ten minste één vragenlijst."))
            return False
        return True


class GroupBatteryForm(FlaskForm):
    battery_id = SelectField(_l("Meetschema"), coerce=int, validators=[InputRequired()])


KINDS = [SelectChoice(code, text) for code, text in KIND_LABELS.items()]


FORMATS = [SelectChoice(code, text) for code, text in FORMAT_LABELS.items()]


class GroupForm(FlaskForm):
    code = StringField(_l("Code (zonder namen)"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Soort"), choices=KINDS)
    format = SelectField(_l("Vorm"), choices=FORMATS)
    planned_sessions = WholeNumberField(
        _l("Aantal sessies"),
        validators=[InputRequired(_l("Vul het aantal sessies in.")), between(1, 60)],
    )
    intended_size = WholeNumberField(
        _l("Beoogde grootte"),
        default=8,
        validators=[InputRequired(_l("Vul de beoogde grootte in.")), between(2, 20)],
    )
    minimum_size = WholeNumberField(
        _l("Minimale grootte"),
        default=4,
        validators=[InputRequired(_l("Vul de minimale grootte in.")), between(2, 20)],
    )
    language = SelectField(
        _l("Taal van de groep"),
        choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
    )
    start_date = DateField(_l("Eerste sessie"), validators=[InputRequired(_l("Kies een datum."))])
    start_time = TimeField(_l("Tijd"), validators=[InputRequired(_l("Kies een tijd."))])
    therapists = SelectMultipleField(
        _l("Behandelaars"),
        coerce=int,
        validators=[DataRequired(_l("Kies een of meer behandelaars."))],
    )
    battery_id = SelectField(_l("Meetschema"), coerce=int)
    member_feedback = BooleanField(_l("Leden zien hun eigen verloop na het invullen"))
    ask_topic = BooleanField(_l("Leden vragen wat zij in de groep willen inbrengen"))


class ExtraSessionForm(FlaskForm):
    day = DateField(_l("Datum"), validators=[InputRequired(_l("Kies een datum."))])
    at = TimeField(_l("Tijd"), validators=[InputRequired(_l("Kies een tijd."))])


class EnrolForm(FlaskForm):
    code = StringField(_l("Pseudoniem (code)"), validators=[DataRequired(), Length(max=40)])
    known_client = BooleanField(_l("Bekende cliënt: eerder lid van een van mijn groepen"))
    first_name = StringField(_l("Voornaam"), validators=[Length(max=80)])
    email = EmailField("E-mail", validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Mobiel"), validators=[Optional(), Length(max=32)])
    language = SelectField(
        _l("Taal"), choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]
    )
    email_consent = BooleanField(_l("Wil vragenlijsten per e-mail ontvangen"), default=True)
    sms_consent = BooleanField(_l("Wil vragenlijsten per sms ontvangen"), default=True)


LEAVE_REASONS = [SelectChoice(code, text) for code, text in LEAVE_LABELS.items()]


class EndMembershipForm(FlaskForm):
    reason = SelectField(_l("Reden"), choices=LEAVE_REASONS)
    last_session = WholeNumberField(
        _l("Laatste sessie"),
        validators=[InputRequired(_l("Vul de laatste sessie in.")), between(1, 200)],
    )


class PlainForm(FlaskForm):
    """Only the CSRF token (forms whose fields are built by hand, such as attendance)."""


WEEKDAYS = (
    _l("maandag"),
    _l("dinsdag"),
    _l("woensdag"),
    _l("donderdag"),
    _l("vrijdag"),
    _l("zaterdag"),
    _l("zondag"),
)
PARTS = (("morning", _l("ochtend")), ("afternoon", _l("middag")), ("evening", _l("avond")))
RATING_CHOICES = [
    SelectChoice("sufficient", _l("voldoende")),
    SelectChoice("doubtful", _l("twijfel")),
    SelectChoice("insufficient", _l("onvoldoende")),
]


class ReferralForm(FlaskForm):
    """Parsing only: the waiting list's service checks the content and names what is wrong."""

    code = StringField(_l("Pseudoniem (code)"), validators=[Length(max=40)])
    known_client = BooleanField(_l("Bekende cliënt: eerder lid van een van mijn groepen"))
    first_name = StringField(_l("Voornaam"), validators=[Length(max=80)])
    email = EmailField("E-mail", validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Mobiel"), validators=[Optional(), Length(max=32)])
    language = SelectField(
        _l("Taal van de behandeling"),
        choices=[
            SelectChoice("", _l("Kies een taal")),
            SelectChoice("nl", "Nederlands"),
            SelectChoice("en", "English"),
        ],
        validate_choice=False,
    )
    kind = SelectField(
        _l("Soort groep"),
        choices=[SelectChoice("", _l("Elke soort")), *KINDS],
        validate_choice=False,
    )
    availability = SelectMultipleField(
        _l("Kan komen op"),
        choices=[
            SelectChoice(f"{day}:{part}", f"{WEEKDAYS[day]} {label}")
            for day in range(7)
            for part, label in PARTS
        ],
        validate_choice=False,
    )
    referrer = StringField(_l("Verwezen door"), validators=[Length(max=120)])
    referred_on = DateField(_l("Verwijsdatum"), validators=[InputRequired(_l("Kies een datum."))])
    notes = TextAreaField(_l("Notities van de verwijzer"), validators=[Length(max=4000)])


class JudgementForm(FlaskForm):
    motivation = SelectField(_l("Motivatie"), choices=RATING_CHOICES, validate_choice=False)
    reflection = SelectField(
        _l("Vermogen tot reflectie"), choices=RATING_CHOICES, validate_choice=False
    )
    social_functioning = SelectField(
        _l("Sociaal functioneren"), choices=RATING_CHOICES, validate_choice=False
    )
    language_and_cognition = SelectField(
        _l("Taal- en cognitieve vaardigheden"), choices=RATING_CHOICES, validate_choice=False
    )
    contra_indications = SelectMultipleField(
        _l("Contra-indicaties"),
        choices=[
            SelectChoice("acute_psychosis", _l("acute psychose")),
            SelectChoice("severe_trauma_symptoms", _l("ernstige traumaklachten")),
            SelectChoice("overstimulation", _l("overprikkeling")),
            SelectChoice("other", _l("anders (zie reden)")),
        ],
        validate_choice=False,
    )
    decision = SelectField(
        _l("Besluit"),
        choices=[
            SelectChoice("", _l("Kies een besluit")),
            SelectChoice("suitable", _l("geschikt voor een groep")),
            SelectChoice("individual_first", _l("eerst individueel")),
            SelectChoice("not_suitable", _l("niet geschikt")),
        ],
        validate_choice=False,
    )
    reason = TextAreaField(_l("Reden"), validators=[Length(max=4000)])


ROLES = [
    SelectChoice("therapist", _l("behandelaar")),
    SelectChoice("manager", _l("manager")),
    SelectChoice("admin", _l("beheerder")),
]


class PasswordForm(FlaskForm):
    password = PasswordField(_l("Nieuw wachtwoord"), validators=[DataRequired()])
    repeat = PasswordField(_l("Nog een keer"), validators=[DataRequired()])


class ForgotForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])


def roles_field() -> SelectMultipleField:
    """One or more roles, shown as checkboxes: one account may hold several."""
    return SelectMultipleField(
        _l("Rollen"), choices=ROLES, validators=[DataRequired(_l("Kies ten minste één rol."))]
    )


class InviteForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=120)])
    roles = roles_field()


class AccountForm(FlaskForm):
    roles = roles_field()
    groups = SelectMultipleField(_l("Groepen (als behandelaar)"), coerce=int, choices=[])
    intake = BooleanField(_l("Werkt de wachtlijst af en ziet de antwoorden bij de intake"))


class ContactForm(FlaskForm):
    first_name = StringField(_l("Voornaam"), validators=[DataRequired(), Length(max=80)])
    email = EmailField("E-mail", validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Mobiel"), validators=[Optional(), Length(max=32)])
    language = SelectField(
        _l("Taal"), choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]
    )
    email_consent = BooleanField(_l("Wil vragenlijsten per e-mail ontvangen"))
    sms_consent = BooleanField(_l("Wil vragenlijsten per sms ontvangen"))


class IndividualVolumeForm(FlaskForm):
    """One calendar year's individual treatment contacts of the whole organisation."""

    year = WholeNumberField(
        _l("Jaar"),
        validators=[InputRequired(_l("Vul een jaar in.")), between(FIRST_YEAR, LAST_YEAR)],
    )
    sessions = WholeNumberField(
        _l("Individuele contacten"),
        validators=[
            InputRequired(_l("Vul het aantal contacten in.")),
            between(0, MAX_SESSIONS),
        ],
    )


class IndividualVolumeFileForm(FlaskForm):
    file = FileField(_l("CSV-bestand"), validators=[FileRequired(_l("Kies een bestand."))])
