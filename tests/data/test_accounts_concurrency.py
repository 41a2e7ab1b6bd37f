"""Accounts under parallel use, on SQLite and PostgreSQL: guesses in parallel threads or
processes get exactly five tries, and two admins disabling each other leave one admin."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

from data import accounts
from data.accounts import (
    MAX_FAILED_LOGINS,
    authenticate,
    create_account,
    disable_account,
    get_account,
)
from data.audit import list_audit
from data.db import dispose_engine, get_engine, session_scope
from data.errors import ConflictError
from data.models import AccountCreate
from scheduling.domain import Role

PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch) -> None:
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", CHEAP)


def _create(engine, username: str, role: Role = Role.MANAGER) -> None:
    with session_scope(engine) as session:
        create_account(
            session=session,
            account_in=AccountCreate(username=username, password=PASSWORD, role=role),
            actor="test",
        )


def _guess(url: str, barrier: Callable[[], object], tries: int) -> int:
    """Wrong passwords; returns how many were refused (each one must be)."""
    barrier()
    refused = 0
    for attempt in range(tries):
        with session_scope(get_engine(url)) as session:
            result = authenticate(session=session, username="amina", password=f"guess {attempt}")
        refused += not result.ok
    return refused


def _assert_exactly_five_counted(engine) -> None:
    with session_scope(engine) as session:
        account = get_account(session=session, username="amina")
        checked = list_audit(session=session, action="sign_in.failed", limit=1000)
        locks = list_audit(session=session, action="account.locked", limit=1000)
    assert account.locked_until is not None, "the account must end locked"
    assert account.failed_login_count == MAX_FAILED_LOGINS
    # Every wrong password that was actually checked is audited once: exactly five.
    assert len(checked) == MAX_FAILED_LOGINS
    assert len(locks) == 1


def test_parallel_guesses_in_threads_get_exactly_five_tries(database) -> None:
    _create(database.engine, "amina")
    workers, tries = 20, 3
    barrier = threading.Barrier(workers)
    with ThreadPoolExecutor(workers) as pool:
        refused = list(
            pool.map(lambda _: _guess(database.url, barrier.wait, tries), range(workers))
        )
    assert sum(refused) == workers * tries
    _assert_exactly_five_counted(database.engine)
    # And the right password is refused too while the lock lasts.
    with session_scope(database.engine) as session:
        assert not authenticate(session=session, username="amina", password=PASSWORD).ok


def _guess_in_process(url: str, barrier, tries: int, out) -> None:  # type: ignore[no-untyped-def]
    accounts.PASSWORD_HASHER = CHEAP
    out.put(_guess(url, barrier.wait, tries))
    dispose_engine(url)


def test_parallel_guesses_in_processes_get_exactly_five_tries(database) -> None:
    _create(database.engine, "amina")
    dispose_engine(database.url)  # no pooled connection may be shared with a forked child
    context = multiprocessing.get_context("fork")
    workers, tries = 6, 3
    barrier = context.Barrier(workers)
    out = context.Queue()
    processes = [
        context.Process(target=_guess_in_process, args=(database.url, barrier, tries, out))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert sum(out.get(timeout=5) for _ in processes) == workers * tries
    _assert_exactly_five_counted(get_engine(database.url))


def test_two_admins_disabling_each_other_at_once_leave_an_admin(database) -> None:
    rounds = 8
    for n in range(rounds):
        first, second = f"admin-a{n}", f"admin-b{n}"
        _create(database.engine, first, Role.ADMIN)
        _create(database.engine, second, Role.ADMIN)
        if n:  # only this round's pair is enabled: disable the previous pair's survivor
            with session_scope(database.engine) as session:
                for a in (f"admin-a{n - 1}", f"admin-b{n - 1}"):
                    if not get_account(session=session, username=a).disabled:
                        disable_account(session=session, username=a, actor="test")
        barrier = threading.Barrier(2)

        def disable(actor: str, target: str, barrier: threading.Barrier = barrier) -> str:
            barrier.wait()
            try:
                with session_scope(database.engine) as session:
                    disable_account(session=session, username=target, actor=actor)
            except ConflictError:
                return "refused"
            return "done"

        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(disable, (first, second), (second, first)))
        with session_scope(database.engine) as session:
            enabled = [
                a for a in (first, second) if not get_account(session=session, username=a).disabled
            ]
        assert outcomes == ["done", "refused"], f"round {n}"
        assert len(enabled) == 1, f"round {n}: no admin left"
