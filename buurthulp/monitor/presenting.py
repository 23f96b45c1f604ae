"""What the figure pages show: charts and their tables built from YearFigures."""

from dataclasses import dataclass

from flask_babel import gettext as _

from buurthulp.i18n import translated_msgid
from buurthulp.monitor.charts import bar_chart
from buurthulp.monitor.figures import METRICS, YearFigures
from buurthulp.translatable import N_

# The monthly charts on an initiative's page, in this order.
CHARTED = ("requests", "completed", "hours", "active_volunteers")
MONTHS = (
    N_("jan"), N_("feb"), N_("mrt"), N_("apr"), N_("mei"), N_("jun"),
    N_("jul"), N_("aug"), N_("sep"), N_("okt"), N_("nov"), N_("dec"),
)  # fmt: skip


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: object
    metric: str
    this_year: list
    last_year: list


def month_labels() -> list[str]:
    return [translated_msgid(m) for m in MONTHS]


def monthly_charts(this: YearFigures, last: YearFigures) -> list[Chart]:
    charts = []
    for metric in CHARTED:
        title = _(
            "%(what)s per maand, %(year)s en %(previous)s",
            what=translated_msgid(METRICS[metric]),
            year=this.year,
            previous=last.year,
        )
        now = [round(m[metric], 1) for m in this.months]
        before = [round(m[metric], 1) for m in last.months]
        series = [(str(this.year), now), (str(last.year), before)]
        svg = bar_chart(f"chart-{metric}", title, month_labels(), series)
        charts.append(Chart(f"chart-{metric}", title, svg, metric, now, before))
    return charts
