"""The dependency audit's decisions (.ci/dependency_audit.py), on made-up registry answers."""

import importlib.util

import pytest

from tests.conftest import PROJECT_ROOT


def load_audit_module():
    path = PROJECT_ROOT / ".ci" / "dependency_audit.py"
    spec = importlib.util.spec_from_file_location("dependency_audit", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audit_module = load_audit_module()
Lists = audit_module.Lists


def skipped(name: str, version: str) -> dict:
    reason = f"Dependency not found on PyPI and could not be audited: {name} ({version})"
    return {"name": name, "skip_reason": reason}


def project(newest: str, vulnerabilities=(), releases=None) -> dict:
    releases = releases or {newest: [{"requires_python": None, "yanked": False}]}
    return {
        "info": {"version": newest},
        "vulnerabilities": list(vulnerabilities),
        "releases": releases,
    }


def vuln(vuln_id: str, *aliases: str, fixed_in=()) -> dict:
    return {"id": vuln_id, "aliases": list(aliases), "fixed_in": list(fixed_in)}


def run(report_deps: list[dict], registry: dict, lists=None):
    lists = lists or Lists({}, {})
    return audit_module.audit({"dependencies": report_deps}, lists, fetch=registry.get)


def test_pip_audit_findings_fail():
    deps = [{"name": "jinja2", "version": "2.0", "vulns": [{"id": "PYSEC-1"}, {"id": "GHSA-2"}]}]
    assert run(deps, {}) == (["jinja2 2.0: PYSEC-1, GHSA-2"], [])


def test_a_skipped_package_at_its_newest_release_is_checked_against_its_advisories():
    registry = {
        "clean": project("2.0"),
        "ecdsa": project("0.19", [vuln("PYSEC-9", "CVE-2024-1")]),
    }
    findings, unaudited = run([skipped("clean", "2.0"), skipped("ecdsa", "0.19")], registry)
    assert findings == ["ecdsa: PYSEC-9 (fixed in: no fix yet)"]
    assert unaudited == []


def test_an_advisory_is_ignored_by_its_id_or_an_alias_and_withdrawn_ones_do_not_count():
    advisories = [vuln("PYSEC-9", "CVE-2024-1"), vuln("GHSA-3"), vuln("PYSEC-5") | {"withdrawn": 1}]
    registry = {"ecdsa": project("0.19", advisories)}
    lists = Lists({"CVE-2024-1": "reviewed", "GHSA-3": "reviewed"}, {})
    assert run([skipped("ecdsa", "0.19")], registry, lists) == ([], [])


def test_an_older_or_unknown_package_is_reported_as_not_audited_never_silently_passed():
    registry = {"setuptools": project("80.0"), "pip": project("25.0")}
    deps = [skipped("setuptools", "65.5.0"), skipped("ghost", "1.0"), skipped("pip", "26.0")]
    findings, unaudited = run(deps, registry)
    assert findings == []
    assert unaudited == [
        "setuptools: 65.5.0 is older than the newest release 80.0: upgrade it",
        "ghost: not on the package registry",
        "pip: 26.0 is newer than the registry's newest release 25.0",
    ]


def test_a_held_package_passes_only_at_the_newest_release_this_python_can_install():
    releases = {
        "1.2": [{"requires_python": None, "yanked": False}],
        "1.3": [{"requires_python": ">=3.8", "yanked": False}],
        "1.4": [{"requires_python": None, "yanked": True}],
        "2.0rc1": [{"requires_python": None, "yanked": False}],
        "3.0": [{"requires_python": ">=3.99", "yanked": False}],
    }
    registry = {"deprecated": project("3.0", [vuln("GHSA-7")], releases)}
    held = Lists({}, {"deprecated": "3.x needs a newer Python"})
    assert audit_module.newest_installable(registry["deprecated"]) == "1.3"
    # The newest release's advisories still count for a held package.
    assert run([skipped("deprecated", "1.3")], registry, held) == (
        ["deprecated: GHSA-7 (fixed in: no fix yet)"],
        [],
    )
    assert run([skipped("deprecated", "1.2")], registry, held)[1] == [
        "deprecated: 1.2 is older than the newest release 3.0: upgrade it"
    ]
    assert run([skipped("deprecated", "1.3")], registry)[1] != []  # not held: not audited


def test_only_this_project_itself_may_be_skipped_as_editable():
    editable = {"name": "buurthulp", "skip_reason": "distribution marked as editable"}
    other = {"name": "other", "skip_reason": "distribution marked as editable"}
    assert run([editable, other], {}) == ([], ["other: distribution marked as editable"])


def test_reviewed_lists_need_a_reason_on_every_line(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("# comment\n\nGHSA-1  does not affect us: reviewed\n")
    assert audit_module.read_reviewed(good) == {"GHSA-1": "does not affect us: reviewed"}
    bad = tmp_path / "bad.txt"
    bad.write_text("GHSA-1\n")
    with pytest.raises(ValueError, match="bad.txt:1: GHSA-1 needs a reason"):
        audit_module.read_reviewed(bad)


def test_the_projects_reviewed_lists_parse():
    for path in (audit_module.IGNORE_FILE, audit_module.HELD_FILE):
        assert all(reason for reason in audit_module.read_reviewed(path).values())


def test_an_unreachable_registry_is_an_error_not_a_pass_and_stops_the_other_lookups(monkeypatch):
    calls = []

    def refuse(url, timeout):
        calls.append(url)
        raise audit_module.urllib.error.URLError("connection refused")

    monkeypatch.setattr(audit_module.urllib.request, "urlopen", refuse)
    monkeypatch.setattr(audit_module.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(audit_module, "GAVE_UP", audit_module.threading.Event())
    with pytest.raises(audit_module.Unreachable, match="connection refused"):
        audit_module.fetch_project("flask")
    assert len(calls) == audit_module.ATTEMPTS
    with pytest.raises(audit_module.Unreachable, match="not tried"):
        audit_module.fetch_project("jinja2")
    assert len(calls) == audit_module.ATTEMPTS
