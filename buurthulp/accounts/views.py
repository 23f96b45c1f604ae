"""Accounts: register, log in and out, profile. (Being built.)"""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    return "todo"


@bp.route("/aanmelden", methods=["GET", "POST"])
def register():
    return "todo"


@bp.post("/uitloggen")
def logout():
    return "todo"


@bp.get("/mijn-gegevens")
def profile():
    return "todo"
