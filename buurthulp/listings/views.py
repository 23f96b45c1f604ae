"""Listings: requests and offers. (Being built.)"""

from flask import Blueprint

bp = Blueprint("listings", __name__)


@bp.get("/dichtbij")
def nearby():
    return "todo"


@bp.route("/hulpvragen/nieuw", methods=["GET", "POST"])
def request_new():
    return "todo"


@bp.route("/hulpaanbod/nieuw", methods=["GET", "POST"])
def offer_new():
    return "todo"


@bp.get("/mijn-hulp")
def mine():
    return "todo"
