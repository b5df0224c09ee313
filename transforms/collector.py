"""The garbage collector paused around batch work that allocates many short-lived containers.

Each full collection walks every tracked object the process holds (a pipeline's pages, articles and
tokens), so its cost grows with the heap, not with the batch: tagging a batch, turning its tokens into
search terms or into Arrow columns allocates hundreds of thousands of tuples and lists, and with the
collector on that triggers full collections whose CPU can exceed the batch's own work. None of this work
makes reference cycles worth waiting for; the collector resumes (if it was on) when the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off, restoring its previous state after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
