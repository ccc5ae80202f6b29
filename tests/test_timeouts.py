"""Servers that stop or hang mid-question: a clear error within the configured timeout, other users still served,
and the same process answers again once the server is back."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.servers import chroma_cmd, free_port, running

pytestmark = [pytest.mark.faults, pytest.mark.server]

QUESTION = "Combien de postes de techniciens le plan pour l'eau potable crée-t-il ?"


class StopServerOnQuestion:
    """An embedder that stops the Chroma server (SIGSTOP) as a question starts: the store hangs mid-question."""

    def __init__(self, inner, pid: int):
        self.inner, self.pid, self.armed = inner, pid, False

    def embed_documents(self, texts):
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        if self.armed:
            stop(self.pid)
        return self.inner.embed_query(text)


def stop(pid: int) -> None:
    """SIGSTOP, returning once every thread of the process is stopped (delivery is asynchronous)."""
    from pathlib import Path

    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            states = [(t / "stat").read_text().rsplit(")", 1)[1].split()[0] for t in Path(f"/proc/{pid}/task").iterdir()]
        except FileNotFoundError:  # a thread ended while we looked
            continue
        if all(s in "Tt" for s in states):
            return
        time.sleep(0.01)
    raise AssertionError(f"process {pid} did not stop")


def test_chroma_server_stopped_mid_question(tmp_path, corpus):
    from assistant.container import Container
    from assistant.errors import explain
    from assistant.settings import ChromaSettings, Settings

    port = free_port()
    with running(chroma_cmd(tmp_path / "server", port), f"http://127.0.0.1:{port}/api/v2/heartbeat",
                 tmp_path / "chroma.log") as server:
        settings = Settings.for_tests(tmp_path / "data").model_copy(
            update={"chroma": ChromaSettings(host="127.0.0.1", port=port, timeout_s=2)})
        container = Container(settings)
        container.ingestor.ingest_paths([corpus])
        hooked = StopServerOnQuestion(container.store.embeddings, server.pid)
        container.store.embeddings = hooked
        assert container.chain.answer(QUESTION).citations[0].doc_id == "plan-eau"
        try:
            hooked.armed = True
            start = time.monotonic()
            with ThreadPoolExecutor(3) as pool:  # three users at once: none waits for another's timeout
                futures = [pool.submit(container.chain.answer, QUESTION) for _ in range(3)]
                errors = [f.exception(timeout=30) for f in futures]
            elapsed = time.monotonic() - start
            assert all(e is not None for e in errors), [f.result() if f.exception() is None else repr(f.exception()) for f in futures]
            assert elapsed < 2 + 2.5, f"took {elapsed:.1f}s with a 2 s timeout: the users waited for each other"
            message = explain(errors[0], settings)
            assert f"Chroma server at 127.0.0.1:{port} did not answer within 2 s" in message
            assert "COMMUNIQUES_CHROMA__TIMEOUT_S" in message
        finally:
            hooked.armed = False
            os.kill(server.pid, signal.SIGCONT)
        # Back: the same process answers again, without a restart.
        assert container.chain.answer(QUESTION).citations[0].doc_id == "plan-eau"


def test_chroma_server_down_at_start_is_named(tmp_path):
    from assistant.container import Container
    from assistant.errors import explain
    from assistant.settings import ChromaSettings, Settings

    port = free_port()
    settings = Settings.for_tests(tmp_path / "data").model_copy(
        update={"chroma": ChromaSettings(host="127.0.0.1", port=port, timeout_s=2)})
    start = time.monotonic()
    with pytest.raises(Exception) as info:
        Container(settings).store
    assert time.monotonic() - start < 5
    assert f"Chroma server at 127.0.0.1:{port} did not answer" in explain(info.value, settings)


class ScriptedLLMServer:
    """An OpenAI-compatible server on loopback that streams a fixed answer, or hangs when told to.

    ``mode``: "answer"; "silent" (accepts, never replies); "stall" (sends the first words, then nothing).
    Questions containing ``only`` are the only ones affected when it is set, so one user can hang while others
    are answered.
    """

    ANSWER = "Le plan prévoit la création de 300 postes de techniciens dans les régions du Sud [1]."

    def __init__(self):
        self.mode = "answer"
        self.only = ""
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                affected = not outer.only or outer.only in body
                mode = outer.mode if affected else "answer"
                if mode == "silent":
                    outer.release.wait(30)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                words = outer.ANSWER.split(" ")
                for i, word in enumerate(words):
                    if mode == "stall" and i == 3:
                        outer.release.wait(30)
                        return
                    self._event({"choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]})
                self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                self._send(b"data: [DONE]\n\n")
                self._send(b"")

            def _event(self, payload):
                payload = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m", **payload}
                self._send(f"data: {json.dumps(payload)}\n\n".encode())

            def _send(self, data: bytes):
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()


@pytest.fixture
def llm_server():
    server = ScriptedLLMServer()
    yield server
    server.close()


@pytest.mark.parametrize("mode", ["silent", "stall"])
def test_llm_server_hung_mid_question(llm_server, tmp_path, corpus, mode):
    from assistant.container import Container
    from assistant.errors import explain
    from assistant.settings import AnswerSettings, LLMSettings, Settings

    settings = Settings.for_tests(tmp_path / "data").model_copy(
        update={"llm": LLMSettings(backend="openai", base_url=llm_server.url, timeout_s=2),
                "answer": AnswerSettings(mode="model")})  # the model writes: each answer asks the server
    container = Container(settings)
    container.ingestor.ingest_paths([corpus])
    assert "300" in container.chain.answer(QUESTION).text

    llm_server.mode, llm_server.only = mode, "dossier Z-42"  # only the user asking about it hangs
    with ThreadPoolExecutor(2) as pool:
        start = time.monotonic()
        hung = pool.submit(container.chain.answer, "Quand commencent les rénovations (dossier Z-42) ?")
        time.sleep(0.3)
        other = container.chain.answer(QUESTION)  # another user, while the first one waits
        other_done = time.monotonic() - start
        error = hung.exception(timeout=30)
        failed_after = time.monotonic() - start
    assert "300" in other.text and other_done < 2, "the other user waited for the hung request"
    assert error is not None and failed_after < 2 + 2.5, f"the hung question failed after {failed_after:.1f}s"
    message = explain(error, settings)
    assert f"language model server at {llm_server.url} did not answer within 2 s" in message, message

    llm_server.mode = "answer"  # the server is back: the same process answers, the hung user can ask again
    container.chain.answer("Quand commencent les rénovations (dossier Z-42) ?")
    assert "300" in container.chain.answer(QUESTION).text


def test_cli_ask_with_a_silent_llm_server_says_what_to_do(llm_server, tmp_path, corpus):
    import subprocess

    from tests.test_faults import assert_for_people, cli

    llm_server.mode = "silent"
    data = tmp_path / "data"
    assert cli("ingest", str(corpus), "--data-dir", str(data)).returncode == 0
    start = time.monotonic()
    result = cli("ask", QUESTION, "--data-dir", str(data), extra_env={
        "COMMUNIQUES_LLM__BACKEND": "openai", "COMMUNIQUES_LLM__BASE_URL": llm_server.url,
        "COMMUNIQUES_LLM__TIMEOUT_S": "2", "COMMUNIQUES_ANSWER__MODE": "model"})
    assert isinstance(result, subprocess.CompletedProcess) and time.monotonic() - start < 30
    assert_for_people(result, "did not answer within 2 s", "COMMUNIQUES_LLM__TIMEOUT_S")
