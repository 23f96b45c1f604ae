"""Outreach in the monitor's roll-ups: counts only, the same rebuilt or night by night."""

from datetime import timedelta

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.monitor.models import DailyRollup, PeriodRollup, ReferralKindRollup
from buurthulp.monitor.rollup import rebuild_rollups, update_rollups
from buurthulp.outreach.models import CheckIn, CheckInKind, CheckInOutcome, Referral, ServiceKind
from tests.outreach.conftest import NOW, TODAY


def _history(app, world) -> None:
    """Check-ins on three days (one "niet thuis"), two residents; three referrals."""
    with app.app_context():
        rows = []
        for days, resident, proxy, outcome in (
            (40, world.resident_x.id, None, CheckInOutcome.DOING_WELL),
            (40, world.resident_x.id, None, CheckInOutcome.WANTS_HELP),
            (3, None, world.proxy_x, CheckInOutcome.NOT_HOME),
            (2, world.resident_y.id, None, CheckInOutcome.REFERRED),
        ):
            rows.append(
                CheckIn(
                    initiative_id=world.a.id,
                    user_id=resident,
                    proxy_resident_id=proxy,
                    kind=CheckInKind.PHONE,
                    on_date=TODAY - timedelta(days=days),
                    outcome=outcome,
                    created_at=NOW,
                )
            )
        for days, kind in (
            (2, ServiceKind.DISTRICT_TEAM),
            (2, ServiceKind.DEBT_HELP),
            (40, ServiceKind.DEBT_HELP),
        ):
            rows.append(
                Referral(
                    initiative_id=world.a.id,
                    service_id=world.service,
                    kind=kind,
                    user_id=world.resident_y.id,
                    referred_on=TODAY - timedelta(days=days),
                    follow_up_on=TODAY,
                    created_at=NOW - timedelta(days=days),
                )
            )
        db.session.add_all(rows)
        db.session.commit()


def _daily(initiative_id) -> dict:
    return {
        row.day: (row.contacts, row.referrals)
        for row in db.session.execute(
            select(DailyRollup).where(
                DailyRollup.initiative_id == initiative_id, DailyRollup.category == ""
            )
        ).scalars()
        if row.contacts or row.referrals
    }


def _periods(initiative_id) -> dict:
    return {
        row.period: (row.contacts, row.referrals, row.residents_reached)
        for row in db.session.execute(
            select(PeriodRollup).where(
                PeriodRollup.initiative_id == initiative_id, PeriodRollup.category == ""
            )
        ).scalars()
    }


def _kinds(initiative_id) -> dict:
    return {
        (row.period, row.kind): row.referrals
        for row in db.session.execute(
            select(ReferralKindRollup).where(ReferralKindRollup.initiative_id == initiative_id)
        ).scalars()
    }


def test_rebuild_counts_contacts_reached_and_referrals_by_kind(app, world):
    _history(app, world)
    with app.app_context():
        rebuild_rollups(NOW)
        day = lambda n: TODAY - timedelta(days=n)  # noqa: E731
        assert _daily(world.a.id) == {day(40): (2, 1), day(3): (1, 0), day(2): (1, 2)}
        periods = _periods(world.a.id)
        # Two contacts with Kees count once; "niet thuis" reached nobody.
        assert periods["2026"] == (4, 3, 2)
        assert periods["2026-10"] == (2, 1, 1)
        assert periods["2026-11"] == (2, 2, 1)
        assert _kinds(world.a.id) == {
            ("2026-10", "debt_help"): 1,
            ("2026-11", "debt_help"): 1,
            ("2026-11", "district_team"): 1,
            ("2026", "debt_help"): 2,
            ("2026", "district_team"): 1,
        }
        assert _kinds(world.b.id) == {}


def test_nightly_updates_equal_a_rebuild_and_are_idempotent(app, world):
    with app.app_context():
        update_rollups(NOW - timedelta(days=60))
    _history(app, world)
    with app.app_context():
        update_rollups(NOW)
        update_rollups(NOW)
        nightly = (_daily(world.a.id), _periods(world.a.id), _kinds(world.a.id))
        rebuild_rollups(NOW)
        assert (_daily(world.a.id), _periods(world.a.id), _kinds(world.a.id)) == nightly
        year = {kind: n for (period, kind), n in nightly[2].items() if period == "2026"}
        assert year == {"debt_help": 2, "district_team": 1}


def test_referral_kinds_of_a_deleted_initiative_go(app, world):
    _history(app, world)
    with app.app_context():
        rebuild_rollups(NOW)
        db.session.execute(db.text("DELETE FROM initiatives WHERE id = :i"), {"i": world.a.id})
        db.session.commit()
        update_rollups(NOW)
        assert db.session.execute(select(ReferralKindRollup)).first() is None


def test_the_initiative_figures_page_shows_outreach(app, client, auth, world):
    _history(app, world)
    with app.app_context():
        rebuild_rollups(NOW)
    auth.login_direct(world.coordinator)
    page = client.get(f"/cijfers/{world.a.id}?jaar=2026").get_data(as_text=True)
    assert "Contactmomenten" in page and "Bewoners bereikt met een contactmoment" in page
    assert "Doorverwijzingen per soort dienst" in page and "schuldhulp" in page
    csv = client.get(f"/cijfers/{world.a.id}/cijfers.csv?jaar=2026").get_data(as_text=True)
    header = csv.splitlines()[0]
    assert "contacts" in header and "residents_reached" in header and "referrals" in header


def test_national_figures_and_open_data_get_protected_counts_only(app, client, world):
    _history(app, world)
    with app.app_context():
        rebuild_rollups(NOW)
    doc = client.get("/monitor/open-data/2026.json").get_json()
    tables = doc["tables"]
    province = world.a.province
    # 4 contacts, 2 residents reached, 1 and 2 referrals: all small numbers, shown as "<5".
    assert tables["contacts_by_province"]["cells"][province] == "<5"
    assert tables["residents_reached_by_province"]["cells"][province] == "<5"
    assert tables["referrals_by_service_kind"]["cells"]["debt_help"] == "<5"
    assert tables["referrals_by_service_kind"]["cells"]["gp"] == 0
    for name in ("contacts_by_province", "referrals_by_service_kind"):
        values = [*tables[name]["cells"].values(), tables[name]["total"]]
        assert all(v in ("<5", "x") or v % 5 == 0 for v in values), values
    page = client.get("/monitor?jaar=2026").get_data(as_text=True)
    assert "Contactmomenten per provincie" in page and "Kees" not in page
