"""Persistence: SQLModel tables, engine and sessions, repositories, migrations and demo data.

Repositories map rows to the typed objects of scheduling.domain; nothing above this layer
touches a session except to open one per user action with data.db.session_scope.
"""
