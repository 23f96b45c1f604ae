"""The coordinator's page for the matcher settings of the initiative."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from buurthulp.db_types import utcnow
from buurthulp.i18n import translated_msgid
from buurthulp.initiatives.models import Role
from buurthulp.matching import settings
from buurthulp.panel.blueprint import INITIATIVE_ID, add_section, bp
from buurthulp.panel.common import initiative_for, user
from buurthulp.panel.matcher_forms import MatcherSettingsForm

add_section("panel.matcher", _l("Koppelen instellen"), (Role.COORDINATOR,), order=85)


@bp.route(f"/{INITIATIVE_ID}/koppelen", methods=["GET", "POST"])
@login_required
def matcher(initiative_id: int):
    initiative = initiative_for(initiative_id, Role.COORDINATOR)
    current = settings.current_fields(initiative_id)
    form = MatcherSettingsForm(data=current.__dict__)
    if form.validate_on_submit():
        fields = form.settings_fields()
        errors = settings.settings_errors(fields)
        for name, msgid in errors.items():
            form[name].errors = [*form[name].errors, translated_msgid(msgid)]
        if not errors:
            settings.matching_settings_set(
                initiative_id=initiative_id, fields=fields, actor=user(), now=utcnow()
            )
            flash(_("De instellingen van het koppelen zijn opgeslagen."), "success")
            return redirect(url_for(".matcher", initiative_id=initiative_id), 303)
    page = render_template("panel/matcher.html", initiative=initiative, form=form)
    return page, 422 if form.errors else 200
