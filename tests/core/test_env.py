"""The ``FAZHI_*`` readers: defaults when unset, typed values when set, and a refusal naming the variable."""

from pathlib import Path

import pytest

from fazhi.core.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_path,
    env_str,
)


def refusal(helper, *args, value: str, **kwargs) -> str:
    """The message with which ``helper`` refuses ``FAZHI_X=value``."""
    with pytest.raises(ImproperlyConfiguredEnv) as caught:
        helper("FAZHI_X", *args, environ={"FAZHI_X": value}, **kwargs)
    return str(caught.value)


# env_str


def test_str_returns_the_default_when_unset_or_blank():
    assert env_str("FAZHI_X", "d", environ={}) == "d"
    assert env_str("FAZHI_X", "d", environ={"FAZHI_X": "   "}) == "d"


def test_str_returns_the_value_stripped():
    assert env_str("FAZHI_X", "d", environ={"FAZHI_X": "  Asia/Urumqi "}) == "Asia/Urumqi"


# env_bool


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " On "])
def test_bool_reads_true_spellings(value):
    assert env_bool("FAZHI_X", False, environ={"FAZHI_X": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "off"])
def test_bool_reads_false_spellings(value):
    assert env_bool("FAZHI_X", True, environ={"FAZHI_X": value}) is False


def test_bool_returns_the_default_when_unset():
    assert env_bool("FAZHI_X", True, environ={}) is True
    assert env_bool("FAZHI_X", False, environ={"FAZHI_X": ""}) is False


@pytest.mark.parametrize("value", ["maybe", "2", "ja", "tru"])
def test_bool_refuses_other_words_naming_the_variable(value):
    message = refusal(env_bool, True, value=value)
    assert "FAZHI_X" in message
    assert value in message


# env_int


def test_int_reads_a_whole_number_within_bounds():
    assert env_int("FAZHI_X", 5, min_value=1, max_value=10, environ={"FAZHI_X": "7"}) == 7
    assert env_int("FAZHI_X", 5, min_value=1, max_value=10, environ={"FAZHI_X": "1"}) == 1
    assert env_int("FAZHI_X", 5, min_value=1, max_value=10, environ={"FAZHI_X": "10"}) == 10
    assert env_int("FAZHI_X", 5, environ={}) == 5


@pytest.mark.parametrize("value", ["ten", "1.5", "5 minutes", "0x10"])
def test_int_refuses_what_is_not_a_whole_number(value):
    message = refusal(env_int, 5, value=value)
    assert "FAZHI_X" in message
    assert "whole number" in message


def test_int_refuses_a_number_below_the_minimum():
    message = refusal(env_int, 5, min_value=1, value="0")
    assert "FAZHI_X" in message
    assert "minimum 1" in message


def test_int_refuses_a_number_above_the_maximum():
    message = refusal(env_int, 5, max_value=100, value="101")
    assert "FAZHI_X" in message
    assert "maximum 100" in message


# env_list


def test_list_splits_on_commas_and_strips_items():
    assert env_list("FAZHI_X", [], environ={"FAZHI_X": "a.gov.cn, b.gov.cn"}) == ["a.gov.cn", "b.gov.cn"]


def test_list_returns_a_copy_of_the_default_when_unset():
    default = ["localhost"]
    value = env_list("FAZHI_X", default, environ={})
    assert value == default
    value.append("x")
    assert default == ["localhost"]


@pytest.mark.parametrize("value", ["a,,b", "a,", ",a", "a, ,b"])
def test_list_refuses_an_empty_item(value):
    message = refusal(env_list, [], value=value)
    assert "FAZHI_X" in message
    assert "empty item" in message


# env_choice


def test_choice_accepts_a_listed_value_and_defaults_when_unset():
    assert env_choice("FAZHI_X", "a", ("a", "b"), environ={"FAZHI_X": "b"}) == "b"
    assert env_choice("FAZHI_X", "a", ("a", "b"), environ={}) == "a"


def test_choice_refuses_an_unlisted_value_and_lists_the_choices():
    message = refusal(env_choice, "database", ("database", "immediate", "rq"), value="celery")
    assert "FAZHI_X" in message
    assert "celery" in message
    assert "database, immediate, rq" in message


def test_choice_is_case_sensitive():
    assert "FAZHI_X" in refusal(env_choice, "INFO", ("DEBUG", "INFO"), value="info")


# env_path


def test_path_expands_and_resolves(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert env_path("FAZHI_X", Path("/d"), environ={"FAZHI_X": "~/data"}) == tmp_path.resolve() / "data"
    assert env_path("FAZHI_X", Path("/d"), environ={}) == Path("/d")


# env_database


def test_database_defaults_to_sqlite_in_wal_mode(tmp_path):
    config = env_database("FAZHI_X", tmp_path / "f.sqlite3", environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "f.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_reads_a_postgres_url(tmp_path):
    config = env_database("FAZHI_X", tmp_path / "f", environ={"FAZHI_X": "postgres://fz:pw@db.local:6543/fazhi"})
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "fazhi",
        "fz",
        "pw",
        "db.local",
        6543,
    )


@pytest.mark.parametrize("value", ["mysql://u@h/db", "redis://localhost/0", "fazhi.sqlite3"])
def test_database_refuses_other_engines(tmp_path, value):
    message = refusal(env_database, tmp_path / "f", value=value)
    assert "FAZHI_X" in message
    assert "only PostgreSQL" in message


def test_database_refuses_a_postgres_url_without_a_database_name(tmp_path):
    message = refusal(env_database, tmp_path / "f", value="postgres://u@localhost:5432")
    assert "FAZHI_X" in message
    assert "names no database" in message
