// geomap's map page script: a function of the Leaflet map object (folium calls it once the map exists).
// It reads two inert blocks: the JSON data (#geomap-data) and the incident columns (#geomap-inc, base64 of a
// gzip stream of typed arrays and a string dictionary, see geomap/maps/encode.py), and builds everything with
// DOM APIs (createElement/textContent).  No string from the data is ever parsed as HTML or code.
// Incidents are drawn on one canvas of their own (grid cells at low zoom when there are many), clicks are
// hit-tested against the rows' own coordinates, distance labels are placed where they cover no marker.
function (MAP) {
  "use strict";
  var root = document.documentElement;
  function fail(err) {
    root.setAttribute("data-geomap-error", String(err && err.message || err));
    console.error("geomap map failed: " + (err && err.stack || err));
  }
  var NULL_I32 = -2147483648;
  var SIZES = {i32: 4, u32: 4, u16: 2, u8: 1, i8: 1};
  var TYPES = {i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array, i8: Int8Array};

  function decodeBlock(header, text) {
    var clean = text.trim(), bytes;
    if (typeof Uint8Array.fromBase64 === "function") {
      bytes = Uint8Array.fromBase64(clean);
    } else {
      var bin = atob(clean), n = bin.length;
      bytes = new Uint8Array(n);
      for (var k = 0; k < n; k++) { bytes[k] = bin.charCodeAt(k); }
    }
    var out = {scale: {}};
    return Promise.all(header.segments.map(function (s) {
      var part = bytes.subarray(s.offset, s.offset + s.bytes);
      var stream = new Blob([part]).stream().pipeThrough(new DecompressionStream("deflate"));
      return new Response(stream).arrayBuffer().then(function (buf) {
        var u8 = new Uint8Array(buf);
        if (s.type === "json") {
          out[s.name] = JSON.parse(new TextDecoder("utf-8").decode(u8));
          return;
        }
        var size = SIZES[s.type], plain = u8;
        if (size > 1 && header.shuffled) {
          plain = new Uint8Array(s.count * size);
          for (var b = 0; b < size; b++) {
            var base = b * s.count;
            for (var i = 0; i < s.count; i++) { plain[i * size + b] = u8[base + i]; }
          }
        }
        out[s.name] = new TYPES[s.type](plain.buffer, 0, s.count);
        out.scale[s.name] = s.scale;
      });
    })).then(function () { return out; });
  }

  function build(D, C) {
    var S = C.strings, I = D.inc, n = I.n;
    var VCODE = [];
    Object.keys(D.verdicts).forEach(function (k) { VCODE[D.verdicts[k].code] = k; });
    function ll(lon, lat) { return L.latLng(lat, lon); }  // the page's one (lon, lat) -> (lat, lon) flip
    function num(name, i) {
      var col = C[name];
      if (!col) { return null; }
      var v = col[i];
      return v === NULL_I32 ? null : v / C.scale[name];
    }
    function text(name, i) { return C[name] ? S[C[name][i]] : ""; }
    function el(tag, cls, txt) {
      var e = document.createElement(tag);
      if (cls) { e.className = cls; }
      if (txt !== undefined && txt !== null) { e.textContent = String(txt); }
      return e;
    }
    function km(m) { return (m === null || m === undefined) ? "n/a" : (m / 1000).toFixed(2) + " km"; }
    function metres(m) { return (m === null || m === undefined) ? "n/a" : m.toFixed(1) + " m (" + km(m) + ")"; }
    function rng(r) {
      if (!r) { return "n/a"; }
      var lo = r[0] ? km(r[0]) : null, hi = (r[1] === null) ? null : km(r[1]);
      if (lo === null && hi === null) { return "any distance"; }
      if (lo === null) { return "\u2264 " + hi; }
      if (hi === null) { return "\u2265 " + lo; }
      return lo + " \u2013 " + hi;
    }
    function table(rows) {
      var t = el("table");
      rows.forEach(function (r) {
        if (r[1] === null || r[1] === undefined || r[1] === "") { return; }
        var tr = el("tr"); tr.appendChild(el("th", null, r[0]));
        var td = el("td", null, r[1]); td.setAttribute("dir", "auto"); tr.appendChild(td); t.appendChild(tr);
      });
      return t;
    }
    function layerRows(k) {
      var Ly = D.layers[k];
      return [["layer", Ly.id], ["layer source", Ly.source], ["layer title", Ly.title], ["valid", Ly.valid],
              ["layer version", Ly.version], ["layer sha256", Ly.sha256 ? Ly.sha256 + "\u2026" : null],
              ["layer accuracy", Ly.accuracy_m === null || Ly.accuracy_m === undefined ? Ly.accuracy_note :
                                 "\u00b1" + Ly.accuracy_m + " m"],
              ["licence", Ly.licence], ["geomap", D.version]];
    }
    function claimRows(sentence) {
      if (!D.claim) { return []; }
      return [["claim", D.claim.text], ["read as", D.claim.matched], ["strict reading", rng(D.claim.strict)],
              ["lenient reading", rng(D.claim.lenient)], ["rule", D.claim.rule], ["verdict", sentence]];
    }
    function popupBox(heading, rows) {
      var box = el("div", "geomap-popup");
      var h = el("h4", null, heading); h.setAttribute("dir", "auto"); box.appendChild(h);
      box.appendChild(table(rows));
      return box;
    }
    function rowName(i) {
      var label = text("label", i), row = C.row ? C.row[i] : 0;
      if (label) { return label; }
      return row ? "row " + row : "incident " + (i + 1);
    }
    var rowLayer = C.layer;
    function incidentPopup(i, latlng, nearby) {
      var v = VCODE[C.v[i]], a = I.areas[String(i)], lon = num("lon", i), lat = num("lat", i);
      var nlon = num("nlon", i), nlat = num("nlat", i), r = num("r", i), row = C.row ? C.row[i] : 0;
      var rows = [["verdict", D.verdicts[v].text], ["input row", row ? String(row) : null], ["kind", text("kind", i)],
                  ["date", text("date", i)], ["note", text("note", i)],
                  ["lon, lat", lon.toFixed(6) + ", " + lat.toFixed(6)],
                  ["location uncertainty", r ? r + " m" : null],
                  ["distance", metres(num("d", i))], ["interval", km(num("lo", i)) + " \u2013 " + km(num("hi", i))]];
      if (a && a.min) { rows.push(["area nearest", metres(a.min[4])]); }
      if (a && a.max) { rows.push(["area farthest", metres(a.max[4])]); }
      rows.push(["nearest point", nlon === null ? null : nlon.toFixed(6) + ", " + nlat.toFixed(6)]);
      rows.push(["section", text("section", i)]);
      var sd = num("sd", i), sideText = text("side_text", i);
      if (sideText) {  // the side rule's own words: "side uncertain within the map's ±10.0 km", "inside the area held by ..."
        rows.push(["side", sideText + " (signed distance " + (sd === null ? "n/a" : sd.toFixed(1) + " m") + ")"]);
      } else if (C.side_in && C.side_in[i] >= 0) {
        rows.push(["side", (C.side_in[i] ? "inside" : "outside") + " the held area " + text("area_layer", i) +
                   " (signed distance " + (sd === null ? "n/a" : sd.toFixed(1) + " m") + ")"]);
      }
      if (nearby) { rows.push(["nearby", nearby + " other incident" + (nearby > 1 ? "s" : "") + " within a few pixels: zoom in"]); }
      var sentence = C.sentence ? text("sentence", i) : (D.claim ? D.verdicts[v].text + " (the sentence is in the " +
                     "output table: maps of over " + D.limits.sentence + " incidents leave it out)" : null);
      rows = rows.concat(claimRows(sentence)).concat(layerRows(rowLayer[i]));
      L.popup({maxWidth: 440, autoPanPaddingTopLeft: [10, 60]}).setLatLng(latlng)
        .setContent(popupBox(rowName(i), rows)).openOn(MAP);
    }

    // Panes: base map (150), vector layers on one canvas (overlayPane 400, so that every vector layer can be
    // clicked), incident dots (450, no pointer events: clicks are hit-tested), the line again on top (460),
    // distance labels (620).
    MAP.createPane("geomapBase").style.zIndex = 150;
    MAP.getPane("geomapBase").style.pointerEvents = "none";
    MAP.createPane("geomapDots").style.zIndex = 450;
    MAP.getPane("geomapDots").style.pointerEvents = "none";
    MAP.createPane("geomapTop").style.zIndex = 460;
    MAP.getPane("geomapTop").style.pointerEvents = "none";
    MAP.createPane("geomapLabels").style.zIndex = 620;
    MAP.getPane("geomapLabels").style.pointerEvents = "none";
    var VEC = L.canvas({padding: 0.3});
    var TOP = L.canvas({pane: "geomapTop", padding: 0.3});
    var overlays = {}, stats = {incidents: 0, connectors: 0, labels: 0, hidden_labels: 0, uncertainty: 0,
                                mode: "dots", period: -1};
    var b = D.view;
    MAP.fitBounds([ll(b[0], b[1]), ll(b[2], b[3])], {animate: false});
    MAP.attributionControl.setPrefix(false);

    if (D.base && D.base.geom) {
      var baseLayer = L.geoJSON(D.base.geom, {pane: "geomapBase", interactive: false,
        renderer: L.canvas({pane: "geomapBase", padding: 0.3}),
        style: {color: "#8c8c8c", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(MAP);
      overlays["Base map (Natural Earth, offline)"] = baseLayer;
    }
    if (D.online_tiles) {
      var notified = false;
      // URL and attribution are geomap's constants (ONLINE_TILES), not data from users.
      var tiles = L.tileLayer(D.online_tiles.url, {maxZoom: 18, opacity: 0.85, attribution: D.online_tiles.attribution});
      tiles.on("tileerror", function () {
        if (notified) { return; }
        notified = true;
        var note = L.control({position: "bottomleft"});
        note.onAdd = function () {
          return el("div", "geomap-notice", "Online tiles could not be loaded (offline?): the embedded base map is shown.");
        };
        note.addTo(MAP);
      });
      tiles.addTo(MAP);
      overlays["OpenStreetMap tiles (online)"] = tiles;
    }

    // ------------------------------------------------------------------ one group of layers per period
    var PALETTE = ["#111111", "#7b3294", "#0571b0", "#a6611a", "#008837", "#ca0020"];
    var multi = D.layers.length > 1;
    function lineColour(k) { return multi ? PALETTE[k % PALETTE.length] : "#111111"; }
    function heldBy(A) { return A.held_by ? "area held by " + A.held_by : "held area: " + (A.title || A.id); }
    var P = D.layers.map(function (Ly, k) {
      var g = {area: null, bands: null, conn: L.layerGroup(), unc: L.layerGroup()};
      if (Ly.area && Ly.area.geom) {
        g.area = L.geoJSON(Ly.area.geom, {renderer: VEC,
          style: {color: "#555", weight: 1, dashArray: "4 3", fillColor: "#888", fillOpacity: 0.18}});
        g.area.on("click", function (e) {
          L.popup({maxWidth: 440}).setLatLng(e.latlng).setContent(popupBox("Held area",
            [["layer", Ly.area.id], ["title", Ly.area.title], ["held by", Ly.area.held_by]].concat(layerRows(k))))
            .openOn(MAP);
        });
      }
      if (Ly.bands) {
        g.bands = L.layerGroup();
        [["lenient", 0.13], ["strict", 0.28]].forEach(function (p) {
          if (!Ly.bands[p[0]]) { return; }
          var layer = L.geoJSON(Ly.bands[p[0]], {renderer: VEC,
            style: {color: "#6a3d9a", weight: p[0] === "strict" ? 1.2 : 0.6, dashArray: p[0] === "strict" ? null : "5 4",
                    fillColor: "#6a3d9a", fillOpacity: p[1]}});
          layer.on("click", function (e) {
            L.popup({maxWidth: 440}).setLatLng(e.latlng).setContent(popupBox("Where the claim would be true (" +
              p[0] + " reading)", [["claim", D.claim.text], [p[0] + " reading", rng(D.claim[p[0]])],
               ["display error", Ly.bands.display_error_m === null ? null : "\u2264 " + Ly.bands.display_error_m +
                " m (sampled)"], ["method", Ly.bands.method]].concat(layerRows(k)))).openOn(MAP);
          });
          g.bands.addLayer(layer);
        });
      }
      g.line = L.geoJSON(Ly.line, {renderer: VEC, style: {color: lineColour(k), weight: 3, opacity: 0.9}});
      g.line.on("click", function (e) {
        var sec = e.layer && e.layer.feature ? e.layer.feature.properties.section : null;
        L.popup({maxWidth: 440}).setLatLng(e.latlng).setContent(popupBox("Line of contact" +
          (multi ? " (" + (Ly.valid || Ly.id) + ")" : ""), [["section", sec]].concat(layerRows(k)))).openOn(MAP);
      });
      // the line again above the incident dots, not clickable, so that dense incidents cannot hide it
      g.lineTop = L.geoJSON(Ly.line, {renderer: TOP, interactive: false,
        style: {color: lineColour(k), weight: 2.2, opacity: 0.95}});
      return g;
    });

    // ------------------------------------------------------------------ incidents: geometry in Web Mercator
    var mx = new Float64Array(n), my = new Float64Array(n), nx = new Float64Array(n), ny = new Float64Array(n);
    var hasNear = new Uint8Array(n), isArea = new Uint8Array(n);
    Object.keys(I.areas).forEach(function (k) { isArea[+k] = 1; });
    function mercX(lon) { return lon / 360 + 0.5; }
    function mercY(lat) {
      var s = Math.sin(Math.max(Math.min(lat, 85.0511287798), -85.0511287798) * Math.PI / 180);
      return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    for (var i = 0; i < n; i++) {
      mx[i] = mercX(C.lon[i] / 1e6); my[i] = mercY(C.lat[i] / 1e6);
      if (C.nlon && C.nlon[i] !== NULL_I32 && !isArea[i]) {
        nx[i] = mercX(C.nlon[i] / 1e6); ny[i] = mercY(C.nlat[i] / 1e6); hasNear[i] = 1;
      }
    }
    var detail = n <= D.limits.detail;
    var R = n <= 200 ? 6 : (n <= D.limits.detail ? 4.5 : (n <= 20000 ? 3 : 2));
    var COLOURS = VCODE.map(function (k) { return D.verdicts[k].colour; });
    function pathOf(flat) { var out = []; for (var k = 0; k + 1 < flat.length; k += 2) { out.push(ll(flat[k], flat[k + 1])); } return out; }
    var labelItems = [];  // {row, text, path (latlngs) or point}
    for (i = 0; i < n; i++) {
      if (!detail && !isArea[i]) { continue; }
      var colour = COLOURS[C.v[i]], a = isArea[i] ? I.areas[String(i)] : null, g = P[rowLayer[i]];
      if (a) {
        if (a.geom) {
          var poly = L.geoJSON(a.geom, {renderer: VEC, style: {color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.15}});
          poly.on("click", (function (j) { return function (e) { incidentPopup(j, e.latlng); }; })(i));
          g.unc.addLayer(poly);
        }
        ["min", "max"].forEach(function (w) {
          if (!a[w]) { return; }
          var p = a[w + "_path"] ? pathOf(a[w + "_path"]) : (a[w][2] === null ? [ll(a[w][0], a[w][1])] :
                  [ll(a[w][0], a[w][1]), ll(a[w][2], a[w][3])]);
          if (p.length > 1) {
            g.conn.addLayer(L.polyline(p, {renderer: VEC, color: colour, weight: 2, dashArray: w === "max" ? "6 4" : null,
                                           interactive: false}));
          }
          g.conn.addLayer(L.circleMarker(p[0], {renderer: VEC, radius: 3, color: colour, weight: 1, fillColor: "#fff",
                                                fillOpacity: 1, interactive: false}));
          labelItems.push({row: i, text: w + " " + km(a[w][4]), path: p});
        });
      } else if (detail && C.r[i] > 0) {
        // wide circles (a region-level location) are outlines only, so that they cannot bury the map
        var wide = C.r[i] / C.scale.r >= 20000;
        g.unc.addLayer(L.circle(ll(C.lon[i] / 1e6, C.lat[i] / 1e6), {radius: C.r[i] / C.scale.r, renderer: VEC,
          color: colour, weight: wide ? 0.8 : 1, opacity: wide ? 0.5 : 1, dashArray: wide ? "3 4" : null,
          fill: !wide, fillColor: colour, fillOpacity: 0.12, interactive: false}));
      }
      if (hasNear[i] && detail) {
        var path = I.paths && I.paths[i] ? pathOf(I.paths[i]) : [ll(C.lon[i] / 1e6, C.lat[i] / 1e6),
                   ll(C.nlon[i] / 1e6, C.nlat[i] / 1e6)];
        g.conn.addLayer(L.polyline(path, {renderer: VEC, color: colour, weight: 1.5, interactive: false}));
        labelItems.push({row: i, text: km(num("d", i)), path: path});
      }
    }

    // ------------------------------------------------------------------ the dot canvas
    var visible = new Uint8Array(n), visibleCount = 0;
    var AGGREGATE_ABOVE = 40000, CELL = 4;
    var Dots = L.Layer.extend({
      onAdd: function (map) {
        this._canvas = L.DomUtil.create("canvas", "geomap-dots");
        map.getPane("geomapDots").appendChild(this._canvas);
        map.on("moveend zoomend resize viewreset", this.redraw, this);
        map.on("zoomstart", this._hide, this);
        this.redraw();
      },
      onRemove: function (map) {
        L.DomUtil.remove(this._canvas);
        map.off("moveend zoomend resize viewreset", this.redraw, this);
        map.off("zoomstart", this._hide, this);
      },
      _hide: function () { this._canvas.style.visibility = "hidden"; },
      redraw: function () {
        var map = this._map, c = this._canvas, size = map.getSize(), dpr = window.devicePixelRatio || 1;
        L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
        c.width = size.x * dpr; c.height = size.y * dpr;
        c.style.width = size.x + "px"; c.style.height = size.y + "px";
        c.style.visibility = "visible";
        var ctx = c.getContext("2d");
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        var view = viewTransform(), W = size.x, H = size.y, inView = 0, k, x, y;
        for (k = 0; k < n; k++) {
          if (!visible[k]) { continue; }
          x = mx[k] * view.s - view.x0; y = my[k] * view.s - view.y0;
          if (x >= -R && y >= -R && x <= W + R && y <= H + R) { inView += 1; }
        }
        stats.incidents = visibleCount;
        if (inView > AGGREGATE_ABOVE) {
          stats.mode = "cells";
          // cells written straight into the canvas pixels (device pixels), one colour per cell
          var gw = Math.ceil(W / CELL), gh = Math.ceil(H / CELL), counts = new Uint32Array(gw * gh * 4);
          var cv = C.v;
          for (k = 0; k < n; k++) {
            if (!visible[k]) { continue; }
            x = mx[k] * view.s - view.x0; y = my[k] * view.s - view.y0;
            if (x < 0 || y < 0 || x >= W || y >= H) { continue; }
            counts[(((y / CELL) | 0) * gw + ((x / CELL) | 0)) * 4 + cv[k]] += 1;
          }
          var img = ctx.createImageData(c.width, c.height), px = new Uint32Array(img.data.buffer), cw = c.width;
          var RGB = COLOURS.map(function (h) { return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]; });
          var step = CELL * dpr;
          for (var cell = 0; cell < gw * gh; cell++) {
            var best = 0, total = 0;
            for (var v = 0; v < 4; v++) { var cnt = counts[cell * 4 + v]; total += cnt; if (cnt > counts[cell * 4 + best]) { best = v; } }
            if (!total) { continue; }
            var alpha = Math.round(255 * Math.min(1, 0.45 + 0.25 * Math.log10(total)));
            var word = (alpha << 24) | (RGB[best][2] << 16) | (RGB[best][1] << 8) | RGB[best][0];  // little-endian RGBA
            var x0 = Math.round((cell % gw) * step), y0 = Math.round(((cell / gw) | 0) * step);
            var x1 = Math.min(Math.round(x0 + step), cw), y1 = Math.min(Math.round(y0 + step), c.height);
            for (var yy = y0; yy < y1; yy++) { px.fill(word, yy * cw + x0, yy * cw + x1); }
          }
          ctx.putImageData(img, 0, 0);
          return;
        }
        stats.mode = "dots";
        if (!detail && inView <= 5000) {  // straight connectors to the nearest point once few enough are in view
          ctx.strokeStyle = "rgba(68,68,68,0.6)"; ctx.lineWidth = 0.6; ctx.beginPath();
          for (k = 0; k < n; k++) {
            if (!visible[k] || !hasNear[k]) { continue; }
            ctx.moveTo(mx[k] * view.s - view.x0, my[k] * view.s - view.y0);
            ctx.lineTo(nx[k] * view.s - view.x0, ny[k] * view.s - view.y0);
          }
          ctx.stroke();
        }
        ctx.lineWidth = n > D.limits.detail ? 0.4 : 1.2; ctx.strokeStyle = "#fff";
        for (var code = 0; code < COLOURS.length; code++) {  // one path per colour
          ctx.fillStyle = COLOURS[code]; ctx.beginPath();
          for (k = 0; k < n; k++) {
            if (!visible[k] || C.v[k] !== code) { continue; }
            x = mx[k] * view.s - view.x0; y = my[k] * view.s - view.y0;
            if (x < -R || y < -R || x > W + R || y > H + R) { continue; }
            ctx.moveTo(x + R, y); ctx.arc(x, y, R, 0, 2 * Math.PI);
          }
          ctx.fill(); ctx.stroke();
        }
      }
    });
    function viewTransform() {
      var s = MAP.options.crs.scale(MAP.getZoom()), pb = MAP.getPixelBounds();
      return {s: s, x0: pb.min.x, y0: pb.min.y};
    }
    function containerXY(k) {
      var view = viewTransform();
      return [mx[k] * view.s - view.x0, my[k] * view.s - view.y0];
    }
    function hitTest(px, py) {
      var view = viewTransform(), best = -1, bestD = Infinity, reach = Math.max(R + 3, 6), near = 0;
      for (var k = 0; k < n; k++) {
        if (!visible[k]) { continue; }
        var dx = mx[k] * view.s - view.x0 - px, dy = my[k] * view.s - view.y0 - py, d2 = dx * dx + dy * dy;
        if (d2 <= reach * reach) { near += 1; if (d2 < bestD) { bestD = d2; best = k; } }
      }
      return {row: best, nearby: Math.max(near - 1, 0)};
    }
    var dots = new Dots();

    // ------------------------------------------------------------------ distance labels, placed to cover no marker
    var labelPane = MAP.getPane("geomapLabels");
    labelItems.forEach(function (it) {
      it.el = el("div", "geomap-dist"); it.el.appendChild(el("span", null, it.text));
      it.el.setAttribute("data-row", String(it.row));
      it.el.style.display = "none";
      labelPane.appendChild(it.el);
    });
    var hoverRow = -1;
    function overlaps(a, b2) { return a[0] < b2[2] && b2[0] < a[2] && a[1] < b2[3] && b2[1] < a[3]; }
    function pointAlong(pts, t) {  // container point at fraction t of a screen polyline's length
      var lens = [], total = 0, k;
      for (k = 1; k < pts.length; k++) { var l = pts[k].distanceTo(pts[k - 1]); lens.push(l); total += l; }
      if (pts.length < 2 || total === 0) { return {p: pts[0], dir: L.point(1, 0), len: 0}; }
      var goal = t * total;
      for (k = 1; k < pts.length; k++) {
        if (goal <= lens[k - 1] || k === pts.length - 1) {
          var f = lens[k - 1] ? goal / lens[k - 1] : 0, d = pts[k].subtract(pts[k - 1]);
          var len = Math.max(lens[k - 1], 1e-9);
          return {p: pts[k - 1].add(d.multiplyBy(Math.min(f, 1))), dir: L.point(d.x / len, d.y / len), len: total};
        }
        goal -= lens[k - 1];
      }
    }
    function placeLabels() {
      var size = MAP.getSize(), placed = [], obstacles = [], rect0 = MAP.getContainer().getBoundingClientRect();
      stats.labels = 0; stats.hidden_labels = 0;
      var active = labelItems.filter(function (it) { return visible[it.row] && visibleCount <= D.limits.label; });
      labelItems.forEach(function (it) { it.el.style.display = "none"; it.hidden = false; it.box = null; });
      if (!active.length) { return; }
      for (var k = 0; k < n; k++) {
        if (!visible[k]) { continue; }
        var xy = containerXY(k);
        obstacles.push([xy[0] - R - 2, xy[1] - R - 2, xy[0] + R + 2, xy[1] + R + 2]);
      }
      active.forEach(function (it) {  // the area's nearest/farthest points are markers too
        if (I.areas[String(it.row)]) {
          var q = MAP.latLngToContainerPoint(it.path[0]);
          obstacles.push([q.x - 5, q.y - 5, q.x + 5, q.y + 5]);
        }
      });
      document.querySelectorAll(".leaflet-control, .geomap-title").forEach(function (c) {
        var r = c.getBoundingClientRect();
        if (r.width && r.height) { obstacles.push([r.left - rect0.left, r.top - rect0.top, r.right - rect0.left, r.bottom - rect0.top]); }
      });
      active.forEach(function (it) {
        it.el.style.display = "block"; it.el.style.visibility = "hidden";
        it.w = it.el.offsetWidth; it.h = it.el.offsetHeight;
      });
      active.forEach(function (it) {
        var pts = it.path.map(function (q) { return MAP.latLngToContainerPoint(q); });
        var cands = [], ts = [0.5, 0.35, 0.65, 0.2, 0.8], gap = 3;
        var probe = pointAlong(pts, 0.5), onLine = probe.len >= Math.max(it.w, it.h) + 2 * R + 12;
        ts.forEach(function (t) {
          var q = pointAlong(pts, t), nrm = L.point(-q.dir.y, q.dir.x);
          var off = (Math.abs(nrm.x) * it.w + Math.abs(nrm.y) * it.h) / 2 + gap;
          if (onLine) { cands.push(q.p); }
          cands.push(q.p.add(nrm.multiplyBy(off)), q.p.subtract(nrm.multiplyBy(off)));
        });
        [[1, 0], [-1, 0], [0, 1], [0, -1]].forEach(function (d) {  // beside the point itself
          cands.push(pts[0].add(L.point(d[0] * (R + 4 + it.w / 2), d[1] * (R + 4 + it.h / 2))));
        });
        it.best = null;
        for (var c = 0; c < cands.length; c++) {
          var p = cands[c], box = [p.x - it.w / 2, p.y - it.h / 2, p.x + it.w / 2, p.y + it.h / 2];
          if (box[0] < 2 || box[1] < 2 || box[2] > size.x - 2 || box[3] > size.y - 2) { continue; }
          if (it.best === null) { it.best = p; }
          if (obstacles.some(function (o) { return overlaps(box, o); }) ||
              placed.some(function (o) { return overlaps(box, o); })) { continue; }
          it.box = box; placed.push(box); break;
        }
        if (it.best === null) { it.best = pointAlong(pts, 0.5).p; }
        var at = it.box ? L.point((it.box[0] + it.box[2]) / 2, (it.box[1] + it.box[3]) / 2) : it.best;
        L.DomUtil.setPosition(it.el, MAP.containerPointToLayerPoint(at.subtract(L.point(it.w / 2, it.h / 2))));
        it.el.style.visibility = "visible";
        if (it.box) { stats.labels += 1; } else { it.hidden = true; stats.hidden_labels += 1; it.el.style.display = "none"; }
      });
      showHover(hoverRow);
    }
    function showHover(row) {  // labels that did not fit show while their incident is hovered
      labelItems.forEach(function (it) {
        if (!it.hidden) { return; }
        var on = it.row === row;
        it.el.style.display = on ? "block" : "none";
        it.el.classList.toggle("hover", on);
      });
    }
    MAP.on("zoomstart", function () { labelItems.forEach(function (it) { it.el.style.display = "none"; }); });
    MAP.on("moveend zoomend resize viewreset", placeLabels);

    // ------------------------------------------------------------------ clicks and hover on the dots
    var container = MAP.getContainer(), down = null;
    function onControl(e) { return e.target && e.target.closest && e.target.closest(".leaflet-control, .leaflet-popup"); }
    container.addEventListener("mousedown", function (e) { down = [e.clientX, e.clientY]; }, true);
    container.addEventListener("click", function (e) {
      if (onControl(e)) { return; }
      if (down && Math.abs(down[0] - e.clientX) + Math.abs(down[1] - e.clientY) > 4) { return; }
      var r = container.getBoundingClientRect(), hit = hitTest(e.clientX - r.left, e.clientY - r.top);
      if (hit.row < 0) { return; }
      e.stopPropagation(); e.preventDefault();
      incidentPopup(hit.row, ll(C.lon[hit.row] / 1e6, C.lat[hit.row] / 1e6), hit.nearby);
    }, true);
    var pending = false, lastMove = null;
    container.addEventListener("mousemove", function (e) {
      lastMove = e;
      if (pending || visibleCount > 200000) { return; }
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        if (onControl(lastMove)) { return; }
        var r = container.getBoundingClientRect(), hit = hitTest(lastMove.clientX - r.left, lastMove.clientY - r.top);
        container.classList.toggle("geomap-over-dot", hit.row >= 0);
        if (hit.row !== hoverRow) { hoverRow = hit.row; showHover(hoverRow); }
      });
    });

    // ------------------------------------------------------------------ periods
    var current = null, live = false;
    // The layer control's switches: one placeholder group per kind of layer; the period picks which of
    // each kind's per-period layers is on the map.
    var shown = {line: true, area: true, bands: true, conn: true, unc: true}, switches = {};
    function applyVisibility() {
      var p = current;
      P.forEach(function (g, k) {
        var on = p < 0 || k === p, single = !multi || k === p;
        [["line", g.line], ["line", g.lineTop], ["conn", g.conn], ["unc", g.unc], ["area", g.area], ["bands", g.bands]]
          .forEach(function (e) {
            var x = e[1];
            if (!x) { return; }
            var want = on && shown[e[0]] && ((e[0] !== "area" && e[0] !== "bands") || single);
            if (want && !MAP.hasLayer(x)) { x.addTo(MAP); } else if (!want && MAP.hasLayer(x)) { x.remove(); }
          });
      });
    }
    Object.keys(shown).forEach(function (kind) {
      var sw = L.layerGroup();
      sw.on("add", function () { shown[kind] = true; if (live) { setPeriod(current); } });
      sw.on("remove", function () { shown[kind] = false; if (live) { setPeriod(current); } });
      switches[kind] = sw;
    });
    function setPeriod(p) {
      current = p;
      stats.period = p;
      visibleCount = 0;
      for (var k = 0; k < n; k++) { visible[k] = (p < 0 || rowLayer[k] === p) ? 1 : 0; visibleCount += visible[k]; }
      applyVisibility();
      // stacking: area and bands below the line, connectors and uncertainty above it
      P.forEach(function (g) {
        [g.bands, g.area].forEach(function (x) { if (x && MAP.hasLayer(x)) { x.eachLayer(function (y) { if (y.bringToBack) { y.bringToBack(); } }); } });
        [g.unc, g.conn].forEach(function (x) { if (MAP.hasLayer(x)) { x.eachLayer(function (y) { if (y.bringToFront) { y.bringToFront(); } }); } });
      });
      stats.connectors = 0; stats.uncertainty = 0;
      P.forEach(function (g, k) {
        if (p >= 0 && k !== p) { return; }
        g.conn.eachLayer(function (x) { if (x instanceof L.Polyline) { stats.connectors += 1; } });
        g.unc.eachLayer(function () { stats.uncertainty += 1; });
      });
      if (!detail) { for (k = 0; k < n; k++) { if (visible[k] && hasNear[k]) { stats.connectors += 1; } } }
      stats.incidents = visibleCount;
      MAP.closePopup();
      if (dots._map) { dots.redraw(); }
      renderLegend();
      placeLabels();
      root.setAttribute("data-geomap-period", String(p));
    }

    var legendBox = el("div", "geomap-legend");
    function renderLegend() {
      var box = legendBox;
      while (box.firstChild) { box.removeChild(box.firstChild); }
      box.appendChild(el("h4", null, "Legend"));
      function item(kind, colour, txt) {
        var r = el("div", "row"), sw = el("span", "sw " + kind);
        sw.style.background = colour;
        r.appendChild(sw); var t = el("span", "txt", txt); t.setAttribute("dir", "auto"); r.appendChild(t); box.appendChild(r);
      }
      var counts = [0, 0, 0, 0];
      for (var k = 0; k < n; k++) { if (visible[k]) { counts[C.v[k]] += 1; } }
      VCODE.forEach(function (name, code) {
        var V = D.verdicts[name];
        if (counts[code] > 0) { item("dot", V.colour, V.text + " (" + counts[code] + ")"); }
      });
      D.layers.forEach(function (Ly, k) {
        if (current >= 0 && k !== current) { return; }
        item("ln", lineColour(k), "line of contact: " + Ly.id + (multi && Ly.valid ? " (" + Ly.valid + ")" : "") +
             (Ly.accuracy_m === null || Ly.accuracy_m === undefined ? " (accuracy " + Ly.accuracy_note + ")"
              : " (accuracy \u00b1" + Ly.accuracy_m + " m)"));
      });
      var one = current >= 0 ? current : (multi ? -1 : 0);
      if (one >= 0) {
        var Ly = D.layers[one];
        if (Ly.area && Ly.area.geom) { item("", "rgba(136,136,136,0.35)", heldBy(Ly.area)); }
        if (Ly.bands) {
          if (Ly.bands.strict) { item("", "rgba(106,61,154,0.45)", "claim true (strict): " + rng(D.claim.strict)); }
          if (Ly.bands.lenient) { item("", "rgba(106,61,154,0.18)", "claim true (lenient): " + rng(D.claim.lenient)); }
        }
      } else {
        box.appendChild(el("div", "note", "Pick one period to see its held area" + (D.claim ? " and claim band." : ".")));
      }
      if (D.claim) { var c = el("div", "note", "Claim: \u201c" + D.claim.text + "\u201d"); c.setAttribute("dir", "auto"); box.appendChild(c); }
      if (one >= 0 && D.layers[one].bands && D.layers[one].bands.display_error_m !== null) {
        box.appendChild(el("div", "note", "Band edges within " + D.layers[one].bands.display_error_m +
                           " m of the exact geodesic distance (sampled)."));
      }
      var skipped = Object.keys(D.skipped || {});
      if (skipped.length) {
        box.appendChild(el("div", "note", "Not drawn: " + skipped.map(function (s) { return D.skipped[s] + " row" +
          (D.skipped[s] > 1 ? "s" : "") + " (" + s + ")"; }).join(", ") + " of " + D.rows_total + "."));
      }
      box.appendChild(el("div", "note", "Circles/areas: location uncertainty. Lines: to the nearest point (geodesic)." +
        (visibleCount <= D.limits.label ? " Labels that would cover a marker show on hover." : " Click an incident for its distance.") +
        (n > AGGREGATE_ABOVE ? " Zoomed out, squares are " + CELL + " px cells coloured by their commonest verdict." : "")));
      var sha = one >= 0 ? D.layers[one].sha256 : D.layers.map(function (Ly) { return Ly.sha256; }).join(", ");
      box.appendChild(el("div", "note", "Base: " + (D.base ? D.base.attribution || D.base.id : "none") +
        " \u00b7 layer sha256 " + sha + "\u2026 \u00b7 geomap " + D.version));
    }
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
      L.DomEvent.disableClickPropagation(legendBox); L.DomEvent.disableScrollPropagation(legendBox);
      return legendBox;
    };

    if (multi) {
      var periods = L.control({position: "topleft"});
      periods.onAdd = function () {
        var box = el("div", "geomap-periods");
        box.appendChild(el("h4", null, "Period (line version)"));
        function option(value, txt) {
          var lab = el("label"), input = el("input");
          input.type = "radio"; input.name = "geomap-period"; input.value = String(value);
          input.checked = value === -1;
          input.addEventListener("change", function () { if (input.checked) { setPeriod(value); } });
          lab.appendChild(input); var t = el("span", null, txt); t.setAttribute("dir", "auto"); lab.appendChild(t);
          box.appendChild(lab);
        }
        option(-1, "All periods (" + n + ")");
        D.layers.forEach(function (Ly, k) { option(k, (Ly.valid || Ly.id) + ": " + Ly.id + " (" + Ly.rows + ")"); });
        L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
        return box;
      };
      periods.addTo(MAP);
    }

    var title = el("div", "geomap-title", D.title); title.setAttribute("dir", "auto"); title.title = D.title;
    MAP.getContainer().appendChild(title);
    legend.addTo(MAP);
    // Zoom to the incidents, leaving room for the title and the legend so that neither hides one.
    var fb = D.focus || D.view, msize = MAP.getSize(), lw = legendBox.offsetWidth, th = title.offsetHeight;
    MAP.fitBounds([ll(fb[0], fb[1]), ll(fb[2], fb[3])], {animate: false,
      paddingTopLeft: [20, Math.min(th + 20, msize.y * 0.3)],
      paddingBottomRight: [Math.min(lw + 20, msize.x * 0.45), 20]});
    dots.addTo(MAP);
    setPeriod(-1);
    var ov = {};
    Object.keys(overlays).forEach(function (k) { ov[k] = overlays[k]; });
    var NAMES = {line: "Line of contact", area: "Held area", bands: "Claim band (strict dark, lenient light)",
                 conn: "Connectors to the nearest point", unc: "Uncertainty (circle or area)"};
    Object.keys(NAMES).forEach(function (kind) {
      var present = P.some(function (g) { return kind === "area" ? g.area : (kind === "bands" ? g.bands : true); });
      if (present) { switches[kind].addTo(MAP); ov[NAMES[kind]] = switches[kind]; }
    });
    ov["Incidents"] = dots;
    // Layer names are fixed strings (Leaflet inserts them as HTML); no data text is used.
    L.control.layers(null, ov, {collapsed: true, position: "topright"}).addTo(MAP);
    live = true;
    placeLabels();

    window.geomapStats = stats;
    window.geomapMap = MAP;
    window.geomap = {
      map: MAP, setPeriod: setPeriod, n: n,
      // for tests: where row k is drawn (container pixels), its popup heading, marker radius, label boxes
      rowPoint: function (k) { return containerXY(k); },
      rowName: rowName, radius: R,
      endpoints: function () {  // the area incidents' nearest/farthest points, drawn as small markers
        return labelItems.filter(function (it) { return visible[it.row] && isArea[it.row]; })
          .map(function (it) { var q = MAP.latLngToContainerPoint(it.path[0]); return [q.x, q.y]; });
      },
      visibleRows: function () { var out = []; for (var k = 0; k < n; k++) { if (visible[k]) { out.push(k); } } return out; },
      labelBoxes: function () {
        return labelItems.filter(function (it) { return it.box && it.el.style.display !== "none"; })
          .map(function (it) { return {row: it.row, text: it.text}; });
      }
    };
    // Canvas layers paint on the next animation frame: signal "ready" once that has happened.
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      window.geomapReady = true;
      root.setAttribute("data-geomap-ready", "1");
    }); });
  }

  var T = window.geomapTimes = {start: performance.now()};
  try {
    var D = JSON.parse(document.getElementById("geomap-data").textContent);
    T.json = performance.now();
    decodeBlock(D.inc.header, document.getElementById("geomap-inc").textContent)
      .then(function (C) { T.decoded = performance.now(); build(D, C); T.built = performance.now(); })
      .catch(fail);
  } catch (err) {
    fail(err);
  }
}
