"""The targets and handle-times form. It only collects numbers: StaffingSettings validates them
(decompression never below 5 minutes, shares between 0 and 1...) and the form reports each
problem by the label the manager sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st
from pydantic import ValidationError

from scheduling.domain import Floors, StaffingSettings

MODELS = {
    "erlang_a": "Erlang A: callers hang up after a while",
    "erlang_c": "Erlang C: callers wait for ever",
}

LABELS: dict[tuple[str, ...], str] = {
    ("targets", "model"): "Queue model",
    ("targets", "patience_seconds"): "Mean patience (s)",
    ("targets", "answered_share_min"): "Answered, at least (%)",
    ("targets", "service_level"): "Service level (%)",
    ("targets", "target_answer_seconds"): "Answered within (s)",
    ("targets", "max_occupancy"): "Max occupancy (%)",
    ("handle", "talk_minutes"): "Talk (min)",
    ("handle", "wrapup_minutes"): "Wrap-up (min)",
    ("handle", "difficult_share"): "Difficult calls (%)",
    ("handle", "decompression_minutes"): "Decompression after a difficult call (min)",
    ("handle", "long_decompression_minutes"): "... after a second one in a row (min)",
    ("floors", "min_on_line"): "Never fewer on the line than",
    ("floors", "free_probability"): "Two free to answer while others decompress (% of open time)",
    ("shrinkage",): "Shrinkage (%)",
}
# Shown as percentages, stored as shares.
PERCENT = {
    ("targets", "answered_share_min"),
    ("targets", "service_level"),
    ("targets", "max_occupancy"),
    ("handle", "difficult_share"),
    ("floors", "free_probability"),
    ("shrinkage",),
}
_BOUNDS = {
    "greater_than": ("gt", "must be more than"),
    "greater_than_equal": ("ge", "must be at least"),
    "less_than": ("lt", "must be less than"),
    "less_than_equal": ("le", "must be at most"),
}


def settings_summary(settings: StaffingSettings) -> str:
    """The targets in one line, as the manager set them."""
    t, h = settings.targets, settings.handle
    erlang_a = t.model == "erlang_a"
    return (
        MODELS[t.model].split(":")[0]
        + (f", patience {t.patience_seconds:g} s" if erlang_a else "")
        + (f" · at least {t.answered_share_min:.0%} answered" if erlang_a else "")
        + f" · {t.service_level:.0%} within {t.target_answer_seconds:g} s"
        + (f" · occupancy at most {t.max_occupancy:.0%}" if t.max_occupancy else "")
        + f" · handle time {h.effective_handle_seconds / 60:.1f} min with decompression"
        + f" · never fewer than {settings.floors.min_on_line} on the line"
    )


@dataclass(frozen=True)
class SettingsSubmission:
    action: Literal["apply", "save"]
    settings: StaffingSettings | None  # None when a value was refused
    problems: tuple[str, ...] = ()


def _num(value: Any, percent: bool) -> str:
    try:
        number = float(value) * (100 if percent else 1)
    except (TypeError, ValueError):
        return repr(value)
    return f"{number:g}"


def describe_errors(exc: ValidationError) -> list[str]:
    """One line per problem, naming the field by its form label."""
    out = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        label = LABELS.get(loc, ".".join(loc) or "settings")
        percent = loc in PERCENT
        bound = _BOUNDS.get(err["type"])
        if bound and "ctx" in err and bound[0] in err["ctx"]:
            limit = _num(err["ctx"][bound[0]], percent)
            given = _num(err.get("input"), percent)
            unit = "%" if percent else ""
            out.append(f"{label}: {bound[1]} {limit}{unit} (you entered {given}{unit}).")
        else:
            out.append(f"{label}: {err['msg']}.")
    return out


def _pct(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 4)


def staffing_settings_form(current: StaffingSettings, *, key: str) -> SettingsSubmission | None:
    """The form, pre-filled from `current`; the submission once a button is pressed."""
    t, h, f = current.targets, current.handle, current.floors
    with st.form(key):
        targets, handle, floors = st.columns(3)
        with targets:
            st.markdown("**Service targets**")
            model = st.selectbox(
                LABELS[("targets", "model")],
                options=list(MODELS),
                index=list(MODELS).index(t.model),
                format_func=MODELS.__getitem__,
                key=f"{key}_model",
            )
            patience = st.number_input(
                LABELS[("targets", "patience_seconds")],
                value=float(t.patience_seconds),
                min_value=0.0,
                step=10.0,
                format="%g",
                help="Erlang A: how long a caller waits, on average, before hanging up.",
                key=f"{key}_patience",
            )
            answered = st.number_input(
                LABELS[("targets", "answered_share_min")],
                value=_pct(t.answered_share_min),
                min_value=0.0,
                max_value=100.0,
                step=1.0,
                format="%g",
                help="Erlang A: the least share of offered calls that must be answered.",
                key=f"{key}_answered",
            )
            level = st.number_input(
                LABELS[("targets", "service_level")],
                value=_pct(t.service_level),
                min_value=0.0,
                max_value=100.0,
                step=1.0,
                format="%g",
                help="Share of offered calls answered within the seconds below.",
                key=f"{key}_service_level",
            )
            within = st.number_input(
                LABELS[("targets", "target_answer_seconds")],
                value=float(t.target_answer_seconds),
                min_value=0.0,
                step=5.0,
                format="%g",
                key=f"{key}_target_seconds",
            )
            occupancy = st.number_input(
                LABELS[("targets", "max_occupancy")],
                value=_pct(t.max_occupancy),
                min_value=1.0,
                max_value=100.0,
                step=1.0,
                format="%g",
                placeholder="no cap",
                help="Optional: at most this share of line time busy. Leave empty for no cap.",
                key=f"{key}_occupancy",
            )
        with handle:
            st.markdown("**Handle time per call**")
            talk = st.number_input(
                LABELS[("handle", "talk_minutes")],
                value=float(h.talk_minutes),
                min_value=0.0,
                step=1.0,
                format="%g",
                key=f"{key}_talk",
            )
            wrapup = st.number_input(
                LABELS[("handle", "wrapup_minutes")],
                value=float(h.wrapup_minutes),
                min_value=0.0,
                step=1.0,
                format="%g",
                key=f"{key}_wrapup",
            )
            difficult = st.number_input(
                LABELS[("handle", "difficult_share")],
                value=_pct(h.difficult_share),
                min_value=0.0,
                max_value=100.0,
                step=5.0,
                format="%g",
                key=f"{key}_difficult",
            )
            decompression = st.number_input(
                LABELS[("handle", "decompression_minutes")],
                value=float(h.decompression_minutes),
                min_value=0.0,
                step=1.0,
                format="%g",
                help="Off the queue after a difficult call; at least 5 minutes. Counted as "
                "load in the handle time, not as shrinkage.",
                key=f"{key}_decompression",
            )
            long_decompression = st.number_input(
                LABELS[("handle", "long_decompression_minutes")],
                value=float(h.long_decompression_minutes),
                min_value=0.0,
                step=5.0,
                format="%g",
                help="Off the queue after a second difficult call in a row within a shift "
                "(no full break between); at least 5 minutes.",
                key=f"{key}_long_decompression",
            )
            st.caption(
                f"Effective handle time now: {h.effective_handle_seconds / 60:.1f} min "
                "(talk + wrap-up + difficult share x decompression)."
            )
        with floors:
            st.markdown("**Floors and long range**")
            min_on_line = st.number_input(
                LABELS[("floors", "min_on_line")],
                value=int(f.min_on_line),
                min_value=0,
                step=1,
                help="Never fewer counsellors on the line while open: nobody alone.",
                key=f"{key}_min_on_line",
            )
            free_on = st.checkbox(
                "Cover for colleagues decompressing",
                value=f.free_probability is not None,
                help="Off: only the plain floor above, whatever the volume.",
                key=f"{key}_free_on",
            )
            free = st.number_input(
                LABELS[("floors", "free_probability")],
                value=_pct(f.free_probability) or _pct(Floors().free_probability),
                min_value=0.0,
                max_value=100.0,
                step=0.1,
                format="%g",
                help="Staffing adds cover where colleagues decompressing could leave fewer than "
                "two free to answer, for this share of open time.",
                key=f"{key}_free",
            )
            shrinkage = st.number_input(
                LABELS[("shrinkage",)],
                value=_pct(current.shrinkage),
                min_value=0.0,
                max_value=99.0,
                step=1.0,
                format="%g",
                help="Leave, training, sickness: turns rostered hours into FTE to hire.",
                key=f"{key}_shrinkage",
            )
            st.caption(
                "Supervisor, specialist cover and languages come from the site's saved "
                "settings and are kept as they are."
            )
        apply_col, save_col = st.columns(2)
        apply = apply_col.form_submit_button(
            "Apply to this forecast", key=f"{key}_apply", width="stretch"
        )
        save = save_col.form_submit_button(
            "Save as site defaults", key=f"{key}_save", width="stretch"
        )
        if not (apply or save):
            return None
        raw = current.model_dump()
        raw["targets"] |= {
            "model": model,
            "patience_seconds": patience,
            "answered_share_min": None if answered is None else answered / 100,
            "service_level": None if level is None else level / 100,
            "target_answer_seconds": within,
            "max_occupancy": None if occupancy is None else occupancy / 100,
        }
        raw["handle"] |= {
            "talk_minutes": talk,
            "wrapup_minutes": wrapup,
            "difficult_share": None if difficult is None else difficult / 100,
            "decompression_minutes": decompression,
            "long_decompression_minutes": long_decompression,
        }
        raw["floors"]["min_on_line"] = min_on_line
        raw["floors"]["free_probability"] = free / 100 if free_on and free is not None else None
        raw["shrinkage"] = None if shrinkage is None else shrinkage / 100
        action: Literal["apply", "save"] = "save" if save else "apply"
        try:
            settings = StaffingSettings.model_validate(raw)
        except ValidationError as exc:
            problems = tuple(describe_errors(exc))
            st.error(
                "Not applied, nothing saved:\n\n" + "\n".join(f"- {p}" for p in problems),
                icon=":material/error:",
            )
            return SettingsSubmission(action=action, settings=None, problems=problems)
        return SettingsSubmission(action=action, settings=settings)
