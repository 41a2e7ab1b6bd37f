"""`python -m data COMMAND`: migrate, seed-demo, create-admin, write-samples, purge, new-key,
rotate-key, jobs-worker.

Bad input prints one line on stderr and exits with status 2. The database is the one the
app uses: PLANNER_DATABASE_URL, else var/planner.db (PLANNER_DATA_DIR).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from data.settings import SettingsError, settings


class DataCliError(Exception):
    """Bad arguments or refused input: the message says what is wrong."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # keep argparse's complaint to one line
        raise DataCliError(f"{self.prog}: {message}")


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    return message


def _migrate(args: argparse.Namespace) -> int:
    from data.db import database_url
    from data.migrations_runner import current_revision, upgrade_to_head

    upgrade_to_head(args.url)
    print(f"Database at revision {current_revision(args.url)}: {_safe(args.url or database_url())}")
    return 0


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _seed_demo(args: argparse.Namespace) -> int:
    from data import clock
    from data.db import get_engine, session_scope
    from data.demo import seed_demo
    from data.migrations_runner import upgrade_to_head

    upgrade_to_head(args.url)
    try:
        now = clock.now()
    except ValueError as exc:
        raise DataCliError(f"seed-demo: {exc}") from None
    with session_scope(get_engine(args.url)) as session:
        result = seed_demo(session=session, now=now)
    print(result.message)
    if result.seeded and not args.no_roster:
        from data.demo_wellbeing import publish_demo_week

        for centre in result.centre_ids:
            # Islamabad's week (four counsellors, six hours a day) needs far less search.
            seconds = 8.0 if centre == result.site_id else 2.0
            with session_scope(get_engine(args.url)) as session:
                publish_demo_week(session=session, site_id=centre, now=now, time_limit=seconds)
        centres = len(result.centre_ids)
        print(f"Published a roster for the current week in each of the {centres} centres.")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise DataCliError("create-admin: no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise DataCliError("create-admin: no terminal to ask for a password; use --password-stdin")
    password = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("Same password again: ") != password:
        raise DataCliError("create-admin: the two passwords differ")
    return password


def _create_admin(args: argparse.Namespace) -> int:
    from data.accounts import create_account
    from data.db import get_engine, session_scope
    from data.errors import ConflictError
    from data.migrations_runner import upgrade_to_head
    from data.models import AccountCreate, check_username
    from scheduling.domain import Role

    try:
        check_username(args.username)
    except ValueError as exc:
        raise DataCliError(f"create-admin: {exc}") from None
    password = _read_password(args)
    try:
        account_in = AccountCreate(username=args.username, password=password, role=Role.ADMIN)
    except ValidationError as exc:
        raise DataCliError(f"create-admin: {_validation_message(exc)}") from None
    upgrade_to_head(args.url)
    try:
        with session_scope(get_engine(args.url)) as session:
            account = create_account(session=session, account_in=account_in, actor="cli")
    except ConflictError as exc:
        raise DataCliError(f"create-admin: {exc}") from None
    print(f"Created admin account {account.username!r}.")
    return 0


def _write_samples(args: argparse.Namespace) -> int:
    from data.demo import write_samples

    for path in write_samples(args.directory):
        print(path)
    return 0


def _purge(args: argparse.Namespace) -> int:
    from data.db import get_engine, session_scope, utcnow
    from data.migrations_runner import upgrade_to_head
    from data.retention import purge_expired

    try:
        days = args.days if args.days is not None else settings().wellbeing_retention_days
    except SettingsError as exc:
        raise DataCliError(f"purge: {exc}") from None
    if days < 1:
        raise DataCliError(f"purge: --days: expected a whole number of days >= 1, got {days}")
    upgrade_to_head(args.url)
    with session_scope(get_engine(args.url)) as session:
        result = purge_expired(session=session, now=utcnow(), days=days, actor="cli")
    print(
        f"Deleted wellbeing records older than {days} days: {result.difficult_calls} "
        f"difficult-call logs, {result.debrief_requests} debrief requests."
    )
    return 0


def _new_key(args: argparse.Namespace) -> int:
    from data.crypto import new_key

    print(new_key())
    return 0


def _rotate_key(args: argparse.Namespace) -> int:
    from data.crypto import SecretKeyError
    from data.db import get_engine, session_scope
    from data.migrations_runner import upgrade_to_head
    from data.wellbeing import rotate_notes

    upgrade_to_head(args.url)
    try:
        with session_scope(get_engine(args.url)) as session:
            count = rotate_notes(session=session, actor="cli")
    except SecretKeyError as exc:
        raise DataCliError(f"rotate-key: {exc}") from None
    print(f"Re-encrypted {count} private notes with the newest key.")
    return 0


def _jobs_worker(args: argparse.Namespace) -> int:
    import dataclasses
    import signal
    import threading

    from data.db import database_url
    from data.job_workers import JobWorkers

    if not 1 <= args.workers <= 16:
        raise DataCliError(f"--workers: expected a whole number from 1 to 16, got {args.workers}")
    config = dataclasses.replace(settings(), job_workers=args.workers, dask_scheduler=None)
    url = args.url or database_url()
    pool = JobWorkers(url, config).start()
    print(f"Running jobs with {args.workers} worker(s) on {_safe(url)}; Ctrl-C stops.", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    pool.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m data", description=__doc__)
    parser.add_argument(
        "--url", help="database URL (default: PLANNER_DATABASE_URL or var/planner.db)"
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    migrate = commands.add_parser("migrate", help="alembic upgrade head")
    migrate.set_defaults(handler=_migrate)

    seed = commands.add_parser("seed-demo", help="seed the demo helpline if the database is empty")
    seed.add_argument(
        "--no-roster",
        action="store_true",
        help="do not forecast, roster and publish the current week (saves about 25 s)",
    )
    seed.set_defaults(handler=_seed_demo)

    admin = commands.add_parser("create-admin", help="create an admin account")
    admin.add_argument("--username", required=True)
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    admin.set_defaults(handler=_create_admin)

    samples = commands.add_parser("write-samples", help="write data/samples/ from the demo")
    samples.add_argument("--directory", type=Path, default=None)
    samples.set_defaults(handler=_write_samples)

    purge = commands.add_parser(
        "purge", help="delete wellbeing records older than the retention period"
    )
    purge.add_argument(
        "--days", type=int, default=None, help="retention in days (default: the setting, 90)"
    )
    purge.set_defaults(handler=_purge)

    key = commands.add_parser("new-key", help="print a new encryption key for PLANNER_SECRET_KEY")
    key.set_defaults(handler=_new_key)

    rotate = commands.add_parser(
        "rotate-key", help="re-encrypt every private note with the newest key"
    )
    rotate.set_defaults(handler=_rotate_key)

    worker = commands.add_parser(
        "jobs-worker",
        help="run queued roster solves, re-plans and scenario runs here (not on the Dask cluster)",
    )
    worker.add_argument(
        "--workers", type=int, default=1, help="jobs run at once (default 1; 1 to 16)"
    )
    worker.set_defaults(handler=_jobs_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        settings()  # a bad setting stops every command here, in one line
        return int(args.handler(args) or 0)
    except SettingsError as exc:
        print(f"error: bad setting: {exc}", file=sys.stderr)
        return 2
    except DataCliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        print(f"error: cannot use the database: {exc.orig or exc}".splitlines()[0], file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
