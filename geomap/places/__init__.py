"""Place names to locations with an honest uncertainty radius (offline gazetteer)."""
