"""Language names for codes staff records and settings carry ("ur" -> "Urdu"). A small table of
the languages helplines in the planner's regions work in; a name that is not a known code is
shown as written, so "Urdu" and "ur" both read "Urdu"."""

from __future__ import annotations

from collections.abc import Iterable

# ISO 639-1 codes (639-3 where there is no two-letter one).
LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic",
    "bal": "Balochi",
    "bn": "Bengali",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "gu": "Gujarati",
    "hi": "Hindi",
    "it": "Italian",
    "ks": "Kashmiri",
    "pa": "Punjabi",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sd": "Sindhi",
    "skr": "Saraiki",
    "so": "Somali",
    "sw": "Swahili",
    "ta": "Tamil",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "zh": "Chinese",
}


def language_name(code: str) -> str:
    """'ur' -> 'Urdu'; 'ur-PK' -> 'Urdu'; an unknown code or a name is returned as written."""
    text = code.strip()
    base = text.replace("_", "-").split("-", 1)[0].lower()
    return LANGUAGE_NAMES.get(base, text)


def language_list(codes: Iterable[str]) -> str:
    """'Urdu, Punjabi and English'."""
    names = [language_name(c) for c in codes]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
