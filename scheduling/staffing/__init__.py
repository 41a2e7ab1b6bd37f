"""Staffing: queueing formulas, required counsellors per interval, their export and command line."""
