"""Pages about one's own account: profile, password, download, delete; and the dev outbox."""

import json
import re
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from buurthulp.accounts import queries, services
from buurthulp.accounts.forms import (
    DeleteAccountForm,
    PasswordChangeForm,
    ProfileForm,
    add_error,
)
from buurthulp.accounts.models import User
from buurthulp.accounts.web import form_status, login_limit
from buurthulp.db_types import utcnow
from buurthulp.extensions import limiter
from buurthulp.labels import ROLES
from buurthulp.mail.sending import outbox_messages
from buurthulp.scheduler.digest_preferences import digest_preference_set, digest_subscribed

LINK_RE = re.compile(r"(https?://[^\s<>\"']+)")


def me() -> User:
    """The logged-in user itself, not the proxy (services add and delete it)."""
    return current_user._get_current_object()


@login_required
def profile():
    user = me()
    form = ProfileForm(obj=user, own_user_id=user.id)
    if not form.is_submitted():
        form.weekly_digest.data = digest_subscribed(user.id)
    if form.validate_on_submit():
        values = {name: form[name].data for name in services.PROFILE_FIELDS}
        try:
            services.user_update(user=user, **values)
        except services.AccountError as error:
            add_error(form[error.field or "email"], str(error))
        else:
            digest_preference_set(user_id=user.id, wanted=form.weekly_digest.data, now=utcnow())
            flash(_("Uw gegevens zijn opgeslagen."), "success")
            return redirect(url_for("accounts.profile"))
    memberships = queries.memberships_of(user.id)
    return render_template(
        "accounts/profile.html", form=form, memberships=memberships, roles=ROLES
    ), form_status(form)


@login_required
@limiter.limit(login_limit, methods=["POST"])
def password_change():
    user = me()
    form = PasswordChangeForm(user=user)
    if form.validate_on_submit():
        try:
            services.password_change(
                user=user,
                current_password=form.current_password.data,
                new_password=form.password.data,
                keep_token=user.current_session_token,
            )
        except services.AccountError as error:
            add_error(form[error.field or "password"], str(error))
        else:
            flash(
                _("Uw wachtwoord is gewijzigd. Op andere apparaten bent u nu uitgelogd."),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password_change.html", form=form), form_status(form)


@login_required
def data_download():
    data = queries.personal_data(me())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="buurthulp-mijn-gegevens.json"'},
    )


@login_required
@limiter.limit(login_limit, methods=["POST"])
def account_delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.user_delete(user=me(), password=form.password.data)
        except services.AccountError as error:
            add_error(form.password, str(error))
        else:
            logout_user()
            flash(_("Uw account en uw persoonlijke gegevens zijn verwijderd."), "info")
            return redirect(url_for("pages.home"))
    return render_template("accounts/delete.html", form=form), form_status(form)


def _with_links(body: str) -> list[tuple[str, bool]]:
    """The body as (text, is_link) parts, so links can be clicked and the rest stays escaped."""
    return [(part, bool(LINK_RE.fullmatch(part))) for part in LINK_RE.split(body) if part]


def dev_outbox():
    """Mail that development wrote to the outbox instead of sending (404 elsewhere)."""
    if current_app.config["ENV_NAME"] != "development":
        abort(404)
    folder = current_app.config.get("MAIL_OUTBOX_DIR")
    messages = [
        {
            "to": message["To"],
            "subject": message["Subject"],
            "parts": _with_links(message.get_body(preferencelist=("plain",)).get_content()),
        }
        for message in (outbox_messages(Path(folder)) if folder else [])
    ]
    return render_template("accounts/outbox.html", messages=messages)


def add_routes(bp: Blueprint) -> None:
    bp.add_url_rule("/mijn-gegevens", view_func=profile, methods=["GET", "POST"])
    bp.add_url_rule("/mijn-gegevens/wachtwoord", view_func=password_change, methods=["GET", "POST"])
    bp.add_url_rule("/mijn-gegevens/download", view_func=data_download, methods=["GET"])
    bp.add_url_rule("/mijn-gegevens/verwijderen", view_func=account_delete, methods=["GET", "POST"])
    bp.add_url_rule("/dev/outbox", view_func=dev_outbox, methods=["GET"])
