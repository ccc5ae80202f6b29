"""The line of questions in flight for the model: so many use it at once, the others wait their turn."""

from __future__ import annotations

import threading


class ModelQueue:
    """Questions in flight, in arrival order; the first ``width`` of them may use the model, the rest wait.

    One llama.cpp model in one process answers one question at a time (width 1); a server may take more. Each
    question joins on arrival and leaves when answered, failed or abandoned, so that a waiting one can say how
    many are ahead of it.
    """

    def __init__(self, width: int = 1):
        if width < 1:
            raise ValueError(f"a model queue lets at least one question use the model (width={width})")
        self.width = width
        self._line: list[Place] = []
        self._changed = threading.Condition()

    def join(self) -> Place:
        """A place at the end of the line (leave it when done: ``with queue.join() as place: ...``)."""
        place = Place(self)
        with self._changed:
            self._line.append(place)
        return place

    def __len__(self) -> int:
        """Questions in flight: using the model or waiting for it."""
        with self._changed:
            return len(self._line)


class Place:
    """One question's place in a :class:`ModelQueue`, from its arrival until it leaves."""

    def __init__(self, queue: ModelQueue):
        self._queue = queue

    def ahead(self) -> int:
        """Questions that arrived before this one and are still in flight (0 once it has left)."""
        with self._queue._changed:
            return self._queue._line.index(self) if self in self._queue._line else 0

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until this question may use the model, at most ``timeout`` seconds; whether it may."""
        queue = self._queue
        with queue._changed:
            queue._changed.wait_for(lambda: self not in queue._line or queue._line.index(self) < queue.width, timeout)
            return self in queue._line and queue._line.index(self) < queue.width

    def leave(self) -> None:
        """Give the place up (again is harmless); the next in line may then use the model."""
        with self._queue._changed:
            if self in self._queue._line:
                self._queue._line.remove(self)
                self._queue._changed.notify_all()

    def __enter__(self) -> Place:
        return self

    def __exit__(self, *exc) -> None:
        self.leave()
