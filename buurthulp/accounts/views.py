"""Accounts: register, log in and out, reset a forgotten password.

The pages about one's own account (profile, password, download, delete) live in
`me_views` and are added to this same blueprint by `me_views.add_routes`.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from buurthulp.accounts import login_sessions, me_views, services, tokens
from buurthulp.accounts.forms import (
    LoginForm,
    PasswordForgotForm,
    PasswordResetForm,
    RegisterForm,
    add_error,
)
from buurthulp.accounts.registration import choose_initiative, register_values
from buurthulp.accounts.web import (
    external_url,
    form_status,
    log_in,
    login_limit,
    reset_limit,
    safe_next,
)
from buurthulp.db_types import utcnow
from buurthulp.extensions import db, limiter
from buurthulp.moderation.queries import active_suspension
from buurthulp.moderation.views import suspension_message

bp = Blueprint("accounts", __name__)


@bp.route("/aanmelden", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])  # each sign-up costs a password hash
def register():
    if current_user.is_authenticated:
        return redirect(url_for("listings.nearby"))
    form = RegisterForm()
    if not form.is_submitted():
        return render_template("accounts/register.html", form=form, asking=False)
    form.validate()
    asking = choose_initiative(form)
    if not form.errors and not asking:
        values = register_values(form, locale=str(get_locale() or "nl"))
        try:
            user = services.user_register(**values)
        except services.AccountError as error:
            add_error(form[error.field or "email"], str(error))
        else:
            log_in(user, remember=False)
            flash(
                _("Welkom, %(name)s! U bent aangemeld en ingelogd.", name=user.first_name),
                "success",
            )
            return redirect(url_for("listings.nearby"))
    if asking and not form.errors:
        form.keep_passwords()
    return render_template("accounts/register.html", form=form, asking=asking), form_status(form)


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    target = safe_next(request.args.get("next")) or url_for("listings.nearby")
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.user_authenticate(email=form.email.data, password=form.password.data)
        except services.AccountError as error:
            add_error(form.password, str(error))
        else:
            suspension = active_suspension(user.id, utcnow())
            if suspension is not None:
                add_error(form.password, suspension_message(suspension))
                return render_template("accounts/login.html", form=form), 403
            log_in(user, remember=bool(form.remember.data))
            flash(_("U bent ingelogd."), "success")
            return redirect(target)
    return render_template("accounts/login.html", form=form), form_status(form)


@bp.post("/uitloggen")
@login_required
def logout():
    # Deleting the server-side row is what makes a copied cookie worthless.
    login_sessions.session_end(token=current_user.current_session_token)
    db.session.commit()
    logout_user()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("pages.home"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def password_forgot():
    form = PasswordForgotForm()
    if form.validate_on_submit():
        services.password_reset_send(
            email=form.email.data,
            link_for=lambda token: external_url("accounts.password_reset", token=token),
        )
        # The same answer whether or not the address has an account.
        flash(
            _(
                "Als er een account is met dit e-mailadres, krijgt u binnen een paar minuten een "
                "e-mail met een link om een nieuw wachtwoord te kiezen. Kijk ook bij de "
                "ongewenste e-mail."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/password_forgot.html", form=form), form_status(form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def password_reset(token: str):
    user = tokens.reset_token_user(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    if user is None:
        return render_template("accounts/password_reset_invalid.html"), 400
    form = PasswordResetForm(user=user)
    if form.validate_on_submit():
        try:
            services.password_reset(user=user, new_password=form.password.data)
        except services.AccountError as error:
            add_error(form.password, str(error))
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Uw nieuwe wachtwoord is opgeslagen. Log nu in met dat wachtwoord."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/password_reset.html", form=form), form_status(form)


me_views.add_routes(bp)
