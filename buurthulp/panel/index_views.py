"""The panel's start page: per initiative, the sections the user's role may use."""

from flask import render_template
from flask_login import current_user, login_required

from buurthulp.moderation import live
from buurthulp.panel import scope
from buurthulp.panel.blueprint import bp, sections_for


@bp.get("/")
@login_required
def index():
    initiatives = [
        (initiative, role, sections_for(role))
        for initiative, role in scope.panel_initiatives(current_user)
    ]
    if not initiatives:
        # No panel role anywhere: the panel does not exist for this person.
        return render_template("panel/index.html", initiatives=[], waiting={}), 404
    waiting = {
        initiative.id: live.waiting_count(initiative.id)
        for initiative, role, _ in initiatives
        if role in scope.MODERATORS
    }
    return render_template("panel/index.html", initiatives=initiatives, waiting=waiting)
