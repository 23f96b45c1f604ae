"""Every POST form survives hostile input: never a 5xx, and a script is always rendered escaped.

The table below names each POST endpoint's URL and fields; a test checks that it lists every
POST rule of the app, so a new form cannot slip past these tests.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from buurthulp.accounts import tokens
from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.listings.availability import slot_key
from buurthulp.listings.models import RequestStatus
from buurthulp.matching.models import Invitation, Match
from tests import factories
from tests.activities import robustness_table as activities_table

SCRIPT = "<script>alert(1)</script>"
UNICODE = "Zoë 🚲 ß 中文"
BIG = "x" * 100 * 1024
WRONG_TYPES = ["abc", "9999-99-99", "-1", "1e309", "99999999999999999999", "a\x00b", " "]
NEW_PASSWORD = "Fietsen-langs-de-IJssel-7"
NEXT_MONTH = (date.today() + timedelta(days=30)).strftime("%d-%m-%Y")

PERSON = {
    "first_name": "Zoë",
    "last_name": "Jansen",
    "email": "lid@example.nl",
    "phone": "06 12345678",
    "postcode": "8011 ab",
    "house_number": "12a",
    "street_name": "Diezerstraat",
}
REQUEST = {
    "title": "Boodschappen",
    "description": "Melk en brood",
    "category": "groceries",
    "when": "flexible",
    "on_date": "",
    "time_from": "",
    "time_until": "",
    "flexible_days": "7",
    "urgency": "normal",
    "recurrence": "once",
    "needs_car": "y",
}
OFFER = {
    "title": "Ik doe boodschappen",
    "description": "Op maandag",
    "categories": ["groceries", "garden"],
    "availability": [slot_key(0, 0), slot_key(4, 2)],
    "max_distance_km": "2",
    "has_car": "y",
    "paused_until": "",
}
REGISTRY = {
    "name": "Stadsdorp Zuid",
    "pc4": "1077",
    "kind": "city_village",
    "domains": ["care", "housing"],
    "legal_form": "association",
    "phase": "active",
    "founding_year": "2015",
    "contact_email": "info@stadsdorp.example.nl",
    "website": "https://stadsdorp.example.nl",
    "description": "Omzien naar elkaar",
}
REGISTRY_VALID = {
    **REGISTRY,
    **dict.fromkeys(("residents_own", "local", "structural", "accessible"), "y"),
}


INTAKE_PERSON = {
    "first_name": "Mien",
    "last_name": "Bakker",
    "phone": "038 4211234",
    "postcode": "8011 px",
    "house_number": "7",
    "street_name": "Diezerstraat",
    "consent": "y",
}


@dataclass(frozen=True)
class Form:
    url: str
    fields: tuple[str, ...]
    login: bool = True
    # Who posts: a key of the world fixture (panel forms need a panel role).
    as_user: str = "member"
    # Values that pass validation, posted with every text field set to SCRIPT and UNICODE so
    # they get stored and shown on other pages. None for forms that would lock the member out.
    valid: dict | None = None
    text: tuple[str, ...] = field(default=())


PANEL = "/paneel/{initiative}"
MATCHER_SETTINGS = {
    "batch_size": "4",
    "escalate_after_hours": "6",
    "max_rounds": "2",
    "radius_step_km": "1,5",
    "weight_distance": "1",
    "weight_overlap": "0,5",
    "weight_load": "0,8",
}
RESIDENTS_FORMS = {
    "residents.intake_new": Form(
        PANEL + "/aanvraag-namens",
        (*INTAKE_PERSON, *REQUEST, "submission_token"),
        valid={**INTAKE_PERSON, **REQUEST},
        text=("first_name", "last_name", "street_name", "title", "description"),
        as_user="connector",
    ),
    "residents.proxy_request_new": Form(
        PANEL + "/telefoonbewoners/{proxy_resident}/hulpvraag",
        (*REQUEST, "submission_token"),
        valid=REQUEST,
        text=("title", "description"),
        as_user="connector",
    ),
    "residents.member_note": Form(
        PANEL + "/bewoners/{neighbour_id}/notitie",
        ("body",),
        valid={"body": "Woont alleen"},
        text=("body",),
        as_user="connector",
    ),
    "residents.proxy_note": Form(
        PANEL + "/telefoonbewoners/{proxy_resident}/notitie",
        ("body",),
        valid={"body": "Slechtziend"},
        text=("body",),
        as_user="connector",
    ),
    "residents.member_verify": Form(
        PANEL + "/bewoners/{neighbour_id}/verifieren", (), as_user="connector"
    ),
    "residents.proxy_account": Form(
        PANEL + "/telefoonbewoners/{proxy_resident}/account",
        ("email", "password"),
        valid={"email": "mien@example.nl", "password": ""},
        as_user="connector",
    ),
    "residents.verification_setting": Form(
        PANEL + "/verificatie-instelling",
        ("unverified_may_accept",),
        valid={"unverified_may_accept": "no"},
        as_user="coordinator",
    ),
    "residents.unmatched_invite": Form(
        PANEL + "/onbemiddeld/{other_request}/uitnodigen", ("volunteer_id",), as_user="connector"
    ),
    "residents.unmatched_match": Form(
        PANEL + "/onbemiddeld/{other_request}/telefonisch",
        ("volunteer_id",),
        valid={"volunteer_id": "{member_id}"},
        as_user="connector",
    ),
}

SERVICE = {
    "kind": "district_team",
    "name": "Wijkteam Centrum",
    "phone": "038 498 9898",
    "email": "wijkteam@example.nl",
    "website": "https://wijkteam.example.nl",
    "address": "Stationsweg 1, Zwolle",
    "opening_hours": "ma-vr 9-17",
    "notes": "Vraag naar Marja",
}
CHECK_IN = {"kind": "phone", "on_date": "", "outcome": "doing_well"}
OUTREACH_FORMS = {
    **{
        f"outreach.{who}_{name}": Form(
            PANEL + f"/{path}/contact/{tail}", tuple(valid), valid=valid, as_user="connector"
        )
        for who, path in (
            ("member", "bewoners/{neighbour_id}"),
            ("proxy", "telefoonbewoners/{proxy_resident}"),
        )
        for name, tail, valid in (
            ("check_in", "contactmoment", CHECK_IN),
            ("living", "woonsituatie", {"lives_alone": "yes", "consent": "y"}),
            (
                "referral",
                "doorverwijzing",
                {"service_id": "{service}", "follow_up_on": "{in_a_month}"},
            ),
        )
    },
    "outreach.setting": Form(
        PANEL + "/contactmomenten/instelling",
        ("free_text_notes",),
        valid={"free_text_notes": "yes"},
        as_user="coordinator",
    ),
    "outreach.follow_up_done": Form(
        PANEL + "/doorverwijzingen/{referral}/opvolgen",
        ("outcome",),
        valid={"outcome": "helped"},
        as_user="connector",
    ),
    "outreach.service_new": Form(
        PANEL + "/sociale-kaart/nieuw",
        tuple(SERVICE),
        valid=SERVICE,
        text=("name", "address", "opening_hours", "notes"),
        as_user="coordinator",
    ),
    "outreach.service_edit": Form(
        PANEL + "/sociale-kaart/{service}",
        tuple(SERVICE),
        valid=SERVICE,
        text=("name", "address", "opening_hours", "notes"),
        as_user="coordinator",
    ),
    "outreach.service_archive": Form(
        PANEL + "/sociale-kaart/{service}/archiveren", (), as_user="coordinator"
    ),
}

PANEL_FORMS = {
    "panel.approve": Form(
        PANEL + "/wachtrij/hulpvraag/{pending_request}/goedkeuren", (), as_user="coordinator"
    ),
    "panel.reject": Form(
        PANEL + "/wachtrij/hulpvraag/{pending_request}/afwijzen",
        ("reason",),
        as_user="coordinator",
        valid={"reason": "Te vaag"},
        text=("reason",),
    ),
    "panel.resolve": Form(
        PANEL + "/meldingen/hulpvraag/{flagged_request}",
        ("resolution", "reason"),
        as_user="coordinator",
        valid={"resolution": "kept", "reason": "Klopt wel"},
        text=("reason",),
    ),
    "panel.settings": Form(
        PANEL + "/instellingen", ("mode",), as_user="coordinator", valid={"mode": "post"}
    ),
    "panel.matcher": Form(
        PANEL + "/koppelen",
        tuple(MATCHER_SETTINGS),
        as_user="coordinator",
        valid=MATCHER_SETTINGS,
    ),
    "panel.member_role": Form(
        PANEL + "/leden/{neighbour_id}/rol",
        ("role",),
        as_user="coordinator",
        valid={"role": "connector"},
    ),
    "panel.member_invite": Form(
        PANEL + "/leden/uitnodigen",
        ("email", "role", "street_id"),
        as_user="coordinator",
        valid={"email": "nieuw@example.nl", "role": "connector", "street_id": ""},
    ),
    "panel.streets": Form(
        PANEL + "/straten",
        ("name", "pc4"),
        as_user="coordinator",
        valid={"name": "Nieuwe Markt", "pc4": "8011"},
        text=("name",),
    ),
    "panel.street_assign": Form(
        PANEL + "/straten/{street_b}/toewijzen",
        ("user_id",),
        as_user="coordinator",
        valid={"user_id": "{street_contact}"},
    ),
    "panel.street_unassign": Form(
        PANEL + "/straten/{street}/contactpersonen/{street_contact}/verwijderen",
        (),
        as_user="coordinator",
    ),
    "panel.suspensions": Form(
        PANEL + "/schorsingen",
        ("user_id", "kind", "reason", "ends_on"),
        as_user="coordinator",
        valid={
            "user_id": "{neighbour_id}",
            "kind": "suspend",
            "reason": "Ruzie",
            "ends_on": "{in_a_month}",
        },
    ),
    "panel.suspension_lift": Form(
        PANEL + "/schorsingen/{suspension}/opheffen", ("reason",), as_user="coordinator"
    ),
    "moderation.report": Form(
        "/melden/hulpvraag/{other_request}",
        ("about", "reason"),
        valid={"about": "post", "reason": "Lijkt reclame"},
        text=("reason",),
    ),
    "moderation.role_invitation": Form("/rol-uitnodiging/{role_token}", ()),
}

# Attendance of a date a week ago (activities_world).
ACTIVITY_FORMS = {
    "panel.attendance_form": Form(
        PANEL + "/activiteiten/{past_activity}/{past_day}",
        ("present",),
        as_user="connector",
        valid={"present": "{past_signup}"},
    ),
}


FORMS = {
    "accounts.register": Form(
        "/aanmelden",
        (*PERSON, "password", "password_repeat", "initiative", "shown_for"),
        login=False,
        valid={
            **PERSON,
            "email": "nieuw@example.nl",
            "password": NEW_PASSWORD,
            "password_repeat": NEW_PASSWORD,
        },
        text=("first_name", "last_name", "street_name"),
    ),
    "accounts.login": Form("/inloggen", ("email", "password", "remember"), login=False),
    "accounts.logout": Form("/uitloggen", ()),
    "accounts.password_forgot": Form("/wachtwoord-vergeten", ("email",), login=False),
    "accounts.password_reset": Form(
        "/wachtwoord-herstellen/{token}", ("password", "password_repeat"), login=False
    ),
    "accounts.profile": Form(
        "/mijn-gegevens",
        (*PERSON, "locale", "weekly_digest"),
        valid={**PERSON, "locale": "nl", "weekly_digest": "y"},
        text=("first_name", "last_name", "street_name"),
    ),
    "accounts.password_change": Form(
        "/mijn-gegevens/wachtwoord", ("current_password", "password", "password_repeat")
    ),
    "accounts.account_delete": Form("/mijn-gegevens/verwijderen", ("password",)),
    "pages.set_language": Form("/taal", ("locale", "next"), login=False),
    "listings.request_new": Form(
        "/hulpvragen/nieuw",
        ("initiative_id", *REQUEST, "submission_token"),
        valid=REQUEST,
        text=("title", "description"),
    ),
    "listings.request_edit": Form(
        "/hulpvragen/{own_request}/bewerken", tuple(REQUEST), valid=REQUEST, text=("title",)
    ),
    "listings.request_help": Form(
        "/hulpvragen/{other_request}/helpen",
        ("message",),
        valid={"message": "Ik kom"},
        text=("message",),
    ),
    "listings.request_withdraw": Form("/hulpvragen/{own_request}/intrekken", ()),
    "renewal.request_renew_page": Form(
        "/hulpvragen/{expired_request}/vernieuwen", ("on_date",), valid={"on_date": NEXT_MONTH}
    ),
    "listings.offer_new": Form(
        "/hulpaanbod/nieuw",
        ("initiative_id", *OFFER, "submission_token"),
        valid=OFFER,
        text=("title", "description"),
    ),
    "listings.offer_edit": Form(
        "/hulpaanbod/{own_offer}/bewerken", tuple(OFFER), valid=OFFER, text=("title",)
    ),
    "listings.offer_withdraw": Form("/hulpaanbod/{own_offer}/intrekken", ()),
    "matching.invitation_accept": Form("/uitnodigingen/{invitation}/aannemen", ()),
    "matching.invitation_decline": Form("/uitnodigingen/{invitation}/afslaan", ()),
    "matching.request_accept": Form("/hulpvragen/{other_request}/aannemen", ()),
    "matching.invite": Form("/hulpvragen/{own_request}/uitnodigen", ("volunteer_id",)),
    "matching.match_complete": Form(
        "/koppelingen/{match}/afronden",
        ("hours", "feedback"),
        valid={"hours": "1,5", "feedback": "Fijn"},
        text=("feedback",),
    ),
    "matching.match_end": Form(
        "/koppelingen/{match}/stoppen",
        ("kind", "reason"),
        valid={"kind": "cancelled", "reason": "Ziek"},
        text=("reason",),
    ),
    "realtime.message_send": Form(
        "/koppelingen/{match}/gesprek",
        ("body", "client_key"),
        valid={"body": "Tot zaterdag", "client_key": "sleutel-0123456789"},
        text=("body",),
    ),
    **RESIDENTS_FORMS,
    **OUTREACH_FORMS,
    **PANEL_FORMS,
    **activities_table.activity_forms(Form, PANEL),
    **ACTIVITY_FORMS,
    "monitor.registry_register": Form(
        "/initiatievenkaart/aanmelden",
        (*REGISTRY, "uses_platform", "residents_own", "local", "structural", "accessible"),
        login=False,
        valid=REGISTRY_VALID,
        text=("name", "description"),
    ),
    "monitor.registry_approve": Form("/beheer/aanmeldingen/{initiative}/goedkeuren", ()),
    "monitor.registry_reject": Form("/beheer/aanmeldingen/{initiative}/afwijzen", ()),
    "monitor.survey": Form(
        "/cijfers/{initiative}/enquete",
        (
            "volunteers",
            "members",
            "participants",
            "target_groups",
            "themes",
            "activities",
            "funding",
            "legal_form",
            "needs",
        ),
    ),  # fmt: skip
}

# Pages that show what the forms stored, looked at by the member and by the neighbour.
SHOWN_ON = [
    "/dichtbij",
    "/mijn-hulp",
    "/mijn-gegevens",
    "/hulpvragen/{own_request}",
    "/hulpvragen/{other_request}",
    "/hulpaanbod/{own_offer}",
    "/uitnodigingen",
    "/voor-u",
    "/koppelingen/{match}",
    "/koppelingen/{match}/gesprek",
    "/mededelingen",
    "/initiatievenkaart",
    *activities_table.SHOWN_ON,
    "/activiteiten/agenda/{agenda_slug}",
    "/activiteiten/agenda/{agenda_slug}/week",
    "/activiteiten/agenda/{agenda_slug}/afdrukken",
    "/sociale-kaart/{initiative}",
]

BAD_QUERIES = [
    "radius=abc&page=-1&category=x&type=zzz",
    "radius=1e309&page=0&category=",
    "page=99999999999999999999&radius=-5",
    "page=%00&radius=%00&category=%00",
    f"category={SCRIPT}&type={SCRIPT}&radius={SCRIPT}&next={SCRIPT}",
    "radius=1&radius=2&page=1&page=2&category=garden&category=meal",
    "next=//evil.example/&page=2.5",
    "page=" + "9" * 5000,
    f"week={SCRIPT}&week=2026-W99",
    "week=2025-W53&week=" + "9" * 5000,
]


@pytest.fixture
def app_settings():
    # Hundreds of posts from one address: the rate limits have tests of their own.
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def world(app, make):
    initiative = make.initiative()
    member = make.user(initiative=initiative, email=PERSON["email"])
    neighbour = make.user(initiative=initiative, email="buur@example.nl", postcode="8012AB")
    with app.app_context():
        token = tokens.reset_token_make(user=db.session.get(User, member.id))
    return {
        "member": member,
        "initiative": initiative.id,
        "password_hash": member.password_hash,
        "neighbour": neighbour,
        "token": token,
        "own_request": make.help_request(requester=member, initiative=initiative).id,
        "other_request": make.help_request(requester=neighbour, initiative=initiative).id,
        "own_offer": make.help_offer(volunteer=member, initiative=initiative).id,
        # Expired, with its day passed: the renew form needs a new date.
        "expired_request": make.help_request(
            requester=member,
            initiative=initiative,
            status=RequestStatus.EXPIRED,
            on_date=date(2020, 1, 6),
        ).id,
        **matching_world(app, make, initiative, member, neighbour),
        **residents_world(app, make, initiative, member, neighbour),
        **moderation_world(app, make, initiative, member, neighbour),
        **activities_table.activity_world(app, make, initiative, member, neighbour),
        **activities_world(app, initiative, member),
        **outreach_world(app, initiative, neighbour),
    }


def activities_world(app, initiative, member) -> dict:
    """A koffieochtend a week ago that the member signed up for."""
    from buurthulp.listings.clock import local_today
    from tests.activities import agenda_factories

    day = local_today() - timedelta(days=7)
    activity = agenda_factories.activity(app, initiative, starts_on=day)
    signup = agenda_factories.signup(app, activity, day, user=member)
    return {
        "past_activity": activity.id,
        "past_day": day.isoformat(),
        "past_signup": signup.id,
        "agenda_slug": initiative.slug,
    }


def outreach_world(app, initiative, neighbour) -> dict:
    """A service on the sociale kaart and a referral of the neighbour to it."""
    from buurthulp.outreach.models import Referral, Service, ServiceKind

    with app.app_context():
        service = Service(initiative_id=initiative.id, kind=ServiceKind.GP, name="Huisarts")
        db.session.add(service)
        db.session.flush()
        referral = Referral(
            initiative_id=initiative.id,
            service_id=service.id,
            kind=service.kind,
            user_id=neighbour.id,
            referred_on=date.today(),
            follow_up_on=date.today(),
        )
        db.session.add(referral)
        db.session.commit()
        return {"service": service.id, "referral": referral.id}


def residents_world(app, make, initiative, member, neighbour) -> dict:
    """A connector and a coordinator of the initiative, and a phone-intake resident."""
    from buurthulp.initiatives.models import Role
    from buurthulp.residents.models import ProxyResident

    connector = make.user(initiative=initiative, role=Role.CONNECTOR, email="con@example.nl")
    coordinator = make.user(initiative=initiative, role=Role.COORDINATOR, email="coo@example.nl")
    with app.app_context():
        resident = ProxyResident(
            initiative_id=initiative.id,
            first_name="Mien",
            last_name="Bakker",
            phone="0384211234",
            street_name="Diezerstraat",
            house_number="7",
            postcode="8011PX",
            place="Zwolle",
            latitude=52.5,
            longitude=6.1,
            consent_at=utcnow(),
            consent_by_id=connector.id,
        )
        db.session.add(resident)
        db.session.commit()
        resident_id = resident.id
    return {
        "initiative": initiative.id,
        "connector": connector,
        "coordinator": coordinator,
        "proxy_resident": resident_id,
        "member_id": member.id,
        "neighbour_id": neighbour.id,
    }


def matching_world(app, make, initiative, member, neighbour) -> dict:
    """The member is invited to one of the neighbour's requests and matched to another."""
    invited_to = make.help_request(requester=neighbour, initiative=initiative)
    matched = make.help_request(
        requester=neighbour, initiative=initiative, status=RequestStatus.MATCHED
    )
    with app.app_context():
        invitation = Invitation(request_id=invited_to.id, volunteer_id=member.id)
        match = Match(request_id=matched.id, volunteer_id=member.id)
        db.session.add_all([invitation, match])
        db.session.commit()
        return {"invitation": invitation.id, "match": match.id}


def moderation_world(app, make, initiative, member, neighbour) -> dict:
    """A request awaiting approval, a reported request, a street with its contact person,
    a suspension, and a role invitation for the member (the coordinator: residents_world)."""
    from datetime import timedelta

    from buurthulp.db_types import utcnow
    from buurthulp.initiatives.models import Role, Street
    from buurthulp.moderation.models import (
        Flag,
        FlagSubject,
        ReviewState,
        RoleInvitation,
        Suspension,
    )
    from buurthulp.panel import roles
    from buurthulp.panel.models import StreetAssignment

    contact = make.user(initiative=initiative, role=Role.STREET_CONTACT, email="straat@example.nl")
    pending = make.help_request(
        requester=neighbour, initiative=initiative, review_state=ReviewState.PENDING
    )
    flagged = make.help_request(requester=neighbour, initiative=initiative)
    now = utcnow()
    with app.app_context():
        street = Street(initiative_id=initiative.id, name="Walstraat")
        street_b = Street(initiative_id=initiative.id, name="Sassenstraat")
        db.session.add_all([street, street_b])
        db.session.flush()
        suspension = Suspension(
            user_id=contact.id,
            initiative_id=initiative.id,
            kind="suspend",
            reason="Onbeleefd",
            starts_at=now,
            ends_at=now + timedelta(days=3),
        )
        db.session.add_all(
            [
                StreetAssignment(street_id=street.id, user_id=contact.id),
                Flag(
                    initiative_id=initiative.id,
                    reporter_id=member.id,
                    subject_type=FlagSubject.HELP_REQUEST,
                    subject_id=flagged.id,
                    reason="Reclame",
                ),
                suspension,
            ]
        )
        db.session.commit()
        token = "uitnodiging-voor-het-lid"
        db.session.add(
            RoleInvitation(
                initiative_id=initiative.id,
                email=member.email,
                role=Role.STREET_CONTACT,
                token_digest=roles.token_digest(token),
                expires_at=now + timedelta(days=7),
            )
        )
        db.session.commit()
        return {
            "pending_request": pending.id,
            "flagged_request": flagged.id,
            "street": street.id,
            "street_b": street_b.id,
            "in_a_month": (now + timedelta(days=30)).strftime("%d-%m-%Y"),
            "street_contact": contact.id,
            "suspension": suspension.id,
            "role_token": token,
        }


def payloads(form: Form):
    """(name, form data) pairs: hostile values in every field, and valid data carrying them."""
    names = form.fields
    base = form.valid or dict.fromkeys(names, "")
    yield "nothing", {}
    yield "empty", dict.fromkeys(names, "")
    for name in names:
        yield f"oversized-{name}", {**base, name: BIG}
    yield "oversized-all", dict.fromkeys(names, BIG)
    yield "unicode", dict.fromkeys(names, UNICODE)
    yield "script", dict.fromkeys(names, SCRIPT)
    for value in WRONG_TYPES:
        yield f"wrong-{value!r}", dict.fromkeys(names, value)
    yield "lists", {name: ["1", "abc", SCRIPT] for name in names}
    if form.valid:
        for n, value in enumerate((UNICODE, SCRIPT)):
            data = {**form.valid, **dict.fromkeys(form.text, value)}
            if not form.login and "email" in data:  # a new account each time
                data["email"] = f"{n}{data['email']}"
            yield f"valid-with-{value!r}", data


def client_for(app, make, user):
    client = app.test_client()
    if user is not None:
        factories.Auth(client, make).login_as(user)
    return client


def keep_password(app, world) -> None:
    """Two equal hostile values make a valid new password; put the old hash back (the reset
    token is bound to it), so every payload meets the same form and the member can log in."""
    with app.app_context():
        user = db.session.get(User, world["member"].id)
        if user is not None and user.password_hash != world["password_hash"]:
            user.password_hash = world["password_hash"]
            db.session.commit()


def assert_safe(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if response.mimetype == "text/html":
        assert SCRIPT not in response.get_data(as_text=True), f"{what}: unescaped script"


def test_table_lists_every_post_form(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    assert posts == set(FORMS), "update FORMS: the app's POST endpoints changed"


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_form_survives_hostile_input(app, make, world, endpoint):
    form = FORMS[endpoint]
    url = form.url.format(**world)
    for name, data in payloads(form):
        client = client_for(app, make, world[form.as_user] if form.login else None)
        with client.post(url, data=data, follow_redirects=True) as response:
            assert_safe(response, f"POST {url} {name}")
        keep_password(app, world)

    # What was stored shows escaped everywhere, to the member and to the neighbour.
    for user in (world["member"], world["neighbour"]):
        client = client_for(app, make, user)
        for page in SHOWN_ON:
            with client.get(page.format(**world)) as response:
                assert_safe(response, f"GET {page} after {endpoint}")


@pytest.mark.parametrize("endpoint", sorted(e for e, f in FORMS.items() if f.valid))
def test_valid_data_in_table_is_accepted(app, make, world, endpoint):
    """Keeps the table honest: its valid data must pass, or the hostile posts test less."""
    form = FORMS[endpoint]
    client = client_for(app, make, world[form.as_user] if form.login else None)
    valid = {k: v.format(**world) if isinstance(v, str) else v for k, v in form.valid.items()}
    response = client.post(form.url.format(**world), data=valid)
    assert response.status_code in (302, 303), response.get_data(as_text=True)


def test_valid_post_with_script_is_stored_and_shown_escaped(app, make, world):
    """The hostile-input test only proves something if hostile text really gets stored."""
    client = client_for(app, make, world["member"])
    data = {**REQUEST, "title": SCRIPT}
    response = client.post("/hulpvragen/nieuw", data=data, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html


@pytest.mark.parametrize("logged_in", [False, True], ids=["logged-out", "logged-in"])
def test_get_pages_with_bad_query_strings(app, make, world, logged_in):
    client = client_for(app, make, world["member"] if logged_in else None)
    paths = {r.rule for r in app.url_map.iter_rules() if "GET" in r.methods and not r.arguments}
    paths |= {p.format(**world) for p in SHOWN_ON}
    paths |= {"/hulpvragen/2147483648", "/hulpaanbod/99999999999999999999", "/hulpvragen/-1"}
    paths |= {"/wachtwoord-herstellen/" + "x" * 5000, "/wachtwoord-herstellen/%00"}
    for path in sorted(paths):
        for query in BAD_QUERIES:
            with client.get(f"{path}?{query}") as response:
                assert_safe(response, f"GET {path}?{query}")


def test_dichtbij_falls_back_on_unknown_filters(app, make, world):
    client = client_for(app, make, world["member"])
    response = client.get("/dichtbij?radius=abc&page=-1&category=x")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Die afstand kennen we niet" in html
    assert "Die soort hulp kennen we niet" in html
