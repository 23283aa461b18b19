"""The error streak a sensor carries from poke to poke in the activity's heartbeat details.

Temporal keeps an activity's last heartbeat details across its retries, and each poke is one retry, so the
details are the only memory a poke has of the pokes before it. They change only when a poke errors (both counts
go up) or when the first not-ready poke after an error ends the streak; the worker heartbeats only then, so a
sensor that is simply waiting costs one RPC per poke, not two.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Streak:
    errors_in_row: int = 0
    errors_total: int = 0

    def after_error(self) -> Streak:
        return Streak(self.errors_in_row + 1, self.errors_total + 1)

    def after_not_ready(self) -> Streak:
        return Streak(0, self.errors_total)

    def to_details(self) -> dict[str, int]:
        return {"errors_in_row": self.errors_in_row, "errors_total": self.errors_total}

    @staticmethod
    def from_details(details: Sequence[Any]) -> Streak:
        """The streak from the last heartbeat's details, or a fresh one.

        The bare integer that earlier Java workers heartbeat (errors in a row, 0 after a not-ready poke) reads
        as that many errors in a row and in total, so a sensor that was mid-streak across an upgrade keeps
        backing off. Anything unreadable starts afresh: a lost streak costs a shorter wait, never a sensor.
        """
        if not details:
            return Streak()
        value = details[-1]
        if _count(value) is not None:
            return Streak(value, value)
        if isinstance(value, Mapping):
            in_row, total = _count(value.get("errors_in_row")), _count(value.get("errors_total"))
            if in_row is not None and total is not None and in_row <= total:
                return Streak(in_row, total)
        log.warning("ignoring unreadable heartbeat details %r; the error streak starts afresh", value)
        return Streak()


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
