"""PostgreSQL connections that send chosen statements in one round trip with the COMMIT.

A statement whose result the transaction does not need can wait for the COMMIT and go
with it in one pipeline: the row lock it takes is then held for the server's own work
only. The case it is for: the cached balance of an account every payment to it updates
(a shop's), which needs no floor check. Run as the last statement before COMMIT, its
row stays locked while the answer travels back, the client thread waits for the GIL,
and the COMMIT travels out; every other payment to that shop waits as long
(bench/ledger.py, "8 payers -> 1 merchant").

`make_engine` connects with `Connection` (the `do_connect` hook). `fast_sql` queues a
statement with `send_with_commit`; `commit()` sends the queue, COMMIT and a sync
together; `rollback()` and `close()` drop it, so nothing queued outlives its
transaction. An error in a queued statement aborts the pipeline before the COMMIT: the
commit fails, as it would have without the queue, and nothing was written.
"""

from __future__ import annotations

from typing import Any

import psycopg


class Connection(psycopg.Connection[Any]):
    _queued: list[tuple[str, Any]] | None = None

    def send_with_commit(self, query: str, params: Any) -> None:
        if self._queued is None:
            self._queued = []
        self._queued.append((query, params))

    def commit(self) -> None:
        queued, self._queued = self._queued, None
        if not queued:
            super().commit()
            return
        with self.pipeline():
            for query, params in queued:
                self.execute(query, params)
            super().commit()

    def rollback(self) -> None:
        self._queued = None
        super().rollback()

    def close(self) -> None:
        self._queued = None
        super().close()


def connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Connection:
    """The engine's `do_connect` hook: psycopg's own connect, this class."""
    return Connection.connect(*cargs, **cparams)
