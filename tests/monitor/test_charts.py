"""The SVG pieces: bar heights follow the values, text is escaped, the map has 12 provinces."""

import re

from buurthulp.monitor.charts import bar_chart, nice_max
from buurthulp.monitor.disclosure import Cell
from buurthulp.monitor.province_map import choropleth, province_shapes, shade


def test_nice_max():
    assert [nice_max(v) for v in (0, 0.4, 1, 3, 7, 11, 180)] == [1, 1, 1, 5, 10, 20, 200]


def test_bars_are_as_high_as_their_values_and_text_is_escaped():
    svg = str(
        bar_chart('c"', "<b>Titel</b>", ["<i>jan", "feb"], [("2025", [10, 5]), ("2024", [0, 2])])
    )
    heights = [float(h) for h in re.findall(r'<rect class="bar-\d"[^>]*height="([0-9.]+)"', svg)]
    assert heights[0] == 2 * heights[2] and heights[1] == 0  # jan 2025, jan 2024, feb 2025
    assert "&lt;b&gt;Titel&lt;/b&gt;" in svg and "<b>" not in svg
    assert "&lt;i&gt;jan</text>" in svg and "<i>" not in svg
    assert 'role="img"' in svg and 'aria-labelledby="c&#34;-title"' in svg


def test_the_map_has_twelve_small_provinces():
    paths, height = province_shapes()
    assert len(paths) == 12 and "Fryslân" in paths and height > 0
    svg = str(choropleth("m", "Kaart", {"Utrecht": Cell(10), "Zeeland": Cell(None, "<5")}))
    assert svg.count("<path ") == 12
    assert len(svg) < 20_000  # simplified: a page stays light
    assert 'class="map-none"' in svg  # a suppressed province is not coloured as a count
    assert "<title>Zeeland: &lt;5</title>" in svg
    assert shade(0, 10) == "map-0" and shade(10, 10) == "map-5" and shade(None, 10) == "map-none"
