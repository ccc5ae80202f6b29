"""The ecosystem's interfaces: the retriever, the embedders and the fake chat model pass langchain-tests' standard
suites (what a feature the fake lacks, tools or images, needs is skipped by the suites themselves)."""

from __future__ import annotations

import pytest
from langchain_tests.integration_tests import (ChatModelIntegrationTests, EmbeddingsIntegrationTests,
                                               RetrieversIntegrationTests)
from langchain_tests.unit_tests import ChatModelUnitTests

from assistant.llm import ExtractiveFakeChatModel
from tests.conftest import SAMPLE
from vectorstore.embeddings import HashEmbeddings, SentenceTransformerEmbeddings
from vectorstore.langchain_retriever import PassageRetriever

@pytest.fixture(scope="module")
def sample_retriever(tmp_path_factory):
    """The hybrid retriever over the bundled sample communiqués, indexed once with the hash embedder."""
    from assistant.container import Container
    from assistant.settings import Settings

    container = Container(Settings.for_tests(tmp_path_factory.mktemp("langchain") / "data"))
    assert container.ingestor.ingest_paths([SAMPLE]).ok
    return container.retriever


@pytest.mark.unit
class TestPassageRetriever(RetrieversIntegrationTests):
    """LangChain's standard retriever tests (k at construction and per call, sync and async invoke)."""

    @pytest.fixture(autouse=True)
    def _sample(self, sample_retriever):
        self.hybrid = sample_retriever

    @property
    def retriever_constructor(self) -> type[PassageRetriever]:
        return PassageRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"retriever": self.hybrid}

    @property
    def retriever_query_example(self) -> str:
        return "Qu'a décidé le conseil des ministres ?"


@pytest.mark.unit
def test_documents_carry_the_passage_metadata_and_filters_apply(sample_retriever):
    from vectorstore.filters import Filters

    retriever = PassageRetriever(retriever=sample_retriever, k=2)
    [doc, *_] = retriever.invoke("Qu'a décidé le conseil des ministres ?")
    assert doc.id == doc.metadata["chunk_id"] and doc.metadata["doc_id"] in doc.id and doc.page_content
    assert "text" not in doc.metadata and doc.metadata["chunk_ids"]
    dated = retriever.invoke("conseil des ministres", filters=Filters(since="2026-01-01"))
    assert dated and all(d.metadata["date"] >= "2026-01-01" for d in dated)


@pytest.mark.unit
class TestHashEmbeddings(EmbeddingsIntegrationTests):
    """The deterministic fake the unit tests use is a LangChain embedder like any other."""

    @property
    def embeddings_class(self) -> type[HashEmbeddings]:
        return HashEmbeddings


@pytest.mark.integration
@pytest.mark.slow
class TestPackagedEmbeddings(EmbeddingsIntegrationTests):
    """The packaged EmbeddingGemma, as the composition root builds it."""

    @property
    def embeddings_class(self) -> type[SentenceTransformerEmbeddings]:
        return SentenceTransformerEmbeddings

    @pytest.fixture
    def model(self, packaged_embeddings):
        return packaged_embeddings


@pytest.fixture(scope="module")
def packaged_embeddings(tmp_path_factory):
    """The embedder of the default settings, loaded once."""
    from assistant.container import Container
    from assistant.settings import Settings

    return Container(Settings(data_dir=tmp_path_factory.mktemp("embeddings") / "data")).embeddings


@pytest.mark.unit
class TestFakeChatModelUnit(ChatModelUnitTests):
    """The deterministic chat model of the unit tests, as LangChain's unit suite sees a chat model."""

    @property
    def chat_model_class(self) -> type[ExtractiveFakeChatModel]:
        return ExtractiveFakeChatModel


@pytest.mark.unit
class TestFakeChatModel(ChatModelIntegrationTests):
    """The same, invoked and streamed: replies, usage and the model's name, as a real model gives them."""

    @property
    def chat_model_class(self) -> type[ExtractiveFakeChatModel]:
        return ExtractiveFakeChatModel
