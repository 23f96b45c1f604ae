"""Accessibility of Mededelingen and the conversation page, with content and with an error."""

import pytest

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.realtime import conversations, stream
from tests.browser.actions import log_in
from tests.browser.test_a11y import (  # noqa: F401 - fixtures
    axe_path,
    check_form_with_errors,
    check_pages,
    context_options,
)
from tests.browser.test_realtime import _matched_pair

pytestmark = pytest.mark.browser


def test_meldingen_and_conversation(page, axe_path, live_server):  # noqa: F811
    anna, bert, match_id = _matched_pair(live_server)
    with live_server.app.app_context():
        sender = db.session.get(User, bert.id)
        conversations.message_post(
            match_id=match_id, sender=sender, body="Ik kom om tien uur.", client_key="a11y-key-01"
        )
        stream.push(anna.id, "invitation", {}, title="Kunt u helpen?", body="Een buur vraagt hulp.")
    log_in(page, anna.email)
    conversation = f"/koppelingen/{match_id}/gesprek"
    check_pages(page, axe_path, [("/mededelingen", 200), (conversation, 200)])
    check_form_with_errors(page, axe_path, conversation, "#bericht-formulier")
