"""The activities blueprint; routes live in the *_views modules imported by views.py."""

from flask import Blueprint

bp = Blueprint("activities", __name__, url_prefix="/activiteiten")
