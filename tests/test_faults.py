"""Faults done for real: kill -9 of an ingest, a damaged index, servers that stop or hang, a full or read-only disk.

The slow ones carry the ``faults`` marker (``make test-faults``); each uses the deterministic fakes unless the fault
needs the real thing.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import HASH_ENV, ROOT

pytestmark = [pytest.mark.faults]

BIN = Path(sys.executable).parent
TEST_ENV = {
    **HASH_ENV,
    "HF_HUB_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
}
TOPICS = ["eau potable", "rail", "pêche", "vaccination", "forêts", "budget", "énergie", "routes", "écoles", "ports"]


def env() -> dict:
    return {**os.environ, **TEST_ENV, "PYTHONPATH": str(ROOT)}


def write_release(folder: Path, i: int, version: int) -> None:
    """One communiqué whose text, and number of passages, change with ``version``."""
    topic = TOPICS[i % len(TOPICS)]
    paragraphs = [f"Le ministère annonce la mesure {i} sur {topic}, version {version}. "
                  + f"Le plan {i} prévoit {100 * i + version} postes et {i + version} millions d'euros. " * 4
                  for _ in range(2 + (i + version) % 4)]
    folder.joinpath(f"release-{i:03d}.md").write_text(
        f"---\ntitle: Mesure {i} sur {topic}\nissuer: Ministère {topic}\ndate: 2025-0{1 + i % 9}-1{i % 10}\n---\n"
        + "\n\n".join(paragraphs), encoding="utf-8")


def ingest_cmd(corpus: Path, data: Path) -> list[str]:
    return [str(BIN / "communiques"), "ingest", str(corpus), "--data-dir", str(data), "--json"]


def probe(data: Path, question: str = "") -> dict:
    """What a freshly started process sees in ``data``."""
    out = subprocess.run([sys.executable, "-m", "tests.fault_probe", str(data), question], cwd=ROOT, env=env(),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def assert_consistent(seen: dict) -> None:
    """Index and manifest agree; questions only see complete documents of their committed version."""
    rows, stored = seen["rows"], seen["stored"]
    orphans = [cid for cid in stored if cid.rsplit("#", 1)[0] not in rows]
    assert not orphans, f"chunks of no known document: {orphans[:5]}"
    complete = set()
    for doc_id, row in rows.items():
        if row["state"] != "indexed":
            continue
        ids = {cid for cid in stored if cid.rsplit("#", 1)[0] == doc_id}
        assert ids == {f"{doc_id}#{i}" for i in range(row["n_chunks"])}, f"{doc_id}: stored {sorted(ids)}"
        assert {stored[cid] for cid in ids} <= {row["hash"]}, f"{doc_id}: chunks of another version"
        complete |= ids
    assert set(seen["visible"]) == complete, "questions see chunks of a half-written document"
    assert set(seen.get("passages", [])) <= complete and set(seen.get("cited", [])) <= complete


def expected_chunks(corpus: Path) -> dict[str, str]:
    """chunk id -> indexed hash (the document's, with the chunking settings), for the files as they are now."""
    from assistant.settings import ChunkSettings
    from ingest.chunking import chunk_communique
    from ingest.loaders import iter_sources, load_path
    from ingest.pipeline import Ingestor

    ch = ChunkSettings()
    kwargs = {"target_chars": ch.target_chars, "max_chars": ch.max_chars, "overlap_sentences": ch.overlap_sentences}
    hashing = Ingestor(None, None, corpus, chunk_kwargs=kwargs)  # only its _content_hash is used
    out = {}
    for path, root in iter_sources([corpus]):
        for loaded in load_path(path, root, 10**8):
            for c in chunk_communique(loaded.doc, **kwargs):
                out[c.chunk_id] = hashing._content_hash(loaded.doc)
    return out


@pytest.mark.slow
def test_kill_9_during_ingest_at_random_points(tmp_path):
    """Several ingests killed at random points: each time the index is consistent, and the next one completes."""
    rng = random.Random(int(os.environ.get("FAULT_SEED", "8")))
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    n_docs = 60
    versions = [0] * n_docs
    for i in range(n_docs):
        write_release(corpus, i, 0)
    stamp = data / "index.stamp"
    killed_while_writing = 0
    for run in range(6):
        if run:  # corrections to a third of the releases, so that runs replace passages as well as add them
            for i in rng.sample(range(n_docs), n_docs // 3):
                versions[i] += 1
                write_release(corpus, i, versions[i])
        before = stamp.stat().st_mtime_ns if stamp.exists() else 0
        proc = subprocess.Popen(ingest_cmd(corpus, data), env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Wait for the first write of this run, then kill at a random moment of the writing.
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if stamp.exists() and stamp.stat().st_mtime_ns != before:
                break
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.8))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_while_writing += 1
        proc.communicate(timeout=30)
        seen = probe(data, f"Combien de postes le plan {rng.randrange(n_docs)} prévoit-il ?")
        assert_consistent(seen)
        unfinished = {d: (r, sum(1 for c in seen["stored"] if c.rsplit("#", 1)[0] == d))
                      for d, r in seen["rows"].items() if r["state"] != "indexed"}
        assert len(unfinished) <= 1, (run, unfinished)  # only the one being written
    assert killed_while_writing >= 4, "the ingests ended before they could be killed: give them more to do"
    final = subprocess.run(ingest_cmd(corpus, data), env=env(), capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr[-2000:]
    seen = probe(data)
    assert_consistent(seen)
    assert all(r["state"] == "indexed" for r in seen["rows"].values())
    assert seen["stored"] == expected_chunks(corpus)  # nothing missing, nothing duplicated, nothing stale


def cli(*args: str, timeout: float = 120, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``communiques`` command, as a user would."""
    return subprocess.run([str(BIN / "communiques"), *args], env={**env(), **(extra_env or {})}, capture_output=True,
                          text=True, timeout=timeout)


def assert_for_people(result: subprocess.CompletedProcess, *words: str) -> None:
    """A failed command said what failed and what to do, without a stack trace."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "File \"" not in result.stderr, result.stderr[-2000:]
    for word in words:
        assert word in result.stderr, result.stderr[-2000:]


def smash(path: Path) -> None:
    """Scramble every 97th byte, the header included."""
    data = bytearray(path.read_bytes())
    for i in range(0, len(data), 97):
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))


QUESTION = "Combien de postes de techniciens le plan pour l'eau potable crée-t-il ?"


@pytest.fixture(scope="module")
def indexed_dir(tmp_path_factory) -> Path:
    """A data dir with the small corpus ingested by the real command (copied by each test)."""
    from tests.conftest import GREVE, PLAN_EAU, RELEASES

    base = tmp_path_factory.mktemp("indexed")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "plan-eau.md").write_text(PLAN_EAU, encoding="utf-8")
    (corpus / "greve.txt").write_text(GREVE, encoding="utf-8")
    (corpus / "releases.jsonl").write_text(RELEASES, encoding="utf-8")
    result = cli("ingest", str(corpus), "--data-dir", str(base / "data"))
    assert result.returncode == 0, result.stderr
    return base


@pytest.mark.parametrize("damage", ["manifest scrambled", "manifest truncated", "store scrambled",
                                    "store truncated", "store deleted"])
def test_a_damaged_index_is_detected_and_reindex_rebuilds_it(indexed_dir, tmp_path, damage):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(indexed_dir / "data", data)
    target = data / ("manifest.sqlite" if damage.startswith("manifest") else "chroma/chroma.sqlite3")
    if damage.endswith("scrambled"):
        smash(target)
    elif damage.endswith("truncated"):
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    else:
        shutil.rmtree(data / "chroma")
    asked = cli("ask", QUESTION, "--data-dir", str(data))
    assert_for_people(asked, "damaged", f"communiques reindex --data-dir {data}")
    rebuilt = cli("reindex", "--data-dir", str(data), "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    summary = json.loads(rebuilt.stdout)
    assert sorted(summary["added"]) == ["en-health-2026-02-17", "greve", "plan-eau"]
    assert Path(summary["kept_aside"]).parent == data and any(Path(summary["kept_aside"]).iterdir())
    answer = json.loads(cli("ask", QUESTION, "--data-dir", str(data), "--json").stdout)
    assert not answer["abstained"] and answer["citations"][0]["doc_id"] == "plan-eau"


def test_reindex_names_the_documents_whose_file_is_gone(indexed_dir, tmp_path):
    import shutil

    base = tmp_path / "copy"
    shutil.copytree(indexed_dir, base)
    data = base / "data"
    # sources.json recorded the original corpus folder: point the copy at its own corpus.
    (data / "sources.json").write_text(json.dumps([str(base / "corpus")]))
    (base / "corpus" / "greve.txt").unlink()
    rebuilt = cli("reindex", "--data-dir", str(data))
    assert rebuilt.returncode == 1 and "not rebuilt (its file is gone): greve" in rebuilt.stderr
    listed = cli("docs", "--data-dir", str(data)).stdout
    assert "plan-eau" in listed and "greve" not in listed


@pytest.fixture
def small_disk(tmp_path):
    """A real 6 MB file system (tmpfs), so that the disk can fill up and be made read-only."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (or run the suite under `unshare -rm`)")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def remount(mount: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount)], check=True)


def big_corpus(folder: Path, n: int = 40) -> Path:
    folder.mkdir()
    for i in range(n):
        write_release(folder, i, 5)
        path = folder / f"release-{i:03d}.md"
        path.write_text(path.read_text() + ("\n\nUn long paragraphe sur la mesure. " * 60), encoding="utf-8")
    return folder


def test_disk_full_during_ingest_then_space_back(small_disk, indexed_dir, tmp_path):
    import shutil

    data = small_disk / "data"
    assert cli("ingest", str(indexed_dir / "corpus"), "--data-dir", str(data)).returncode == 0
    ballast = small_disk / "ballast"
    ballast.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - 400_000))
    corpus = big_corpus(tmp_path / "big")

    full = cli("ingest", str(corpus), "--data-dir", str(data))
    assert_for_people(full, "full", "What was indexed before is intact")
    while_full = cli("ask", QUESTION, "--data-dir", str(data))
    if while_full.returncode:  # SQLite needs a little space even to read; then it must say so
        assert_for_people(while_full, "full")

    ballast.unlink()  # space is back
    seen = probe(data, QUESTION)
    assert_consistent(seen)
    assert {"plan-eau", "greve", "en-health-2026-02-17"} <= {d for d, r in seen["rows"].items() if r["state"] == "indexed"}
    assert seen["cited"] and seen["cited"][0].startswith("plan-eau#")
    again = cli("ingest", str(corpus), "--data-dir", str(data))
    assert again.returncode == 0, again.stderr[-2000:]
    seen = probe(data)
    assert_consistent(seen)
    assert all(r["state"] == "indexed" for r in seen["rows"].values()) and len(seen["rows"]) == 3 + 40


def test_read_only_data_dir_says_so_and_nothing_changes(small_disk, indexed_dir, tmp_path):
    data = small_disk / "data"
    assert cli("ingest", str(indexed_dir / "corpus"), "--data-dir", str(data)).returncode == 0
    before = probe(data)
    remount(small_disk, "ro")
    try:
        for result in (cli("ingest", str(big_corpus(tmp_path / "big", 3)), "--data-dir", str(data)),
                       cli("ask", QUESTION, "--data-dir", str(data)),
                       cli("docs", "--data-dir", str(data), "delete", "greve")):
            assert_for_people(result, "read-only", "COMMUNIQUES_DATA_DIR")
    finally:
        remount(small_disk, "rw")
    assert probe(data) == before


def test_questions_while_ingesting_never_see_half_a_document(make_container, corpus):
    """One thread ingests new releases and corrections while two others keep asking: every answer comes, and every
    document it shows is one complete version."""
    import threading

    container = make_container()
    for i in range(12):
        write_release(corpus, i, 0)
    assert container.ingestor.ingest_paths([corpus]).ok
    done = threading.Event()
    answers, errors = [], []

    def ask(seed: int) -> None:
        rng = random.Random(seed)
        while not done.is_set():
            try:
                answers.append(container.chain.answer(f"Combien de postes le plan {rng.randrange(40)} prévoit-il ?"))
            except Exception as exc:  # collected: the test fails on any
                errors.append(exc)

    # Besides the askers, a question arrives at the worst moments: right after a document's new passages are
    # written, and right before its stale ones are removed. The document must not be visible then.
    worst: list[tuple[str, object]] = []
    store = container.store
    real_upsert, real_delete = store.upsert, store.delete

    def ask_now(doc_id: str) -> None:
        number = int(doc_id.split("-")[1])
        worst.append((doc_id, container.chain.answer(f"Combien de postes le plan {number} prévoit-il ?")))

    def upsert(chunks, vectors=None):
        real_upsert(chunks, vectors)
        if chunks and chunks[0].doc_id.startswith("release-"):
            ask_now(chunks[0].doc_id)

    def delete(ids):
        if ids and ids[0].startswith("release-"):
            ask_now(ids[0].rsplit("#", 1)[0])
        real_delete(ids)

    store.upsert, store.delete = upsert, delete
    askers = [threading.Thread(target=ask, args=(s,)) for s in (1, 2)]
    for t in askers:
        t.start()
    try:
        for version in (1, 2):  # corrections of the first twelve, and new releases
            for i in range(40):
                write_release(corpus, i, version)
            report = container.ingestor.ingest_paths([corpus])
            assert report.ok, report.failed
    finally:
        done.set()
        for t in askers:
            t.join(30)
    assert not errors, errors[:3]
    assert len(answers) >= 10, "questions stalled while the ingest ran"
    assert len(worst) > 40
    for doc_id, answer in worst:
        assert all(p.chunk.doc_id != doc_id for p in answer.passages), f"{doc_id} seen while being written"
    for answer in answers + [a for _, a in worst]:
        shown: dict[str, set[str]] = {}
        for passage in answer.passages:
            shown.setdefault(passage.chunk.doc_id, set()).add(passage.chunk.doc_hash)
        mixed = {doc_id: seen for doc_id, seen in shown.items() if len(seen) > 1}
        assert not mixed, f"passages of two versions of one document in one answer: {mixed}"


def test_the_app_keeps_answering_while_another_process_ingests(make_container, corpus, tmp_path):
    """`communiques ingest` in another process while the app answers: no error, and the new releases are found."""
    container = make_container()
    assert container.ingestor.ingest_paths([corpus]).ok
    new = tmp_path / "new"
    new.mkdir()
    for i in range(40):
        write_release(new, i, 0)
    proc = subprocess.Popen(ingest_cmd(new, container.settings.data_dir), env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    answered = 0
    while proc.poll() is None:
        answer = container.chain.answer("Quelle hausse des salaires l'accord de sortie de grève prévoit-il ?")
        assert answer.citations and answer.citations[0].doc_id == "greve", answer.text  # an error fails the test
        answered += 1
    out, err = proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert answered >= 3
    found = container.chain.answer("Combien de postes le plan 17 prévoit-il ?")
    assert {p.chunk.doc_id for p in found.passages} & {"release-017"}, [p.chunk.doc_id for p in found.passages]


def test_a_lost_manifest_is_not_taken_for_an_empty_one(indexed_dir, tmp_path):
    """Without its manifest, the next ingest must not delete the store's documents as unknown: it asks for reindex."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(indexed_dir / "data", data)
    before = len(probe(data)["stored"])
    (data / "manifest.sqlite").unlink()
    result = cli("ingest", str(indexed_dir / "corpus" / "greve.txt"), "--data-dir", str(data))
    assert_for_people(result, "manifest does not know", "communiques reindex")
    assert len(probe(data)["stored"]) == before  # nothing deleted
    assert cli("reindex", "--data-dir", str(data)).returncode == 0
    assert len(probe(data)["rows"]) == 3


def test_a_read_failing_while_another_process_writes_is_tried_again_then_reported(make_container, monkeypatch):
    """Chroma's embedded store may fail a read ("InternalError: Error finding id") while another process writes: the
    store reopens and reads again, up to five times with a growing pause, and only then lets the error through; any
    other error goes through at once."""
    import vectorstore.store as store_module

    store = make_container().store
    reopened, pauses = [], []
    monkeypatch.setattr(store, "_reopen_if_written_elsewhere", lambda failed=False: reopened.append(failed) or failed)
    monkeypatch.setattr(store_module.time, "sleep", pauses.append)
    InternalError = type("InternalError", (Exception,), {})

    def failing(times, error=InternalError):
        calls = []

        def operation():
            calls.append(1)
            if len(calls) <= times:
                raise error("Error finding id")
            return "read"
        return operation, calls

    operation, calls = failing(4)
    assert store._read(operation) == "read" and len(calls) == 5 and pauses == [0.05, 0.1, 0.2, 0.4]
    operation, calls = failing(5)
    with pytest.raises(InternalError):
        store._read(operation)
    assert len(calls) == 5
    operation, calls = failing(1, error=ValueError)
    with pytest.raises(ValueError):
        store._read(operation)
    assert len(calls) == 1
