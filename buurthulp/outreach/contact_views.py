"""A resident's contact page: check-ins, living situation and referrals, for a member
(/bewoners/<id>/contact) and a phone-intake resident (/telefoonbewoners/<id>/contact)."""

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import login_required

from buurthulp.db_types import utcnow
from buurthulp.listings.clock import local_today
from buurthulp.outreach import queries, services
from buurthulp.outreach.blueprint import MEMBER, PROXY, bp, in_scope, user
from buurthulp.outreach.forms import CheckInForm, LivingForm, ReferralForm
from buurthulp.outreach.residents import Subject, subject_or_404
from buurthulp.outreach.rules import OUTREACH_ROLES


def _ids(subject: Subject) -> dict:
    return {"user_id": subject.ref.user_id, "proxy_resident_id": subject.ref.proxy_resident_id}


def _referral_form(initiative_id: int, *, posted: bool) -> ReferralForm:
    form = ReferralForm() if posted else ReferralForm(formdata=None)
    form.service_id.choices = [("", _("Kies een dienst"))] + [
        (str(s.id), s.name) for s in queries.services(initiative_id)
    ]
    return form


def _forms(initiative_id: int, **posted):
    today = local_today()
    forms = {
        "check_in_form": CheckInForm(formdata=None, data={"on_date": today}),
        "living_form": LivingForm(formdata=None),
        "referral_form": _referral_form(initiative_id, posted=False),
    }
    forms.update(posted)
    if not queries.free_text_allowed(initiative_id) and "note" in forms["check_in_form"]:
        del forms["check_in_form"]["note"]
    return forms


def _page(initiative_id: int, subject: Subject, status: int = 200, **posted):
    ids = _ids(subject)
    living = queries.living_situation_of(initiative_id, **ids)
    forms = _forms(initiative_id, **posted)
    if "living_form" not in posted and living is not None:
        forms["living_form"].lives_alone.data = "yes" if living.lives_alone else "no"
    page = render_template(
        "outreach/contact.html",
        initiative_id=initiative_id,
        subject=subject,
        check_ins=queries.check_ins_of(initiative_id, **ids),
        referrals=queries.referrals_of(initiative_id, **ids),
        living=living,
        **forms,
    )
    return page, status


def contact(initiative_id: int, **ids):
    _role, street_ids = in_scope(initiative_id, *OUTREACH_ROLES)
    return _page(initiative_id, subject_or_404(initiative_id, street_ids, **ids))


def _refused(form, error: services.OutreachError) -> None:
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "error")


def check_in(initiative_id: int, **ids):
    _role, street_ids = in_scope(initiative_id, *OUTREACH_ROLES)
    subject = subject_or_404(initiative_id, street_ids, **ids)
    form = CheckInForm()
    if not queries.free_text_allowed(initiative_id):
        del form["note"]
    if form.validate_on_submit():
        try:
            services.check_in_create(
                resident=subject.ref,
                kind=form.kind.data,
                on_date=form.on_date.data or local_today(),
                outcome=form.outcome.data,
                note=form.note.data if "note" in form else "",
                by_user=user(),
                now=utcnow(),
                today=local_today(),
            )
        except services.OutreachError as error:
            _refused(form, error)
        else:
            flash(_("Het contactmoment is bewaard."))
            return redirect(subject.url("contact"), 303)
    return _page(initiative_id, subject, 422, check_in_form=form)


def living(initiative_id: int, **ids):
    _role, street_ids = in_scope(initiative_id, *OUTREACH_ROLES)
    subject = subject_or_404(initiative_id, street_ids, **ids)
    form = LivingForm()
    if form.validate_on_submit():
        choice = {"yes": True, "no": False}.get(form.lives_alone.data)
        try:
            services.living_situation_set(
                resident=subject.ref,
                lives_alone=choice,
                consent=bool(form.consent.data),
                by_user=user(),
                now=utcnow(),
            )
        except services.OutreachError as error:
            _refused(form, error)
        else:
            flash(_("De woonsituatie is bewaard."))
            return redirect(subject.url("contact"), 303)
    return _page(initiative_id, subject, 422, living_form=form)


def referral(initiative_id: int, **ids):
    _role, street_ids = in_scope(initiative_id, *OUTREACH_ROLES)
    subject = subject_or_404(initiative_id, street_ids, **ids)
    form = _referral_form(initiative_id, posted=True)
    if form.validate_on_submit():
        chosen = form.service_id.data or ""
        service = queries.service_in(initiative_id, int(chosen)) if chosen.isdigit() else None
        try:
            if service is None:
                raise services.OutreachError(
                    _("Kies een dienst van de sociale kaart."), field="service_id"
                )
            if form.follow_up_on.data is None:
                raise services.OutreachError(
                    _("Vul in wanneer u het wilt opvolgen."), field="follow_up_on"
                )
            services.referral_create(
                resident=subject.ref,
                service=service,
                follow_up_on=form.follow_up_on.data,
                by_user=user(),
                now=utcnow(),
                today=local_today(),
            )
        except services.OutreachError as error:
            _refused(form, error)
        else:
            flash(_("De doorverwijzing is bewaard. U krijgt op de datum een herinnering."))
            return redirect(subject.url("contact"), 303)
    return _page(initiative_id, subject, 422, referral_form=form)


for prefix, kind in ((MEMBER, "member"), (PROXY, "proxy")):
    for path, view, methods in (
        ("", contact, ["GET"]),
        ("/contactmoment", check_in, ["POST"]),
        ("/woonsituatie", living, ["POST"]),
        ("/doorverwijzing", referral, ["POST"]),
    ):
        endpoint = f"{kind}_{view.__name__}"
        bp.add_url_rule(prefix + path, endpoint, login_required(view), methods=methods)
