"""The private note on a resident: its own page, so that every look at it is one audited
read (the resident's page only links to it)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from buurthulp.db_types import utcnow
from buurthulp.residents import notes
from buurthulp.residents.blueprint import ID, PREFIX, bp, in_scope, user
from buurthulp.residents.forms import NoteForm
from buurthulp.residents.scope import member_in_scope, proxy_in_scope


def _note_page(initiative_id: int, *, user_id=None, proxy_resident_id=None):
    _role, street_ids = in_scope(initiative_id, *notes.NOTE_ROLES)
    if user_id is not None:
        found = member_in_scope(user_id, initiative_id, street_ids)
        resident = found[0] if found else None
        back = url_for(".member_detail", initiative_id=initiative_id, user_id=user_id)
    else:
        resident = proxy_in_scope(proxy_resident_id, initiative_id, street_ids)
        back = url_for(".proxy_detail", initiative_id=initiative_id, resident_id=proxy_resident_id)
    if resident is None:
        abort(404)
    subject = {"user_id": user_id, "proxy_resident_id": proxy_resident_id}
    form = NoteForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                notes.note_write(
                    initiative_id=initiative_id,
                    body=form.body.data or "",
                    by_user=user(),
                    now=utcnow(),
                    **subject,
                )
            except notes.NoteError as error:
                form.body.errors = [str(error)]
            else:
                flash(_("De notitie is bewaard."))
                return redirect(back, 303)
        page = render_template(
            "residents/note.html", form=form, resident=resident, back=back, note=None
        )
        return page, 422
    note = notes.note_read(initiative_id=initiative_id, reader=user(), now=utcnow(), **subject)
    form = NoteForm(formdata=None, data={"body": note.body if note else ""})
    return render_template(
        "residents/note.html", form=form, resident=resident, back=back, note=note
    )


@bp.route(f"{PREFIX}/bewoners/{ID % 'user_id'}/notitie", methods=["GET", "POST"])
@login_required
def member_note(initiative_id: int, user_id: int):
    return _note_page(initiative_id, user_id=user_id)


@bp.route(f"{PREFIX}/telefoonbewoners/{ID % 'resident_id'}/notitie", methods=["GET", "POST"])
@login_required
def proxy_note(initiative_id: int, resident_id: int):
    return _note_page(initiative_id, proxy_resident_id=resident_id)
