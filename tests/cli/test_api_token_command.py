"""``fazhi api_token create|revoke|list``: the key printed once works on the API until revoked."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_list_revoke(personas):
    key, err = run("create", "county_admin", "统计脚本")
    key = key.strip()
    assert "shown only now" in err
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/v1/orgs/990101").status_code == 200

    listing, _ = run("list")
    token_id, username, name, prefix, *_, state = listing.strip().split("\t")
    assert (username, name, prefix, state) == ("county_admin", "统计脚本", key[:8] + "…", "active")
    assert key not in listing

    out, _ = run("revoke", token_id)
    assert "revoked" in out
    assert api.get("/api/v1/orgs/990101").status_code == 401
    assert run("list", "county_admin")[0].strip().split("\t")[-1].startswith("revoked 20")


@pytest.mark.django_db
@pytest.mark.parametrize("args", [("create", "nobody", "脚本"), ("create", "county_admin", " "), ("revoke", "999999")])
def test_bad_arguments_exit_1(personas, args):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 1
