"""Pages that belong to no domain: the home page and the language switch."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from buurthulp.extensions import db

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return redirect(url_for("listings.nearby"))
    return render_template("pages/home.html")


@bp.post("/taal")
def set_language():
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    target = request.form.get("next", "")
    # Only local paths: never an open redirect.
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("pages.home")
    return redirect(target)


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html")
