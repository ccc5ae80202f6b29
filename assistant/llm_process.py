"""llama.cpp in a child process: a native crash of the model (a bad CPU kernel, an illegal instruction, memory
exhausted) fails the one question it was answering, with a clear error, and the next question starts a new process;
the web app and every other conversation go on."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.errors import ServiceUnavailable

log = logging.getLogger(__name__)

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}
_LAST_REPLIES = ("end", "error", "tokens", "probabilities")  # the replies that end a request


class ModelCrashed(ServiceUnavailable):
    """The model's process died while answering; the message says how and what to do."""


def describe_exit(code: int | None) -> str:
    """'killed by signal 11 (SIGSEGV)' or 'exit code 1'."""
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            return f"killed by signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _serve(conn, model_path: str, options: dict) -> None:  # pragma: no cover - runs in the child process
    """The child: load the model, then answer requests until the pipe closes."""
    from llama_cpp import Llama

    llm = Llama(model_path=model_path, verbose=False, **options)
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        kind, payload = request
        try:
            if kind == "tokenize":
                conn.send(("tokens", len(llm.tokenize(payload.encode("utf-8"), add_bos=False, special=True))))
                continue
            if kind == "choices":
                from assistant.judge import choice_probabilities

                conn.send(("probabilities", choice_probabilities(llm, payload["messages"], payload["choices"])))
                continue
            for part in llm.create_chat_completion(stream=True, **payload):
                piece = part["choices"][0]["delta"].get("content")
                if piece:
                    conn.send(("piece", piece))
            conn.send(("end", None))
        except Exception as exc:  # the request fails, the process goes on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class ChildProcessLlamaCpp(BaseChatModel):
    """A LangChain chat model whose llama.cpp runs in a child process (started at first use, restarted after a
    crash). One request at a time, like an in-process model."""

    model_path: str
    n_ctx: int = 2048
    n_threads: int = 2
    n_batch: int = 512
    max_tokens: int = 160
    temperature: float = 0.0
    load_timeout_s: float = 120.0
    request_timeout_s: float = 120.0  # the longest wait for the next piece of an answer
    _process: Any = PrivateAttr(default=None)
    _conn: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp-child-process"

    @property
    def pid(self) -> int | None:
        """The child's process id (None before the first question)."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")  # never fork a process holding threads
        parent, child = ctx.Pipe()
        options = {"n_ctx": self.n_ctx, "n_threads": self.n_threads, "n_batch": self.n_batch}
        self._process = ctx.Process(target=_serve, args=(child, self.model_path, options), daemon=True,
                                    name="communiques-llm")
        self._process.start()
        child.close()
        self._conn = parent
        if not parent.poll(self.load_timeout_s):
            self._stop()
            raise ModelCrashed(f"The model did not load within {self.load_timeout_s:g} s ({self.model_path}). "
                               "Run `communiques doctor` to check the model and the machine.")
        try:
            parent.recv()
        except EOFError:
            code = self._wait_exit()
            self._stop()
            raise ModelCrashed(f"The model process died while loading {self.model_path} ({describe_exit(code)}). "
                               "Run `communiques doctor`: it checks the model file and whether this build of "
                               "llama.cpp suits this CPU.") from None
        log.info("llm process started pid=%s path=%s", self._process.pid, self.model_path)

    def _wait_exit(self) -> int | None:
        self._process.join(timeout=5)
        return self._process.exitcode

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
        self._process, self._conn = None, None

    def close(self) -> None:
        """Stop the child process (a new one starts at the next request)."""
        with self._lock:
            self._stop()

    def _request(self, kind: str, payload) -> Iterator[tuple[str, Any]]:
        """Send one request and yield the child's replies; a dead child raises ModelCrashed and is reset."""
        if self._process is None or not self._process.is_alive():
            self._stop()
            self._start()
        done = False
        try:
            self._conn.send((kind, payload))
            while True:
                if not self._conn.poll(self.request_timeout_s):  # a hung model must not hold every conversation
                    self._stop()
                    raise ModelCrashed(f"The model did not answer within {self.request_timeout_s:g} s: this question "
                                       "failed and the model was stopped; the next question starts it again.")
                reply = self._conn.recv()
                if reply[0] in _LAST_REPLIES:
                    done = True
                yield reply
                if done:
                    return
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            code = self._wait_exit()
            self._stop()
            log.error("llm process died code=%s", code)
            raise ModelCrashed(f"The model process stopped while answering ({describe_exit(code)}): this question "
                               "failed, the next one starts the model again. If it happens again, run "
                               "`communiques doctor`.") from None
        finally:
            if not done and self._conn is not None:
                # The reader left mid-answer (a closed page): the rest of this answer must not reach the next one.
                self._drain()

    def _drain(self, timeout_s: float = 60.0) -> None:
        """Read and drop the rest of an answer nobody reads; a child that does not finish in time is stopped."""
        try:
            while self._conn.poll(timeout_s):
                if self._conn.recv()[0] in _LAST_REPLIES:
                    return
        except (EOFError, OSError):
            pass
        self._stop()

    def tokenize_count(self, text: str) -> int:
        """Tokens of ``text`` for this model."""
        with self._lock:
            for kind, value in self._request("tokenize", text):
                if kind == "tokens":
                    return value
        return 0

    def choice_probabilities(self, messages: list[dict], choices) -> dict[str, float]:
        """Each one-word choice's probability as the next token (see :func:`assistant.judge.choice_probabilities`)."""
        with self._lock:
            for kind, value in self._request("choices", {"messages": messages, "choices": list(choices)}):
                if kind == "error":
                    raise RuntimeError(f"The model failed to score the choices: {value}")
                if kind == "probabilities":
                    return value
        raise RuntimeError("The model process sent no probabilities.")

    def _payload(self, messages: list[BaseMessage], stop, kwargs) -> dict:
        return {"messages": [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages],
                "stop": stop or kwargs.get("stop") or [], "max_tokens": kwargs.get("max_tokens", self.max_tokens),
                "temperature": self.temperature}

    def _stream(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            replies = self._request("chat", self._payload(messages, stop, kwargs))
            try:
                for kind, value in replies:
                    if kind == "error":
                        raise RuntimeError(f"The model failed on this question: {value}")
                    if kind == "piece":
                        chunk = ChatGenerationChunk(message=AIMessageChunk(content=value))
                        if run_manager:
                            run_manager.on_llm_new_token(value, chunk=chunk)
                        yield chunk
            finally:
                replies.close()  # (a reader that left: the rest is dropped while the lock is still held)

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:
        text = "".join(c.message.content for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
