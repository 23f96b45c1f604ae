"""Server-side SVG bar charts: readable at a glance, no JavaScript. Pure.

Every chart comes with a data table on the page (the SVG is a picture; screen readers get
its title and the table). Colours come from classes in site.css, never inline styles.
"""

from markupsafe import Markup

WIDTH, HEIGHT = 640, 260
LEFT, BOTTOM, TOP = 48, 28, 12


def nice_max(value: float) -> float:
    """A round axis maximum at or above value: 1, 2, 5, 10, 20, 50, ..."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _axis(top: float, plot_h: float) -> list[Markup]:
    """Grid lines at 0, half and the top; numbers only at 0 and the top (whole numbers, so
    they read the same in every language)."""
    parts = []
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        parts.append(
            Markup('<line class="chart-grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>').format(
                LEFT, WIDTH, y, y
            )
        )
        if fraction != 0.5:
            parts.append(
                Markup(
                    '<text class="chart-axis" x="{}" y="{:.1f}" text-anchor="end">{:g}</text>'
                ).format(LEFT - 6, y + 4, top * fraction)
            )
    return parts


def bar_chart(
    chart_id: str, title: str, labels: list[str], series: list[tuple[str, list[float]]]
) -> Markup:
    """Grouped bars: one group per label, one bar per series (at most 3, classes bar-0..2)."""
    plot_h = HEIGHT - TOP - BOTTOM
    top = nice_max(max((v for _, values in series for v in values), default=0))
    group_w = (WIDTH - LEFT) / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [
        Markup(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">'
        ).format(WIDTH, HEIGHT, chart_id),
        Markup('<title id="{}-title">{}</title>').format(chart_id, title),
        *_axis(top, plot_h),
    ]
    for g, label in enumerate(labels):
        x0 = LEFT + g * group_w + group_w * 0.1
        for s, (_, values) in enumerate(series):
            h = plot_h * (values[g] / top)
            parts.append(
                Markup(
                    '<rect class="bar-{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>'
                ).format(s, x0 + s * bar_w, TOP + plot_h - h, bar_w * 0.92, h)
            )
        parts.append(
            Markup(
                '<text class="chart-label" x="{:.1f}" y="{}" text-anchor="middle">{}</text>'
            ).format(x0 + group_w * 0.4, HEIGHT - 8, label)
        )
    parts.append(Markup("</svg>"))
    # Markup.format and Markup.join escape every value that is not Markup already.
    return Markup("").join(parts)
