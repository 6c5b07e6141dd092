"""Forgetting a person in the outbox finds them by their user id inside messages (a
mention, a "talk among yourselves" block), on every store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot import outbound as m
from bot.ports import UnitOfWork

NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
Uow = Callable[[], UnitOfWork]


def test_unsent_messages_about_someone_go_with_them(uow_factory: Uow) -> None:
    about_ana = m.Message((m.para("Meet ", m.Mention("U0ANA")),), "Meet your match", "intro")
    together = m.Message((m.Together(("U0BEN", "U0ANA"), "Growth", "Hi"),), "Say hi", "intro")
    other = m.Message((m.para("Meet ", m.Mention("U0CAL")),), "Meet your match", "intro")
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("slack", "T1", NOW)
        for key, message in (("mention", about_ana), ("together", together), ("other", other)):
            unit.outbox.add(ws.id, m.Outbound(key, m.ToPerson("U0BEN"), message), None, NOW, NOW)
        unit.commit()
    with uow_factory() as unit:
        assert unit.outbox.redact(ws.id, "U0ANA", ["Ana"]) == 2
        unit.commit()
    with uow_factory() as unit:
        left = unit.outbox.claim(NOW, "w1", timedelta(minutes=5), 10, ["slack"])
    assert [c.outbound.key for c in left] == ["other"]
