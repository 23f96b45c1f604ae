"""Mededelingen (notifications) and the conversation of a match. Both work by reload; with
JavaScript, static/js/realtime.js updates them live."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from buurthulp.db_types import utcnow
from buurthulp.matching import queries as match_queries
from buurthulp.matching.forms import MAX_ID
from buurthulp.matching.models import Match
from buurthulp.realtime import conversations, stream
from buurthulp.realtime.forms import MessageForm, new_client_key
from buurthulp.realtime.models import Event

bp = Blueprint("realtime", __name__)

MATCH_ID = f"<int(max={MAX_ID}):match_id>"


@bp.app_context_processor
def _realtime_globals() -> dict:
    found: list[tuple[int, int]] = []  # read once per page, on first use

    def counters() -> tuple[int, int]:
        if not found:
            signed_in = current_user.is_authenticated
            found.append(stream.counters(current_user.id) if signed_in else (0, 0))
        return found[0]

    return {
        "unread_notifications": lambda: counters()[1],
        "latest_event_id": lambda: counters()[0],
    }


def event_link(event: Event) -> str | None:
    """Where a notification leads; None when there is nothing more to see."""
    data = event.data or {}
    if event.kind == "message" and data.get("match_id"):
        return url_for(".conversation", match_id=data["match_id"])
    if event.kind in ("request_accepted", "match_closed") and data.get("match_id"):
        return url_for("matching.match_detail", match_id=data["match_id"])
    if event.kind in ("invitation", "invitation_closed"):
        return url_for("matching.invitations")
    if event.kind == "match_closed":
        return url_for("listings.mine")
    if event.kind == "activity_reminder" and data.get("activity_id"):
        return url_for("activities.activity_detail", activity_id=data["activity_id"])
    return None


@bp.get("/mededelingen")
@login_required
def notifications():
    items = stream.notifications(current_user.id)
    page = render_template("realtime/notifications.html", items=items, event_link=event_link)
    if items:
        # Shown is seen: the next page's count no longer includes these.
        stream.notifications_mark_read(user_id=current_user.id, up_to_id=items[0].id, now=utcnow())
    return page


def _conversation_match(match_id: int) -> Match:
    match = match_queries.get_match(match_id)
    if match is None or not conversations.can_view_conversation(current_user, match):
        abort(404)
    return match


def _conversation_page(match: Match, form: MessageForm, status: int = 200):
    page = render_template(
        "realtime/conversation.html",
        match=match,
        help_request=match.request,
        messages=conversations.history(match),
        names=conversations.party_names(match),
        may_post=conversations.may_post(current_user, match),
        form=form,
    )
    return page, status


@bp.get(f"/koppelingen/{MATCH_ID}/gesprek")
@login_required
def conversation(match_id: int):
    return _conversation_page(_conversation_match(match_id), MessageForm(formdata=None))


@bp.post(f"/koppelingen/{MATCH_ID}/gesprek")
@login_required
def message_send(match_id: int):
    match = _conversation_match(match_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = conversations.message_post(
                match_id=match.id,
                sender=current_user._get_current_object(),
                body=form.body.data,
                client_key=form.client_key.data,
            )
        except conversations.ConversationError as error:
            if error.field == "body":
                form.body.errors = [*form.body.errors, str(error)]
            else:
                flash(str(error), "error")
                form.client_key.data = new_client_key()
        else:
            flash(_("Uw bericht is verstuurd."))
            anchor = f"bericht-{message.id}"
            return redirect(url_for(".conversation", match_id=match.id, _anchor=anchor), 303)
    return _conversation_page(match, form, 422)
