"""Chat model backends, all LangChain chat models: llama.cpp in process, any OpenAI-compatible
server, and deterministic fakes for tests."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from assistant.models import QWEN_1_5B, resolve_model
from assistant.settings import Settings

log = logging.getLogger(__name__)


class ExtractiveFakeChatModel(BaseChatModel):
    """Deterministic stand-in for a real model.

    With ``responses``, it says them in turn (scripted tests). Otherwise it answers from the prompt:
    the sentence of passage [1] sharing most words with the question, cited, or NOT_FOUND when no passage is given; a rewriting
    request gets the question back. Streams word by word, like a real model.
    """

    model_name: str = "extractive-fake"  # what LangChain's tracing names the model
    responses: list[str] = []
    calls: int = 0
    delay_s: float = 0.0  # a pause before each streamed word: a slow model, for tests that act mid-answer

    @property
    def _llm_type(self) -> str:
        return "extractive-fake"

    def _reply(self, messages: list[BaseMessage]) -> str:
        if self.responses:
            reply = self.responses[self.calls % len(self.responses)]
            self.calls += 1
            return reply
        prompt = str(messages[-1].content)
        if "Standalone question:" in prompt:
            match = re.search(r"Last question: (.*)\nStandalone question:", prompt)
            return match.group(1) if match else ""
        match = re.search(r"^\[1\] [^:]*: (.+)$", prompt, re.MULTILINE)
        if not match:
            return "NOT_FOUND"
        question = re.search(r"^Question: (.*)$", prompt, re.MULTILINE)
        asked = set(re.findall(r"\w{4,}", question.group(1).lower())) if question else set()
        sentences = re.split(r"(?<=[.!?])\s", match.group(1).strip())
        best = max(sentences, key=lambda s: (len(asked & set(re.findall(r"\w{4,}", s.lower()))), -sentences.index(s)))
        return f"{best.rstrip('.')} [1]."

    @staticmethod
    def _usage(messages: list[BaseMessage], reply: str) -> UsageMetadata:
        """Tokens counted as words, so that callers reading usage see it as a real model reports it."""
        read = sum(len(str(m.content).split()) for m in messages)
        written = len(reply.split())
        return UsageMetadata(input_tokens=read, output_tokens=written, total_tokens=read + written)

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:
        reply = self._reply(messages)
        message = AIMessage(content=reply, usage_metadata=self._usage(messages, reply),
                            response_metadata={"model_name": self.model_name})
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        reply = self._reply(messages)
        pieces = re.findall(r"\S+\s*", reply)
        for i, piece in enumerate(pieces):
            time.sleep(self.delay_s)
            # Usage once, on the last piece: the pieces' usage adds up when a caller joins them.
            last = i == len(pieces) - 1
            chunk = ChatGenerationChunk(message=AIMessageChunk(
                content=piece, usage_metadata=self._usage(messages, reply) if last else None,
                response_metadata={"model_name": self.model_name} if last else {}))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


def count_tokens(llm: BaseChatModel, text: str) -> int:
    """Tokens of ``text`` for the model: its own tokenizer in process (llama.cpp), otherwise an estimate of one token
    per four characters (a server's tokenizer is not reachable from here)."""
    if hasattr(llm, "tokenize_count"):
        return llm.tokenize_count(text) if text else 0
    client = getattr(llm, "client", None)
    if client is not None and hasattr(client, "tokenize"):
        return len(client.tokenize(text.encode("utf-8"), add_bos=False, special=True))
    return max(1, len(text) // 4) if text else 0


def build_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model that ``settings.llm`` describes."""
    llm = settings.llm
    if llm.backend == "fake":
        return ExtractiveFakeChatModel(responses=list(llm.fake_responses), delay_s=llm.fake_delay_s)
    if llm.backend == "openai":
        if not llm.base_url:
            raise ValueError("backend=openai needs COMMUNIQUES_LLM__BASE_URL, e.g. http://127.0.0.1:8000/v1")
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(base_url=llm.base_url, api_key=llm.api_key, model=llm.model, temperature=llm.temperature,
                          max_tokens=llm.max_tokens, timeout=llm.timeout_s, max_retries=llm.max_retries,
                          streaming=True)
    path = resolve_model(llm.model_path, QWEN_1_5B, settings.models.cache_dir, llm.model_sha256)
    import os

    threads = llm.n_threads or os.cpu_count() or 2
    if llm.process == "child":
        from assistant.llm_process import ChildProcessLlamaCpp

        log.info("llm in a child process path=%s threads=%d", path, threads)
        return ChildProcessLlamaCpp(model_path=str(path), n_ctx=llm.n_ctx, n_threads=threads, n_batch=llm.n_batch,
                                    max_tokens=llm.max_tokens, temperature=llm.temperature,
                                    request_timeout_s=llm.timeout_s)
    try:
        from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("llama-cpp-python is not installed: run `make install`.") from exc
    log.info("loading llm path=%s threads=%d", path, threads)
    return ChatLlamaCpp(model_path=str(path), n_ctx=llm.n_ctx, n_threads=threads, n_batch=llm.n_batch,
                        max_tokens=llm.max_tokens, temperature=llm.temperature, streaming=True, verbose=False)
