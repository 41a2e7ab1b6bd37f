"""Forecast, staffing, roster and simulation: the pure planning domain (no UI, no database)."""
