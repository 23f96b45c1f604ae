"""The initiatives registry: self-registration with approval, and the CSV import."""

import pytest
from click.testing import CliRunner

from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, RegistryStatus, Role
from buurthulp.monitor.registry import EntryProblems, check_entry

GOOD = {
    "name": "Zorgzaam Dorp Ootmarsum",
    "pc4": "7631",
    "kind": "zorgzaam dorp",
    "domains": "zorg; welzijn",
    "legal_form": "vereniging",
    "phase": "actief",
    "founding_year": "2018",
    "contact_email": "info@ootmarsum.example.nl",
    "website": "https://ootmarsum.example.nl",
    "description": "Burenhulp en een eetclub.",
    "uses_platform": "nee",
    "residents_own": "ja",
    "local": "ja",
    "structural": "ja",
    "accessible": "ja",
}


def test_a_good_entry_is_placed_by_its_postcode():
    entry = check_entry(GOOD)
    assert (entry.municipality, entry.province) == ("Dinkelland", "Overijssel")
    assert entry.kind.value == "caring_village" and [d.value for d in entry.domains] == [
        "care",
        "welfare",
    ]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("name", "", "name"),
        ("pc4", "1000", "pc4"),  # PO boxes only
        ("pc4", "abcd", "pc4"),
        ("kind", "sportclub", "kind"),
        ("domains", "", "domains"),
        ("contact_email", "geen-adres", "contact_email"),
        ("website", "javascript:alert(1)", "website"),
        ("founding_year", "tweeduizend", "founding_year"),
        ("structural", "nee", "definition"),  # a one-off project is no zorgzame gemeenschap
    ],
)
def test_bad_entries_say_what_is_wrong(field, value, problem):
    with pytest.raises(EntryProblems) as raised:
        check_entry({**GOOD, field: value})
    assert set(raised.value.problems) == {problem}


FORM = {**{k: v for k, v in GOOD.items() if k != "domains"}, "kind": "caring_village",
        "legal_form": "association", "phase": "active", "domains": ["care", "welfare"],
        "uses_platform": "", "residents_own": "y", "local": "y", "structural": "y",
        "accessible": "y"}  # fmt: skip


def names(app, status):
    with app.app_context():
        query = db.select(Initiative.name).where(Initiative.registry_status == status)
        return set(db.session.execute(query).scalars())


def test_self_registration_waits_for_an_admin(app, client, auth, make):
    response = client.post("/initiatievenkaart/aanmelden", data=FORM)
    assert response.status_code == 303
    assert names(app, RegistryStatus.PENDING) == {GOOD["name"]}
    assert GOOD["name"] not in client.get("/initiatievenkaart").get_data(as_text=True)

    home = make.initiative()
    member = make.user(initiative=home, role=Role.COORDINATOR)
    auth.login_direct(member)
    assert client.get("/beheer/aanmeldingen").status_code == 404
    with app.app_context():
        pending_id = db.session.execute(
            db.select(Initiative.id).where(Initiative.name == GOOD["name"])
        ).scalar_one()
    assert client.post(f"/beheer/aanmeldingen/{pending_id}/goedkeuren").status_code == 404
    auth.logout()

    admin = make.user(initiative=home, email="beheer@example.nl", is_platform_admin=True)
    auth.login_direct(admin)
    assert GOOD["name"] in client.get("/beheer/aanmeldingen").get_data(as_text=True)
    client.post(f"/beheer/aanmeldingen/{pending_id}/goedkeuren")
    assert GOOD["name"] in names(app, RegistryStatus.APPROVED)
    assert GOOD["name"] in client.get("/initiatievenkaart").get_data(as_text=True)


def test_a_bad_registration_keeps_the_input_and_says_why(app, client):
    response = client.post(
        "/initiatievenkaart/aanmelden", data={**FORM, "pc4": "1000", "accessible": ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "alleen voor postbussen" in html and "alle vier de punten" in html
    assert GOOD["contact_email"] in html and GOOD["name"] in html
    assert names(app, RegistryStatus.PENDING) == set()


HEADER = ",".join(GOOD)


def row(**changes) -> str:
    values = {**GOOD, **changes}
    return ",".join(f'"{values[k]}"' for k in GOOD)


def run_import(app, tmp_path, lines, *args):
    path = tmp_path / "inventaris.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    runner = CliRunner()
    with app.app_context():
        return runner.invoke(app.cli, ["monitor", "import", str(path), *args])


def test_import_reads_every_good_row(app, tmp_path):
    result = run_import(app, tmp_path, [row(), row(name="Stadsdorp Zuid", pc4="1077")])
    assert result.exit_code == 0, result.output
    assert "2 initiatieven ingelezen" in result.output
    assert names(app, RegistryStatus.APPROVED) == {GOOD["name"], "Stadsdorp Zuid"}


def test_import_with_a_bad_row_imports_nothing_and_says_why(app, tmp_path):
    lines = [row(), row(name="Kapot", pc4="0000"), row(name="Dubbel"), row(name="Dubbel")]
    result = run_import(app, tmp_path, lines)
    assert result.exit_code != 0
    assert "Regel 3 (Kapot)" in result.output and "Regel 5 (Dubbel)" in result.output
    assert "niets ingelezen" in result.output
    assert names(app, RegistryStatus.APPROVED) == set()

    result = run_import(app, tmp_path, lines, "--keep-going")
    assert result.exit_code == 0, result.output
    assert names(app, RegistryStatus.APPROVED) == {GOOD["name"], "Dubbel"}


def test_import_refuses_a_file_without_the_needed_columns(app, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("naam;plaats\nA;B\n", encoding="utf-8")
    with app.app_context():
        result = CliRunner().invoke(app.cli, ["monitor", "import", str(path)])
    assert result.exit_code != 0 and "Kolommen ontbreken" in result.output
