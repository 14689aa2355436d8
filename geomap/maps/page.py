"""Offline, self-contained HTML evidence maps (the only module that imports folium).

:func:`render_page` turns the data of :func:`geomap.maps.data.map_data_from_columns`
into one HTML document that opens with no network at all: Leaflet's
JavaScript and CSS are inlined from the ``xstatic-leaflet`` wheel (its images
rewritten to ``data:`` URIs), the page's own script and style are package
files (``geomap/maps/static/page.js`` and ``page.css``), the base map is the
shipped Natural Earth countries layer clipped and simplified to the view, and
folium contributes only the map scaffolding (``L.map`` with a canvas renderer
and the scale bar).  None of folium's CDN assets (jQuery, Bootstrap, Font
Awesome, awesome-markers) is used, so none is referenced.

Safety
------
Every piece of text that may come from a user or a data file (incident labels,
notes, place names, claim text, layer attributes, the title) travels to the
page as data: the small things as JSON in one ``<script
type="application/json">`` block, with ``<``, ``>``, ``&`` and U+2028/U+2029
escaped (:func:`page_json`); the incident columns as base64 of a gzip stream
(:mod:`geomap.maps.encode`) in a second inert block, which cannot contain
markup.  The page's script builds popups, legend, labels and title with
``document.createElement`` and ``textContent``; no untrusted text goes through
folium's ``Popup``/``Tooltip`` (raw HTML inside JS template literals), through
Leaflet's HTML-string APIs, or through a Jinja template: branca renders element
templates with an unsandboxed Jinja, so ``{{ 7*7 }}`` in text handed to
``folium.Element`` or ``folium.Popup`` is evaluated *in Python* when the map is
rendered (checked with folium 0.20.0 / branca 0.8.2).  Here the data is
passed to the template as a *value*, never as template source.

Coordinates
-----------
(lon, lat) everywhere in Python and in the page data (GeoJSON order).  The flip
to Leaflet's (lat, lon) happens in :func:`geomap.maps.data.map_centre` (for
folium's map centre) and in the page script's single ``ll(lon, lat)`` function.
"""

from __future__ import annotations

import base64
import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from geomap.io.text import clean_json
from geomap.errors import MissingDependency
from geomap.maps.data import map_centre, map_data

#: escaped inside the page's JSON: markup characters, JS line terminators, and bidi controls (so the page source
#: reads as it runs; the text itself is unchanged after JSON.parse)
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: the incident block may hold only base64 characters
_B64_RE = re.compile(r"[A-Za-z0-9+/=]*\Z")


def page_json(data: Any) -> str:
    """JSON safe to place inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c``/``\\u003e``/``\\u0026`` (so no
    ``</script>`` or ``<!--`` can end or alter the block) and U+2028/U+2029
    are escaped; JSON.parse restores the exact text.  NaN/inf become null.
    """
    text = json.dumps(clean_json(data, path_names=True), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet 1.9.3's JS and CSS from the ``xstatic-leaflet`` wheel, CSS images as ``data:`` URIs."""
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ImportError:  # pragma: no cover - a declared dependency
        raise MissingDependency("xstatic-leaflet is not installed: pip install 'xstatic-leaflet==1.9.3.0'") from None
    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match):
        name = match.group(2)
        target = base / name
        if not target.is_file():  # pragma: no cover - wheel layout changed
            raise MissingDependency(f"xstatic-leaflet lacks {name}: reinstall xstatic-leaflet==1.9.3.0")
        payload = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{payload})"

    css = re.sub(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)", data_uri, css)
    # Inline <script>/<style> content must not contain their own end tags.
    js = js.replace("</script", "<\\/script")
    css = css.replace("</style", "<\\/style")
    return js, css


@lru_cache(maxsize=1)
def page_assets() -> tuple[str, str]:
    """The page's own script and style: ``geomap/maps/static/page.js`` and ``page.css`` (package data)."""
    static = resources.files("geomap.maps").joinpath("static")
    js = static.joinpath("page.js").read_text(encoding="utf-8")
    css = static.joinpath("page.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover - guards edits of the files
        raise MissingDependency("geomap/maps/static/page.js or page.css contains an end tag: reinstall geomap")
    return js, css


def render_page(data: dict) -> str:
    """One self-contained HTML document drawing ``data`` (from :mod:`geomap.maps.data`).

    Returns the HTML document (UTF-8 text), referencing no external resource.
    """
    try:
        import folium
        from branca.element import Element, MacroElement
        from jinja2 import Template
    except ImportError:  # pragma: no cover - a declared dependency
        raise MissingDependency("folium is not installed: pip install 'folium>=0.20,<0.21'") from None

    js, css = leaflet_assets()
    own_js, own_css = page_assets()
    inc = dict(data["inc"])
    blob = inc.pop("blob")
    if not _B64_RE.match(blob):  # pragma: no cover - encode.py writes base64 only
        raise ValueError("the incident block is not base64")
    payload = page_json(dict(data, inc=inc))

    class OfflineMap(folium.Map):
        # No CDN assets: Leaflet is inlined below; jQuery/Bootstrap/Font Awesome are not used.
        default_js: list = []
        default_css: list = []

    fmap = OfflineMap(location=map_centre(data["view"]), zoom_start=7, tiles=None, prefer_canvas=True,
                      control_scale=True)
    root = fmap.get_root()

    class Static(Element):
        """Fixed markup for the page header/body; variable parts are Jinja *values*, never template source."""

        def __init__(self, template: str, **values):
            super().__init__()
            self._template = Template(template)
            self.values = values

    class PageScript(MacroElement):
        """The page script, run after folium has created the map (receives the map object)."""

        _template = Template("{% macro script(this, kwargs) %}(" + own_js + ")({{ this._parent.get_name() }});"
                             "{% endmacro %}")

    root.header.add_child(Static("<style>{{ this.values.css }}</style><script>{{ this.values.js }}</script>"
                                 "<style>{{ this.values.own_css }}</style>", css=css, js=js, own_css=own_css),
                          name="geomap_assets")
    root.html.add_child(Static('<script type="application/json" id="geomap-data">{{ this.values.payload }}</script>'
                               '<script type="application/octet-stream" id="geomap-inc">{{ this.values.blob }}'
                               '</script>', payload=payload, blob=blob), name="geomap_data")
    fmap.add_child(PageScript(), name="geomap_script")
    html = root.render()
    return html.replace('<div class="folium-map"', '<div class="folium-map" role="application" aria-label="map"', 1)


def read_page(html: str) -> dict:
    """The data of a rendered page, parsed back: the JSON block with ``inc["blob"]`` restored.

    Pass the result to :func:`geomap.maps.data.decode_incidents` for the incident columns.
    """
    m = re.search(r'<script type="application/json" id="geomap-data">(.*?)</script>', html, re.S)
    b = re.search(r'<script type="application/octet-stream" id="geomap-inc">(.*?)</script>', html, re.S)
    if not m or not b:
        raise ValueError("not a geomap map page: no data block")
    data = json.loads(m.group(1))
    data["inc"]["blob"] = b.group(1)
    return data


def render_map(rows: Sequence, lines, *, claim=None, area_lines=None, title: str | None = None,
               base: str | None = "ne-countries-50m", online_tiles: bool = False) -> str:
    """One self-contained HTML document showing incidents, the line, and the claim.

    Parameters
    ----------
    rows : sequence of geomap.pipeline.result.IncidentResult
        The incidents measured against ``lines`` (points, circles or areas),
        with their verdicts when the run judged a claim (``Result.rows()``).
    lines : geomap.layers.lineset.LineSet
        The line of contact.  When its shipped layer names an ``area_layer``
        the held area is drawn too.
    claim : geomap.claims.Claim, optional
        Draws the band where the claim would be true (strict and lenient).
    area_lines : str, Path or object with ``geoms``, optional
        The held area to draw (a shipped layer id, a vector file, or lon/lat
        geometries); default: the ``area_layer`` the line's layer names.
    title : str, optional
        Shown as plain text at the top (default: the layer and claim).
    base : str or None
        Shipped polygon layer drawn as the offline base map; None for none.
    online_tiles : bool
        Also offer OpenStreetMap tiles (needs the network; the page says so
        when they fail and keeps the embedded base map).

    Returns
    -------
    str
        The HTML document (UTF-8 text), referencing no external resource.
    """
    return render_page(map_data(rows, lines, claim=claim, area_lines=area_lines,
                                title=title, base=base, online_tiles=online_tiles))


def write_page(path: str | Path, data: dict, inputs: Sequence = ()) -> Path:
    """Render ``data`` (see :func:`render_page`) and write it atomically to ``path`` (never over an input)."""
    from geomap.io.write import guard_output, write_atomic

    path = Path(path)
    guard_output(path, [p for p in inputs if p is not None])
    write_atomic(path, render_page(data))
    return path


def write_map(path: str | Path, rows, lines, **kwargs) -> Path:
    """Render a map (see :func:`render_map`) and write it atomically to ``path`` (never over an input)."""
    from geomap.io.write import guard_output

    guard_output(Path(path), [getattr(lines, "path", None)])
    _check_html_name(path)
    return write_page(path, map_data(rows, lines, **kwargs), [getattr(lines, "path", None)])


def _check_html_name(path) -> None:
    """InputError unless ``path`` names an HTML page (.html/.htm, or standard output/a device written through):
    'map.png' or 'map.txt' got an HTML page under another kind's name."""
    from geomap.errors import InputError
    from geomap.io.write import target_kind

    if target_kind(path) == "file" and Path(path).suffix.lower() not in (".html", ".htm"):
        raise InputError(f"the map is an HTML page: name the file like map.html, not {Path(path).name} "
                         "(a picture: geomap.add_result_map(result, png=...))")


def write_outputs(data_fn, *, html=None, png=None, inputs: Sequence = ()) -> dict:
    """Write an HTML map and/or a PNG of it; ``data_fn()`` builds the page data only when something is written.

    Returns ``{"html": Path or None, "png": Path or None}``; raises
    MissingDependency before any work when ``png`` is asked for and chromium
    or Playwright is missing.
    """
    import tempfile

    written: dict[str, Path | None] = {"html": None, "png": None}
    if html is None and png is None:
        return written
    inputs = [p for p in inputs if p is not None]
    if png is not None:
        from geomap.io.write import guard_output
        from geomap.maps.screenshot import chromium_path

        guard_output(png, inputs)
        chromium_path()  # fail early, before rendering, when chromium is missing
    if html is not None:
        from geomap.io.write import guard_output

        guard_output(Path(html), inputs)
        _check_html_name(html)
    data = data_fn()
    if html is not None:
        written["html"] = write_page(html, data, inputs)
    if png is not None:
        from geomap.maps.screenshot import screenshot_map

        if written["html"] is not None:
            written["png"] = screenshot_map(written["html"], png)
        else:
            with tempfile.TemporaryDirectory(prefix="geomap-map-") as tmp:
                page = write_page(Path(tmp) / "map.html", data, inputs)
                written["png"] = screenshot_map(page, png)
    return written


def add_map_outputs(rows, lines, *, html=None, png=None, claim=None, title=None,
                    online_tiles=False) -> dict:
    """Write an HTML map and/or a PNG of it for results a command already has (one call for ``--html``/``--png``).

    Parameters
    ----------
    rows, lines, claim, title, online_tiles
        As for :func:`render_map`.
    html : str or Path, optional
        Where to write the HTML map.
    png : str or Path, optional
        Where to write a screenshot (headless chromium; the HTML goes to a
        temporary file when ``html`` is not given).

    Returns
    -------
    dict
        ``{"html": Path or None, "png": Path or None}``.

    Raises
    ------
    MissingDependency
        ``png`` was asked for and chromium or Playwright is missing.
    """
    return write_outputs(lambda: map_data(rows, lines, claim=claim, title=title, online_tiles=online_tiles),
                         html=html, png=png, inputs=[getattr(lines, "path", None)])


def add_column_map_outputs(columns, lines_by_layer, *, html=None, png=None, **kwargs) -> dict:
    """:func:`add_map_outputs` for measured columns (see :func:`geomap.maps.data.map_data_from_columns`)."""
    from geomap.maps.data import map_data_from_columns

    inputs = [getattr(lines, "path", None) for lines in lines_by_layer.values()]
    return write_outputs(lambda: map_data_from_columns(columns, lines_by_layer, **kwargs), html=html, png=png,
                         inputs=inputs)
