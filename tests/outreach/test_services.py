"""Check-ins, living situation, referrals and the sociale kaart: the rules of the data."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db
from buurthulp.outreach import directory, services
from buurthulp.outreach.models import CheckIn, LivingSituation, Referral, Service
from buurthulp.outreach.rules import health_word
from buurthulp.outreach.services import OutreachError, ResidentRef
from buurthulp.residents.models import ProxyResident
from buurthulp.residents.takeover import proxy_account_create
from tests.outreach.conftest import NOW, TODAY, get_user


def _check_in(world, **more):
    values = {
        "resident": ResidentRef(world.a.id, user_id=world.resident_x.id),
        "kind": "phone",
        "on_date": TODAY,
        "outcome": "doing_well",
        "by_user": get_user(world.contact_x),
        "now": NOW,
        "today": TODAY,
    }
    return services.check_in_create(**{**values, **more})


def test_check_in_is_stored_and_audited_without_text(app, world):
    with app.app_context():
        check_in = _check_in(world)
        assert (check_in.kind.value, check_in.outcome.value, check_in.note) == (
            "phone",
            "doing_well",
            "",
        )
        entry = db.session.execute(select(AuditEntry)).scalar_one()
        assert (entry.action, entry.subject_type, entry.subject_id) == (
            "check_in_logged",
            "user",
            world.resident_x.id,
        )


@pytest.mark.parametrize("days", [-1, 31, 400])
def test_check_in_date_today_or_the_last_30_days(app, world, days):
    with app.app_context():
        with pytest.raises(OutreachError) as error:
            _check_in(world, on_date=TODAY - timedelta(days=days))
        assert error.value.field == "on_date"
        _check_in(world, on_date=TODAY - timedelta(days=30))


def test_free_text_is_refused_until_the_initiative_allows_it(app, world):
    with app.app_context():
        with pytest.raises(OutreachError, match="geen vrije tekst"):
            _check_in(world, note="Buurman helpt met de tuin")
        services.setting_change(
            initiative_id=world.a.id,
            free_text_notes=True,
            by_user=get_user(world.coordinator),
            now=NOW,
        )
        assert (
            _check_in(world, note="Buurman helpt met de tuin").note == "Buurman helpt met de tuin"
        )
        with pytest.raises(OutreachError, match="medische details"):
            _check_in(world, note="Heeft sinds kort Dementie, dochter komt vaak")
        with pytest.raises(OutreachError, match="korter"):
            _check_in(world, note="x" * 301)
        assert db.session.execute(select(CheckIn)).scalars().all()[0].note != ""


@pytest.mark.parametrize(
    "text,word",
    [
        ("ligt in het ziekenhuis", "ziekenhuis"),
        ("nieuwe medicijnen", "medicijnen"),
        ("psychische klachten", "psychische"),
        ("woont alleen, gaat goed", None),
        ("Ziekte van Parkinson", "Ziekte"),
        ("spreekt over de diabetesclub", "diabetesclub"),
        ("de hond heet Ziggy", None),
    ],
)
def test_health_words_are_found_at_the_start_of_a_word(text, word):
    assert health_word(text) == word


def test_living_situation_needs_consent_and_can_be_forgotten(app, world):
    ref = ResidentRef(world.a.id, proxy_resident_id=world.proxy_x)
    with app.app_context():
        by = get_user(world.contact_x)
        with pytest.raises(OutreachError, match="goed vindt"):
            services.living_situation_set(
                resident=ref, lives_alone=True, consent=False, by_user=by, now=NOW
            )
        row = services.living_situation_set(
            resident=ref, lives_alone=True, consent=True, by_user=by, now=NOW
        )
        assert (row.lives_alone, row.consent_by_id) == (True, by.id)
        services.living_situation_set(
            resident=ref, lives_alone=False, consent=True, by_user=by, now=NOW
        )
        assert db.session.execute(select(LivingSituation.lives_alone)).scalars().all() == [False]
        services.living_situation_set(
            resident=ref, lives_alone=None, consent=False, by_user=by, now=NOW
        )
        assert db.session.execute(select(LivingSituation)).first() is None


def test_referral_only_to_a_current_service_of_the_initiative(app, world):
    ref = ResidentRef(world.a.id, user_id=world.resident_x.id)
    with app.app_context():
        by = get_user(world.contact_x)
        other = db.session.get(Service, world.b_service)
        refer = dict(resident=ref, by_user=by, now=NOW, today=TODAY)
        with pytest.raises(OutreachError, match="sociale kaart"):
            services.referral_create(service=other, follow_up_on=TODAY, **refer)
        mine = db.session.get(Service, world.service)
        with pytest.raises(OutreachError, match="vanaf vandaag"):
            services.referral_create(service=mine, follow_up_on=TODAY - timedelta(1), **refer)
        referral = services.referral_create(
            service=mine, follow_up_on=TODAY + timedelta(days=14), **refer
        )
        assert (referral.kind, referral.referred_on, referral.by_id) == (mine.kind, TODAY, by.id)
        directory.service_archive(service=mine, archived=True, by_user=by, now=NOW)
        with pytest.raises(OutreachError):
            services.referral_create(service=mine, follow_up_on=TODAY, **refer)


def test_follow_up_is_done_once(app, world):
    ref = ResidentRef(world.a.id, user_id=world.resident_x.id)
    with app.app_context():
        by = get_user(world.contact_x)
        referral = services.referral_create(
            resident=ref,
            service=db.session.get(Service, world.service),
            follow_up_on=TODAY,
            by_user=by,
            now=NOW,
            today=TODAY,
        )
        services.follow_up_done(referral=referral, outcome="helped", by_user=by, now=NOW)
        assert referral.follow_up_outcome.value == "helped"
        with pytest.raises(OutreachError, match="al opgevolgd"):
            services.follow_up_done(referral=referral, outcome="ongoing", by_user=by, now=NOW)


def test_an_account_for_a_phone_intake_resident_takes_the_outreach_history(app, world):
    ref = ResidentRef(world.a.id, proxy_resident_id=world.proxy_x)
    with app.app_context():
        by = get_user(world.contact_x)
        _check_in(world, resident=ref)
        services.living_situation_set(
            resident=ref, lives_alone=True, consent=True, by_user=by, now=NOW
        )
        services.referral_create(
            resident=ref,
            service=db.session.get(Service, world.service),
            follow_up_on=TODAY,
            by_user=by,
            now=NOW,
            today=TODAY,
        )
        account = proxy_account_create(
            resident=db.session.get(ProxyResident, world.proxy_x),
            email="mien@example.nl",
            password=None,
            by_user=by,
            now=NOW,
        )
        for model in (CheckIn, LivingSituation, Referral):
            row = db.session.execute(select(model)).scalar_one()
            assert (row.user_id, row.proxy_resident_id) == (account.id, None)


@pytest.mark.parametrize(
    "field,value",
    [
        ("website", "javascript:alert(1)"),
        ("website", "ftp://example.nl"),
        ("phone", "bel maar"),
        ("email", "geen-adres"),
        ("name", ""),
        ("kind", "bakker"),
        ("opening_hours", "x" * 501),
    ],
)
def test_service_details_are_checked(app, world, field, value):
    fields = {"kind": "gp", "name": "Huisarts De Vecht"}
    with app.app_context():
        with pytest.raises(OutreachError) as error:
            directory.service_create(
                initiative_id=world.a.id,
                fields=directory.ServiceFields(**{**fields, field: value}),
                by_user=get_user(world.coordinator),
                now=NOW,
            )
        assert error.value.field == field


def test_service_website_gets_https_and_phone_a_tel_link(app, world):
    with app.app_context():
        created = directory.service_create(
            initiative_id=world.a.id,
            fields=directory.ServiceFields(
                kind="wmo_desk", name="WMO-loket", phone="14 038", website="www.zwolle.nl"
            ),
            by_user=get_user(world.coordinator),
            now=NOW,
        )
        assert created.website == "https://www.zwolle.nl"
        assert directory.tel_href(created.phone) == "tel:14038"
        assert directory.tel_href("+31 (0)38 498-9898") == "tel:+310384989898"
