"""Staff forms (Flask-WTF: CSRF on every one)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

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
