from scheduling.languages import language_list, language_name


def test_codes_read_as_language_names() -> None:
    assert language_name("ur") == "Urdu"
    assert language_name("UR") == "Urdu"
    assert language_name("pa-PK") == "Punjabi"
    assert language_name("skr") == "Saraiki"


def test_names_and_unknown_codes_are_kept_as_written() -> None:
    assert language_name("Urdu") == "Urdu"
    assert language_name("xx") == "xx"


def test_a_list_reads_as_a_sentence() -> None:
    assert language_list(["ur"]) == "Urdu"
    assert language_list(["ur", "pa", "en"]) == "Urdu, Punjabi and English"
    assert language_list([]) == ""
