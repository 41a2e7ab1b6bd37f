"""What the browser and PostgreSQL tests need from the machine, and the one line each says
when it is missing (scripts/with-test-services provides both under `make test`)."""

from __future__ import annotations

import os
import shutil

NO_CHROMIUM = (
    "browser tests need Chromium: `make test` installs it when run as root on Debian; "
    "or `apt-get install chromium`, or set CHROMIUM=/path/to/chromium"
)
NO_POSTGRES = (
    "PostgreSQL tests need PLANNER_TEST_POSTGRES_URL: `make test` starts a throwaway server "
    "when PostgreSQL is installed, and installs it when run as root on Debian"
)
NO_NETWORK = (
    "the two-server browser walk needs nginx and PostgreSQL's initdb: `make test` installs "
    "them when run as root on Debian; or `apt-get install nginx postgresql`"
)
MISSING_SERVICE_REASONS = frozenset({NO_CHROMIUM, NO_POSTGRES, NO_NETWORK})


def chromium_path() -> str | None:
    """$CHROMIUM when set (and only that), else chromium on PATH, else Debian's; None when
    the one chosen is not an executable."""
    chosen = os.environ.get("CHROMIUM", "").strip()
    if not chosen:
        chosen = shutil.which("chromium") or "/usr/bin/chromium"
    return chosen if os.access(chosen, os.X_OK) else None


def postgres_url() -> str:
    return os.environ.get("PLANNER_TEST_POSTGRES_URL", "").strip()
