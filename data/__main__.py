"""`python -m data COMMAND`: migrate, seed-demo, create-admin, write-samples.

Bad input prints one line on stderr and exits with status 2. The database is the one the
app uses: PLANNER_DATABASE_URL, else var/planner.db (PLANNER_DATA_DIR).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError


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
    from data.db import get_engine, session_scope
    from data.demo import seed_demo
    from data.migrations_runner import upgrade_to_head

    upgrade_to_head(args.url)
    with session_scope(get_engine(args.url)) as session:
        result = seed_demo(session=session)
    print(result.message)
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m data", description=__doc__)
    parser.add_argument(
        "--url", help="database URL (default: PLANNER_DATABASE_URL or var/planner.db)"
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    migrate = commands.add_parser("migrate", help="alembic upgrade head")
    migrate.set_defaults(handler=_migrate)

    seed = commands.add_parser("seed-demo", help="seed the demo helpline if the database is empty")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
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
