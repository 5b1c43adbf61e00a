"""How the portal lives through a database outage: fast reconnection and one answer for "the database is away"."""

from __future__ import annotations

import psycopg_pool.pool
from django.db import InterfaceError, OperationalError
from psycopg_pool.base import AttemptWithBackoff


class SteadyReconnect(AttemptWithBackoff):
    # psycopg_pool doubles the wait between reconnection attempts (1, 2, 4, 8 … s). After a ten-second
    # outage the next attempt could come 8 s after the database is back, and every request meanwhile
    # waits for the pool timeout. Retrying at a steady, short interval brings the portal back within
    # a fraction of a second; a failed attempt to a database that is down costs next to nothing.
    INITIAL_DELAY = 0.2
    MAX_DELAY = 0.5

    def update_delay(self, now: float) -> None:
        super().update_delay(now)
        self.delay = min(self.delay, self.MAX_DELAY)


def install_steady_reconnect() -> None:
    psycopg_pool.pool.AttemptWithBackoff = SteadyReconnect  # type: ignore[misc]


def is_database_unavailable(exc: BaseException | None) -> bool:
    # Django wraps psycopg's errors (and the pool's PoolTimeout, an OperationalError) in its own classes.
    return isinstance(exc, (OperationalError, InterfaceError))
