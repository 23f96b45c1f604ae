"""Audit the installed Python environment for known vulnerabilities; exit 1 on any finding.

Run with the environment's own interpreter (`.venv/bin/python .ci/dependency_audit.py`).

1. pip-audit with its default service (PyPI's per-release JSON advisories), the reviewed
   ignore list (.ci/pip-audit-ignore.txt) passed as --ignore-vuln.
2. pip-audit skips, and exits 0 on, every package that service cannot answer for. Where
   the registry serves no per-release JSON (as on this project's machines), each skipped
   package is checked here against the project JSON, whose `vulnerabilities` are those of
   the newest release: exact for an installed package that IS the newest release.
3. A package that neither step could check (not on the registry, or older than its newest
   release) fails the audit with its name: an audit never passes by silently skipping.
   The registry unreachable fails with a message that says so (exit 2).
See docs/security.md.
"""

import json
import re
import subprocess  # runs pip-audit with a fixed argument list  # nosec B404
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

IGNORE_FILE = Path(__file__).with_name("pip-audit-ignore.txt")
HELD_FILE = Path(__file__).with_name("pip-audit-held.txt")
PROJECT = "buurthulp"
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
TIMEOUT = 20
ATTEMPTS = 3
SKIPPED_VERSION = re.compile(r"\(([^()]+)\)\s*$")
GAVE_UP = threading.Event()  # one package's registry answer failed for good: stop the others


class Unreachable(RuntimeError):
    """The vulnerability service did not answer."""


@dataclass(frozen=True)
class Lists:
    """The reviewed exceptions: {advisory id: reason} and {package held back: reason}."""

    ignored: dict[str, str]
    held: dict[str, str]


def read_reviewed(path: Path) -> dict[str, str]:
    """{key: reason}. A line is `KEY  reason`; a key without a reason is an error."""
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, reason = line.partition(" ")
        if not reason.strip():
            raise ValueError(f"{path.name}:{number}: {key} needs a reason after it")
        entries[key] = reason.strip()
    return entries


def run_pip_audit(ignored: dict[str, str]) -> dict:
    command = [sys.executable, "-m", "pip_audit", "--format", "json", "--skip-editable"]
    command += ["--progress-spinner", "off", "--timeout", str(TIMEOUT)]
    for vuln_id in ignored:
        command += ["--ignore-vuln", vuln_id]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    # Exit 1 with a JSON report means findings; anything else without one is a failed run.
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        raise Unreachable(f"pip-audit gave no report:\n{result.stderr.strip()[-2000:]}") from None


def fetch_project(name: str) -> dict | None:
    """The registry's project JSON, None for an unknown project; retries, then Unreachable."""
    url = PROJECT_JSON.format(name=name)
    for attempt in range(1, ATTEMPTS + 1):
        if GAVE_UP.is_set():
            raise Unreachable(f"{url}: not tried, the registry did not answer for another")
        try:
            # A fixed https URL on the package registry, a package name from pip.
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310  # nosec B310
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            problem = f"HTTP {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            problem = str(error)
        if attempt < ATTEMPTS:
            time.sleep(2 * attempt)
    GAVE_UP.set()
    raise Unreachable(f"{url}: {problem}")


def advisories(vulnerabilities: list[dict], ignored: dict[str, str]) -> list[str]:
    """Advisory ids that count: not withdrawn, and neither the id nor an alias is ignored."""
    found = []
    for vuln in vulnerabilities:
        ids = {vuln.get("id"), *vuln.get("aliases", [])}
        if vuln.get("withdrawn") or ids & set(ignored):
            continue
        fixed = ", ".join(vuln.get("fixed_in") or []) or "no fix yet"
        found.append(f"{vuln.get('id')} (fixed in: {fixed})")
    return found


def newest_installable(project: dict) -> str | None:
    """The newest final, unyanked release with a file this Python can install."""
    here = ".".join(map(str, sys.version_info[:3]))
    versions = []
    for version, files in project.get("releases", {}).items():
        try:
            parsed = Version(version)
        except InvalidVersion:
            continue
        if parsed.is_prerelease or parsed.is_devrelease:
            continue
        for file in files:
            wanted = SpecifierSet(file.get("requires_python") or "")
            if not file.get("yanked") and here in wanted:
                versions.append(parsed)
                break
    return str(max(versions)) if versions else None


def check_skipped(dependency: dict, project: dict | None, lists: "Lists") -> tuple:
    """(findings, reason it stays unaudited or None) for a package pip-audit skipped."""
    name = dependency["name"]
    reason = dependency.get("skip_reason", "skipped")
    match = SKIPPED_VERSION.search(reason)
    if "editable" in reason and name == PROJECT:
        return [], None  # this project itself: its code is bandit's part
    if not match or project is None:
        return [], reason if not match else "not on the package registry"
    installed, newest = match.group(1), project["info"]["version"]
    # The project JSON lists the advisories that still affect its newest release.
    found = advisories(project.get("vulnerabilities") or [], lists.ignored)
    if Version(installed) == Version(newest):
        return found, None
    if name in lists.held and Version(installed) == Version(newest_installable(project) or "0"):
        return found, None
    if Version(installed) > Version(newest):
        return found, f"{installed} is newer than the registry's newest release {newest}"
    return found, f"{installed} is older than the newest release {newest}: upgrade it"


def audit(report: dict, lists: "Lists", fetch=fetch_project) -> tuple[list, list]:
    """(findings, unaudited) as lines 'name version: ...'."""
    findings, unaudited = [], []
    skipped = [dep for dep in report["dependencies"] if "skip_reason" in dep]
    with ThreadPoolExecutor(max_workers=8) as pool:
        names = [dep["name"] for dep in skipped]
        projects = dict(zip(names, pool.map(fetch, names), strict=True))
    for dep in report["dependencies"]:
        if dep.get("vulns"):
            ids = [v["id"] for v in dep["vulns"]]
            findings.append(f"{dep['name']} {dep['version']}: {', '.join(ids)}")
        elif "skip_reason" in dep:
            found, reason = check_skipped(dep, projects[dep["name"]], lists)
            if found:
                findings.append(f"{dep['name']}: {', '.join(found)}")
            if reason:
                unaudited.append(f"{dep['name']}: {reason}")
    return findings, unaudited


def main() -> int:
    lists = Lists(read_reviewed(IGNORE_FILE), read_reviewed(HELD_FILE))
    try:
        report = run_pip_audit(lists.ignored)
        findings, unaudited = audit(report, lists)
    except Unreachable as error:
        print(f"dependency audit: the vulnerability service is unreachable: {error}")
        return 2
    for line in findings:
        print(f"VULNERABLE {line}")
    for line in unaudited:
        print(f"NOT AUDITED {line}")
    checked = len(report["dependencies"]) - len(unaudited)
    print(
        f"dependency audit: {checked} packages checked, {len(findings)} vulnerable,"
        f" {len(unaudited)} not audited; reviewed exceptions (docs/security.md):"
        f" {len(lists.ignored)} advisories ignored, {len(lists.held)} packages held back"
    )
    return 1 if findings or unaudited else 0


if __name__ == "__main__":
    sys.exit(main())
