"""Look at a data dir from a fresh process, as a restarted app would, and print what it finds as JSON.

Run as ``python -m tests.fault_probe DATA_DIR [QUESTION]`` with the test profile in the environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def probe(data_dir: Path, question: str = "") -> dict:
    """Manifest rows, every stored chunk, the chunks questions can see, and one answer."""
    from assistant.container import Container
    from assistant.settings import Settings

    container = Container(Settings.for_tests(data_dir))
    rows = {r.doc_id: {"state": r.state, "hash": r.hash, "n_chunks": r.n_chunks} for r in container.manifest.all()}
    got = container.store.collection.get(include=["metadatas"])
    stored = {cid: meta.get("doc_hash", "") for cid, meta in zip(got["ids"], got["metadatas"])}
    visible = [c.chunk_id for c in container.store.chunks()]
    out = {"rows": rows, "stored": stored, "visible": visible}
    if question:
        answer = container.chain.answer(question)
        out["cited"] = [c.chunk_id for c in answer.citations]
        out["passages"] = [cid for p in answer.passages for cid in p.chunk_ids]
    return out


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "")))
