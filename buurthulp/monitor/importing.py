"""Importing an inventory of initiatives from CSV: all rows checked first, then all written in
one transaction, so an error never leaves half an import behind."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from buurthulp.extensions import db
from buurthulp.initiatives.models import RegistryStatus
from buurthulp.monitor.registry import DEFINITION, Entry, EntryProblems, check_entry
from buurthulp.monitor.registry_services import initiative_add, is_duplicate

COLUMNS = (
    "name", "pc4", "kind", "domains", "legal_form", "phase", "founding_year",
    "contact_email", "website", "description", "uses_platform", *DEFINITION,
)  # fmt: skip
REQUIRED = ("name", "pc4", "kind", "domains", "legal_form", "phase", "contact_email")


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list[tuple[int, str, list[str]]] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.missing_columns


def read_rows(text: str) -> tuple[list[str], list[dict]]:
    """Header and rows of a CSV with ',' or ';' (Excel in Dutch writes ';')."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    return header, list(reader)


def check_rows(
    rows: Iterable[dict], progress: Callable[[int], None] = lambda n: None
) -> tuple[list[Entry], list[tuple[int, str, list[str]]]]:
    """Entries for the good rows and (line, name, reasons) for the others; line 1 is the header."""
    entries, rejected, seen = [], [], set()
    for line, row in enumerate(rows, start=2):
        name = str(row.get("name") or "")[:80]
        try:
            entry = check_entry(row)
        except EntryProblems as problems:
            rejected.append((line, name, problems.texts()))
        else:
            key = (entry.name.lower(), entry.municipality)
            if key in seen or is_duplicate(entry):
                rejected.append(
                    (line, name, ["Staat al in het register of eerder in het bestand."])
                )
            else:
                seen.add(key)
                entries.append(entry)
        progress(1)
    return entries, rejected


def import_inventory(
    text: str,
    *,
    now: datetime,
    keep_going: bool = False,
    progress: Callable[[int], None] = lambda n: None,
) -> ImportReport:
    """Import approved registry entries. With a rejected row nothing is written, unless
    keep_going: then the good rows are. Either way it is one transaction."""
    header, rows = read_rows(text)
    report = ImportReport(missing_columns=[c for c in REQUIRED if c not in header])
    if report.missing_columns:
        return report
    entries, report.rejected = check_rows(rows, progress)
    if report.rejected and not keep_going:
        return report
    taken: set[str] = set()
    try:
        for entry in entries:
            initiative_add(entry=entry, status=RegistryStatus.APPROVED, now=now, taken_slugs=taken)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.imported = len(entries)
    return report
