"""What every `python -m scheduling` command shares: the one error a handler raises for bad
input (printed as one line, exit status 2), and the one loader for JSON model files.

The loader parses with limits, so a hostile or broken file is a one-line refusal rather
than a traceback: at most MAX_FILE_BYTES, at most MAX_DEPTH levels of nesting, integers of
at most MAX_INT_DIGITS digits, and no NaN or Infinity.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_INT_DIGITS = 18

M = TypeVar("M", bound=BaseModel)


class CliError(Exception):
    """Bad arguments or a bad file: the message names what is wrong."""


def first_validation_error(exc: ValidationError) -> str:
    """The first field error of a file, named by its path ("options.workers: ...")."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(top level)"
    more = len(exc.errors()) - 1
    return f"{where}: {err['msg']}" + (f" (and {more} more)" if more else "")


class _Limit(ValueError):
    pass


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Limit(f"a whole number of {len(text.lstrip('-'))} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Limit(f"the number {text[:20]} is too large")
    return value


def _constant(name: str) -> float:
    raise _Limit(f"{name} is not a number JSON allows")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(text: str, what: str) -> Any:
    """JSON text parsed within the limits; CliError names the file and the limit."""
    try:
        raw = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _Limit as exc:
        raise CliError(f"{what}: {exc}") from None
    except RecursionError:
        raise CliError(f"{what}: nested too deep (at most {MAX_DEPTH} levels)") from None
    except json.JSONDecodeError as exc:
        raise CliError(f"{what} is not valid JSON: {exc}") from None
    except ValueError as exc:  # anything else the parser refuses
        raise CliError(f"{what} is not valid JSON: {exc}") from None
    if _depth(raw) > MAX_DEPTH:
        raise CliError(f"{what}: nested too deep (at most {MAX_DEPTH} levels)")
    return raw


def read_json(path: Path, what: str) -> Any:
    """A JSON file, read and parsed within the limits."""
    label = f"{what} file {path}"
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CliError(f"{label}: {size:,} bytes, more than {MAX_FILE_BYTES:,}")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {label}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CliError(f"{label}: expected UTF-8 JSON") from None
    return parse_json(text, label)


def load_json_model(path: Path, model: type[M], what: str) -> M:
    """A JSON file validated as `model`; every problem is a CliError of one line."""
    raw = read_json(path, what)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CliError(f"{what} file {path}: {first_validation_error(exc)}") from None


def solve_seconds(text: str) -> float:
    """An argparse type: a solver time limit in seconds, above 0 and at most an hour."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"expected 0 < seconds <= 3600, got {text}")
    return value


def solver_workers(text: str) -> int:
    """An argparse type: a whole number of CP-SAT workers, 1 to 64."""
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"expected a whole number of workers 1-64, got {text!r}")
    return int(text)
