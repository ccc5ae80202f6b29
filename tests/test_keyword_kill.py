"""kill -9 of a process saving the keyword index, at random moments: the index on disk always reads back whole,
as one of the versions that was saved."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.faults]

# Saves version after version: release PREFIX-i added and PREFIX-(i-3) removed at version i.
WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path[:0] = [sys.argv[2], sys.argv[2] + "/tests"]
    from test_keyword_index import release
    from vectorstore.keyword import KeywordIndex
    folder = Path(sys.argv[1])
    index = KeywordIndex.load(folder)
    for i in range(1, 10_000):
        index = index.updated(add=release(f"{sys.argv[3]}-{i}", seed=i, n_chunks=30),
                              remove_documents=[f"{sys.argv[3]}-{i - 3}"])
        index.save(folder)
        print(i, flush=True)
""")


def test_kill_9_while_saving_leaves_a_whole_saved_version(tmp_path):
    from test_keyword_index import assert_same_index, release

    from vectorstore.keyword import KeywordIndex

    rng = random.Random(int(os.environ.get("FAULT_SEED", "8")))
    folder = tmp_path / "keyword"
    KeywordIndex([c for d in range(20) for c in release(f"doc-{d}", seed=d)]).save(folder)
    for run in range(4):
        before = set(KeywordIndex.load(folder).documents())
        prefix = f"run{run}"
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(ROOT), prefix],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip(), proc.stderr.read()  # one version saved: now kill at random
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        loaded = KeywordIndex.load(folder)
        docs = set(loaded.documents())
        new = docs - before
        last = max(int(d.rsplit("-", 1)[1]) for d in new)
        # Exactly the releases of one saved version: the last three the writer added, the rest as before.
        assert before <= docs and new == {f"{prefix}-{i}" for i in range(max(1, last - 2), last + 1)}, \
            (run, sorted(new))
        assert_same_index(loaded, KeywordIndex(loaded.chunks))
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    KeywordIndex.load(folder).save(folder)
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")], leftovers
