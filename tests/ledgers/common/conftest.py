import pytest

from fazhi.ledgers.common import registry
from tests.ledgers.common.fakes import FakeImporter, fake_deadlines


@pytest.fixture
def fake_ledger():
    """A fake ledger named ``fake`` (with deadlines) and its importer under the key ``fake``, removed afterwards."""
    registry.register_ledger(
        registry.LedgerInfo(
            name="fake", title="测试台账", index_url_name="ledger_index", order=99, deadlines=fake_deadlines
        )
    )
    registry.register_importer("fake", FakeImporter)
    yield
    registry.unregister_ledger("fake")
    registry.unregister_importer("fake")


@pytest.fixture
def fake_only(fake_ledger, monkeypatch):
    """The fake ledger alone on the board (the real ledgers' deadline sources are tested by their authors)."""
    monkeypatch.setattr(registry, "_LEDGERS", {"fake": registry.ledger("fake")})
