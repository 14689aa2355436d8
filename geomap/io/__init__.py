"""Bytes to geometries and tables, and back: the only code that opens vector or tabular files."""
