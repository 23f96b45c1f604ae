"""The national figures as open data: one JSON document and one CSV per year.

The schema is documented in docs/monitor.md; bump SCHEMA_VERSION when it changes.
"""

from buurthulp.monitor.disclosure import PRIMARY, SECONDARY, Table
from buurthulp.monitor.national import Counts, NationalFigures

SCHEMA_VERSION = 1
COUNTS = (
    "initiatives_by_province",
    "initiatives_by_kind",
    "initiatives_by_domain",
    "initiatives_by_legal_form",
    "initiatives_by_phase",
    "new_initiatives_by_year",
    "residents_helped_by_province",
    "active_volunteers_by_province",
    "activities_held_by_province",
    "activity_participants_by_province",
    "unique_activity_participants_by_province",
    "survey_answered_by_province",
    "survey_volunteers_by_province",
    "survey_participants_by_province",
    "contacts_by_province",
    "residents_reached_by_province",
    "referrals_by_service_kind",
)


def _table(table: Table, rows: list[str], columns: list[str]) -> dict:
    return {
        "rows": rows,
        "columns": columns,
        "cells": [[c.json() for c in row] for row in table.cells],
        "row_totals": [c.json() for c in table.row_totals],
        "column_totals": [c.json() for c in table.column_totals],
        "total": table.total.json(),
    }


def document(figures: NationalFigures) -> dict:
    counts: dict[str, Counts] = {
        "initiatives_by_province": figures.by_province,
        "initiatives_by_kind": figures.by_kind,
        "initiatives_by_domain": figures.by_domain,
        "initiatives_by_legal_form": figures.by_legal_form,
        "initiatives_by_phase": figures.by_phase,
        "new_initiatives_by_year": figures.new_per_year,
        "residents_helped_by_province": figures.residents_helped,
        "active_volunteers_by_province": figures.active_volunteers,
        "activities_held_by_province": figures.activities_held,
        "activity_participants_by_province": figures.activity_participants,
        "unique_activity_participants_by_province": figures.unique_participants,
        "survey_answered_by_province": figures.survey_answered,
        "survey_volunteers_by_province": figures.survey_volunteers,
        "survey_participants_by_province": figures.survey_participants,
        "contacts_by_province": figures.contacts,
        "residents_reached_by_province": figures.residents_reached,
        "referrals_by_service_kind": figures.referrals_by_kind,
    }
    tables = {name: counts[name].json() for name in COUNTS}
    tables["help_given_by_province_and_category"] = _table(
        figures.help_given, figures.help_rows, figures.help_columns
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "period": str(figures.year),
        "disclosure": {"rounded_to": 5, "small_count": PRIMARY, "secondary": SECONDARY},
        "tables": tables,
    }


def csv_rows(doc: dict) -> list[list]:
    """Long format: one line per published cell (table, row, column, value)."""
    rows = [["period", "table", "row", "column", "value"]]
    period = doc["period"]
    for name, table in doc["tables"].items():
        if "rows" not in table:
            for key, value in table["cells"].items():
                rows.append([period, name, key, "", value])
            rows.append([period, name, "total", "", table["total"]])
            continue
        for row, values, total in zip(
            table["rows"], table["cells"], table["row_totals"], strict=True
        ):
            rows += [
                [period, name, row, c, v] for c, v in zip(table["columns"], values, strict=True)
            ]
            rows.append([period, name, row, "total", total])
        rows += [
            [period, name, "total", c, v]
            for c, v in zip(table["columns"], table["column_totals"], strict=True)
        ]
        rows.append([period, name, "total", "total", table["total"]])
    return rows
