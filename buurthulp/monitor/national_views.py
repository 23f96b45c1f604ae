"""The national monitor and its open data: public, no login, no personal data."""

import csv
import io
import json

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from buurthulp.listings.clock import local_today
from buurthulp.monitor import opendata
from buurthulp.monitor.blueprint import FIRST_YEAR, bp, parse_year
from buurthulp.monitor.national import national_figures_cached
from buurthulp.monitor.province_map import choropleth

YEAR = "<int(min=2000,max=2999):year>"


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= local_today().year:
        abort(404)
    return year


@bp.get("/monitor")
def national():
    today = local_today()
    year = parse_year(request.args.get("jaar"), today)
    figures = national_figures_cached(current_app, year)
    return render_template(
        "monitor/national.html",
        figures=figures,
        province_map=choropleth(
            "map-initiatives", _("Initiatieven per provincie"), figures.by_province.cells
        ),
        years=list(range(today.year, today.year - 6, -1)),
    )


@bp.get("/monitor/open-data")
def open_data():
    today = local_today()
    return render_template(
        "monitor/open_data.html", years=list(range(today.year, today.year - 6, -1))
    )


@bp.get(f"/monitor/open-data/{YEAR}.json")
def open_data_json(year: int):
    doc = opendata.document(national_figures_cached(current_app, _year_or_404(year)))
    body = json.dumps(doc, ensure_ascii=False, indent=1)
    return body, 200, {"Content-Type": "application/json; charset=utf-8"}


@bp.get(f"/monitor/open-data/{YEAR}.csv")
def open_data_csv(year: int):
    doc = opendata.document(national_figures_cached(current_app, _year_or_404(year)))
    out = io.StringIO()
    csv.writer(out).writerows(opendata.csv_rows(doc))
    return (
        out.getvalue(),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="monitor-{year}.csv"',
        },
    )
