"""Panel pages for moderators: the review queue, the reports (flags), and the mode."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required

from buurthulp.activities.signup_queries import pending_proposals
from buurthulp.db_types import utcnow
from buurthulp.initiatives.models import Role
from buurthulp.moderation import flags, queries, services
from buurthulp.moderation.models import FlagResolution, FlagSubject, ModerationMode
from buurthulp.panel.blueprint import INITIATIVE_ID, MAX_ID, add_section, bp
from buurthulp.panel.common import KIND, initiative_for, kind_of, listing_or_404, refused, user
from buurthulp.panel.forms import MODE_LABELS, ActionForm, ModeForm, RejectForm, ResolveForm
from buurthulp.panel.scope import MODERATORS

ID = f"<int(max={MAX_ID}):listing_id>"
SUBJECT = "<any(hulpvraag, aanbod, persoon):subject>"
SUBJECTS = {
    "hulpvraag": FlagSubject.HELP_REQUEST,
    "aanbod": FlagSubject.HELP_OFFER,
    "persoon": FlagSubject.USER,
}
SUBJECT_WORDS = {value: key for key, value in SUBJECTS.items()}

add_section("panel.queue", _l("Wachtrij: berichten beoordelen"), MODERATORS, order=10)
add_section("panel.flags", _l("Meldingen van bewoners"), MODERATORS, order=20)
add_section("panel.settings", _l("Moderatie instellen"), (Role.COORDINATOR,), order=80)


def _queue_page(initiative, status=200):
    page = render_template(
        "panel/queue.html",
        initiative=initiative,
        queue=queries.review_queue(initiative.id),
        proposals=pending_proposals(initiative.id),
        mode_label=MODE_LABELS[queries.moderation_mode(initiative.id)],
        form=ActionForm(formdata=None),
        kind_of=kind_of,
    )
    return page, status


@bp.get(f"/{INITIATIVE_ID}/wachtrij")
@login_required
def queue(initiative_id: int):
    return _queue_page(initiative_for(initiative_id, *MODERATORS))


@bp.post(f"/{INITIATIVE_ID}/wachtrij/{KIND}/{ID}/goedkeuren")
@login_required
def approve(initiative_id: int, kind: str, listing_id: int):
    initiative = initiative_for(initiative_id, *MODERATORS)
    listing = listing_or_404(initiative_id, kind, listing_id)
    if not ActionForm().validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return _queue_page(initiative, 422)
    try:
        services.post_approve(listing=listing, actor=user(), now=utcnow())
    except services.ModerationError as error:
        refused(error)
        return _queue_page(initiative, 422)
    flash(_("Goedgekeurd: %(title)s", title=listing.title), "success")
    return redirect(url_for(".queue", initiative_id=initiative_id), 303)


@bp.route(f"/{INITIATIVE_ID}/wachtrij/{KIND}/{ID}/afwijzen", methods=["GET", "POST"])
@login_required
def reject(initiative_id: int, kind: str, listing_id: int):
    initiative = initiative_for(initiative_id, *MODERATORS)
    listing = listing_or_404(initiative_id, kind, listing_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.post_reject(
                listing=listing, actor=user(), reason=form.reason.data, now=utcnow()
            )
        except services.ModerationError as error:
            refused(error, form)
        else:
            flash(_("Afgewezen. De schrijver krijgt de reden per e-mail."), "success")
            return redirect(url_for(".queue", initiative_id=initiative_id), 303)
    page = render_template(
        "panel/reject.html", initiative=initiative, listing=listing, kind=kind, form=form
    )
    return page, 422 if form.errors or form.is_submitted() else 200


def _flags_page(initiative, status=200):
    page = render_template(
        "panel/flags.html",
        initiative=initiative,
        subjects=queries.flag_queue(initiative.id),
        subject_words=SUBJECT_WORDS,
        form=ResolveForm(formdata=None),
    )
    return page, status


@bp.get(f"/{INITIATIVE_ID}/meldingen", endpoint="flags")
@login_required
def flags_list(initiative_id: int):
    return _flags_page(initiative_for(initiative_id, *MODERATORS))


@bp.post(f"/{INITIATIVE_ID}/meldingen/{SUBJECT}/<int(max={MAX_ID}):subject_id>")
@login_required
def resolve(initiative_id: int, subject: str, subject_id: int):
    initiative = initiative_for(initiative_id, *MODERATORS)
    if not queries.open_flags(initiative_id, SUBJECTS[subject], subject_id):
        abort(404)  # nothing reported here, or reported in another initiative
    form = ResolveForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return _flags_page(initiative, 422)
    try:
        closed = flags.flags_resolve(
            initiative_id=initiative_id,
            subject_type=SUBJECTS[subject],
            subject_id=subject_id,
            resolution=FlagResolution(form.resolution.data),
            actor=user(),
            reason=form.reason.data or "",
            now=utcnow(),
        )
    except services.ModerationError as error:
        refused(error)
        return _flags_page(initiative, 422)
    flash(ngettext("%(num)d melding afgehandeld.", "%(num)d meldingen afgehandeld.", closed))
    return redirect(url_for(".flags", initiative_id=initiative_id), 303)


@bp.route(f"/{INITIATIVE_ID}/instellingen", methods=["GET", "POST"])
@login_required
def settings(initiative_id: int):
    initiative = initiative_for(initiative_id, Role.COORDINATOR)
    form = ModeForm(data={"mode": queries.moderation_mode(initiative_id).value})
    if form.validate_on_submit():
        services.mode_set(
            initiative_id=initiative_id,
            mode=ModerationMode(form.mode.data),
            actor=user(),
            now=utcnow(),
        )
        flash(_("De manier van modereren is opgeslagen."), "success")
        return redirect(url_for(".settings", initiative_id=initiative_id), 303)
    page = render_template("panel/settings.html", initiative=initiative, form=form)
    return page, 422 if form.errors else 200
