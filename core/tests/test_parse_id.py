from core.filters import DB_ID_MAX, parse_id


def test_only_ascii_digits_naming_a_possible_row():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(DB_ID_MAX) == DB_ID_MAX
    for bad in (None, "", "0", "-1", "²", "٣", "1e3", "4.0", str(DB_ID_MAX + 1), "9" * 40):
        assert parse_id(bad) is None, bad
