"""The offline evidence map (the only folium import) and its headless screenshot."""
