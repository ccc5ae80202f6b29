"""Finishing what a crashed ingest left: interrupted deletions, half-written documents, passages lost."""

from __future__ import annotations

import logging
from pathlib import Path

from core.integrity import damaged
from ingest.datadir import touch_stamp
from ingest.manifest import Manifest
from ingest.writer import ChunkWriter

log = logging.getLogger(__name__)


def recover(store: ChunkWriter, manifest: Manifest, data_dir: Path) -> list[str]:
    """Finish what a crashed run left (interrupted deletions); IndexDamaged if the store holds unknown documents.

    Returns the documents still half-written (hidden until their file is ingested again). Call under the lock.
    """
    rows = {r.doc_id: r for r in manifest.all()}
    for doc_id, row in rows.items():
        if row.state == "deleting":
            store.delete(store.chunk_ids(doc_id))
            manifest.remove(doc_id)
            log.warning("finished an interrupted deletion doc_id=%s", doc_id)
    stored: dict[str, int] = {}
    orphans = []
    for cid in store.chunk_ids():
        doc_id = cid.rsplit("#", 1)[0]
        stored[doc_id] = stored.get(doc_id, 0) + 1
        if doc_id not in rows:
            orphans.append(cid)
    if orphans:
        # Never left by a crash (a document's row is written before its first passage and removed after its
        # last): the manifest was lost or replaced. Deleting them would lose documents; rebuilding keeps them.
        unknown = sorted({cid.rsplit("#", 1)[0] for cid in orphans})
        raise damaged("the manifest does not know documents of the store", data_dir,
                      f"{len(unknown)} document(s), e.g. {unknown[0]}")
    # Passages lost from the store (a replaced or damaged store): the document is written again when given.
    lost = [d for d, r in rows.items() if r.state == "indexed" and stored.get(d, 0) != r.n_chunks]
    for doc_id in lost:
        manifest.mark(doc_id, "indexing")
    if lost:
        log.warning("passages missing from the store documents=%d first=%s; each is indexed again when its file "
                    "is given (`communiques reindex` gives them all)", len(lost), lost[0])
    if lost or any(r.state == "deleting" for r in rows.values()):
        touch_stamp(data_dir)
    return [d for d, r in rows.items() if r.state == "indexing"] + lost
