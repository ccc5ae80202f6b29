"""Choosing how the encoder runs (PyTorch, ONNX, ONNX int8): the setting, the cached export, the index's record of
which backend made its vectors. Unit tests use a tiny ONNX graph and tokenizer built here; the integration tests
compare the real packaged EmbeddingGemma's ONNX int8 vectors with PyTorch's."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

WORDS = ["[UNK]", "[PAD]", "q:", "d:", "le", "plan", "eau", "budget", "feux", "de", "la", "saison", "rail", "grève"]


def _tiny_export(model_dir: Path, out: Path) -> None:
    """A stand-in for the real export: token ids -> fixed word vectors -> mean over the mask (not normalised)."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(7)
    table = rng.normal(size=(len(WORDS), 6)).astype(np.float32) * 3
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["tokens"]),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "axis2"], ["mask3"]),
        helper.make_node("Mul", ["tokens", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis1"], ["summed"], keepdims=0),
        helper.make_node("ReduceSum", ["mask3", "axis1"], ["count"], keepdims=0),
        helper.make_node("Div", ["summed", "count"], ["sentence_embedding"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", 6])],
        [numpy_helper.from_array(table, "table"), numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
         numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(out))


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    """A model folder with a word-level tokenizer and EmbeddingGemma-style prompts."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    folder = tmp_path / "tiny-model"
    folder.mkdir()
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": {"query": "q: ", "document": "d: "}}))
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 64}))
    return folder


class CountingBuild:
    """An export function that counts its calls."""

    def __init__(self, build=_tiny_export):
        self.calls = 0
        self.build = build

    def __call__(self, model_dir: Path, out: Path) -> None:
        self.calls += 1
        self.build(model_dir, out)


def _cos(a, b) -> float:
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


# --- the setting ---------------------------------------------------------------------------------------------------


@pytest.mark.unit
def test_the_backend_setting_takes_the_three_backends_and_refuses_others(monkeypatch):
    from pydantic import ValidationError

    from assistant.settings import ModelSettings, Settings

    for backend in ("torch", "onnx", "onnx-int8"):
        assert ModelSettings(embedder_backend=backend).embedder_backend == backend
    with pytest.raises(ValidationError, match="embedder_backend"):
        ModelSettings(embedder_backend="openvino")
    monkeypatch.setenv("COMMUNIQUES_MODELS__EMBEDDER_BACKEND", "onnx")
    assert Settings().models.embedder_backend == "onnx"
    assert ModelSettings.model_fields["embedder_backend"].description


# --- the cached export ---------------------------------------------------------------------------------------------


@pytest.mark.unit
def test_the_export_is_built_once_then_reused(tiny_model):
    from vectorstore.onnx_embeddings import ensure_export

    export = CountingBuild()
    first = ensure_export(tiny_model, quantized=False, export=export)
    again = ensure_export(tiny_model, quantized=False, export=export)
    assert first == again == tiny_model / "onnx" / "model.onnx"
    assert export.calls == 1
    record = json.loads((tiny_model / "onnx" / "model.onnx.json").read_text())
    assert len(record["sha256"]) == 64 and "tokenizer.json" in record["source"]


@pytest.mark.unit
def test_a_damaged_export_is_rebuilt(tiny_model):
    from vectorstore.onnx_embeddings import ensure_export

    export = CountingBuild()
    path = ensure_export(tiny_model, quantized=False, export=export)
    good = path.read_bytes()
    path.write_bytes(good[:-10] + b"0123456789")  # same size, other bytes: only the sha256 tells
    assert ensure_export(tiny_model, quantized=False, export=export).read_bytes() == good
    assert export.calls == 2
    path.unlink()
    ensure_export(tiny_model, quantized=False, export=export)
    assert export.calls == 3


@pytest.mark.unit
def test_a_changed_model_folder_is_exported_again(tiny_model):
    from vectorstore.onnx_embeddings import ensure_export

    export = CountingBuild()
    ensure_export(tiny_model, quantized=False, export=export)
    (tiny_model / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 128}))
    ensure_export(tiny_model, quantized=False, export=export)
    assert export.calls == 2


@pytest.mark.unit
def test_the_int8_file_is_built_from_the_fp32_export_and_cached_too(tiny_model):
    from vectorstore.onnx_embeddings import ensure_export

    export = CountingBuild()
    quantized: list[Path] = []

    def quantize(fp32: Path, out: Path) -> None:
        quantized.append(fp32)
        out.write_bytes(fp32.read_bytes())

    path = ensure_export(tiny_model, quantized=True, export=export, quantize=quantize)
    assert path.name == "model_int8.onnx" and quantized == [tiny_model / "onnx" / "model.onnx"]
    ensure_export(tiny_model, quantized=True, export=export, quantize=quantize)
    assert export.calls == 1 and len(quantized) == 1
    path.write_bytes(b"damaged")
    ensure_export(tiny_model, quantized=True, export=export, quantize=quantize)
    assert export.calls == 1 and len(quantized) == 2


# --- the embedder ----------------------------------------------------------------------------------------------------


@pytest.mark.unit
def test_onnx_vectors_are_normalised_in_input_order_whatever_the_batching(tiny_model):
    from vectorstore.onnx_embeddings import OnnxEmbeddings

    texts = ["le plan de la saison", "eau", "budget feux rail grève le plan eau", "la", "saison de la grève"]
    batched = OnnxEmbeddings(tiny_model, batch_size=2, quantized=False, export=_tiny_export).embed_documents(texts)
    one_by_one = OnnxEmbeddings(tiny_model, batch_size=1, quantized=False, export=_tiny_export)
    for text, vector in zip(texts, batched):
        assert abs(math.sqrt(sum(v * v for v in vector)) - 1) < 1e-5
        assert _cos(vector, one_by_one.embed_documents([text])[0]) > 0.99999
    assert _cos(batched[1], batched[3]) < 0.99  # different texts, different vectors (the test can fail)


@pytest.mark.unit
def test_onnx_uses_the_models_query_and_document_prompts_and_caches_questions(tiny_model):
    from vectorstore.onnx_embeddings import OnnxEmbeddings

    emb = OnnxEmbeddings(tiny_model, quantized=False, export=_tiny_export)
    query, document = emb.embed_query("budget"), emb.embed_documents(["budget"])[0]
    assert _cos(query, document) < 0.999
    assert _cos(query, emb.embed_queries(["budget"])[0]) > 0.99999
    assert emb.embed_query("budget") is query
    assert emb.embed_documents([]) == [] and emb.embed_queries([]) == []


# --- the index's record ----------------------------------------------------------------------------------------------


def _real_settings(data_dir: Path, backend: str):
    from assistant.settings import ModelSettings, Settings

    settings = Settings.for_tests(data_dir)
    return settings.model_copy(update={"models": ModelSettings(embedder_backend=backend)})


def _container(data_dir: Path, backend: str):
    """A container configured for the real model but embedding with the hash fake (no model is loaded)."""
    from assistant.container import Container
    from vectorstore.embeddings import HashEmbeddings

    container = Container(_real_settings(data_dir, backend))
    container.__dict__["embeddings"] = HashEmbeddings()
    return container


@pytest.mark.unit
def test_the_manifest_records_the_backend_and_another_backend_is_refused(tmp_path, corpus):
    from core.integrity import IndexMismatch

    data = tmp_path / "data"
    built = _container(data, "onnx-int8")
    assert built.ingestor.ingest_paths([corpus]).ok
    assert built.manifest.embedder() == {"model": "embeddinggemma-300m", "backend": "onnx-int8"}
    with pytest.raises(IndexMismatch) as err:
        _container(data, "torch").store  # noqa: B018
    assert "COMMUNIQUES_MODELS__EMBEDDER_BACKEND=onnx-int8" in str(err.value)
    assert "communiques reindex" in str(err.value)
    assert _container(data, "onnx-int8").store.count() > 0


@pytest.mark.unit
def test_an_index_without_a_recorded_backend_counts_as_torch(tmp_path, corpus):
    from assistant.container import Container
    from assistant.settings import Settings
    from core.integrity import IndexMismatch
    from ingest.manifest import Manifest

    data = tmp_path / "data"
    # The hash fake records nothing: like an index made before the record existed.
    assert Container(Settings.for_tests(data)).ingestor.ingest_paths([corpus]).ok
    assert Manifest(data / "manifest.sqlite").embedder() is None
    assert _container(data, "torch").store.count() > 0
    with pytest.raises(IndexMismatch, match="COMMUNIQUES_MODELS__EMBEDDER_BACKEND=torch"):
        _container(data, "onnx").store  # noqa: B018


@pytest.mark.unit
def test_the_doctor_and_the_error_message_name_the_fix_for_an_index_of_another_backend(tmp_path, corpus):
    from assistant.doctor import _check_index
    from assistant.errors import explain

    data = tmp_path / "data"
    assert _container(data, "torch").ingestor.ingest_paths([corpus]).ok
    assert _check_index(_real_settings(data, "torch")).ok
    assert "sentence vectors" not in _check_index(_real_settings(data, "torch")).detail
    (data / "sentences.sqlite").unlink()  # an index built before the sentences were embedded at ingest
    fine = _check_index(_real_settings(data, "torch"))
    assert fine.ok and "no sentence vectors" in fine.detail and "communiques reindex" in fine.detail
    check = _check_index(_real_settings(data, "onnx-int8"))
    assert not check.ok and "torch" in check.detail
    assert "COMMUNIQUES_MODELS__EMBEDDER_BACKEND=torch" in check.fix and "communiques reindex" in check.fix
    with pytest.raises(Exception) as err:
        _container(data, "onnx-int8").retriever  # noqa: B018
    assert "communiques reindex" in explain(err.value, _real_settings(data, "onnx-int8"))


@pytest.mark.unit
def test_an_empty_index_takes_the_configured_backend(tmp_path):
    data = tmp_path / "data"
    _container(data, "torch").store  # noqa: B018
    container = _container(data, "onnx")
    container.store  # noqa: B018 - nothing indexed yet: no mismatch, the new backend is recorded
    assert container.manifest.embedder()["backend"] == "onnx"


@pytest.mark.unit
def test_another_model_is_refused_too(tmp_path):
    from core.integrity import IndexMismatch, check_embedder

    check_embedder({"model": "a", "backend": "onnx"}, {"model": "a", "backend": "onnx"}, tmp_path)
    with pytest.raises(IndexMismatch, match="model 'a'"):
        check_embedder({"model": "a", "backend": "onnx"}, {"model": "b", "backend": "onnx"}, tmp_path)


# --- the real model ----------------------------------------------------------------------------------------------------

SENTENCES = [
    "Le ministère de l'Intérieur lance la saison de prévention des feux de forêt le 1er juillet.",
    "The Ministry of Foreign Affairs welcomed the delegation of Qasimar on 30 April 2025.",
    "أعلنت وزارة الفلاحة عن برنامج لدعم صغار الفلاحين خلال موسم الجفاف.",
    "Le projet de loi de finances pour 2026 prévoit un déficit public ramené à 4,7 % du PIB.",
    "Schools reopen on 1 September; the winter holidays start on 20 December.",
]


@pytest.fixture(scope="module")
def gemma():
    from assistant.models import EMBEDDINGGEMMA, resolve_model
    from assistant.settings import ModelSettings

    return resolve_model(None, EMBEDDINGGEMMA, ModelSettings().cache_dir)


@pytest.mark.integration
@pytest.mark.slow
def test_onnx_int8_vectors_are_close_to_torch_and_the_export_is_reused(gemma, caplog):
    import logging

    from vectorstore.embeddings import SentenceTransformerEmbeddings
    from vectorstore.onnx_embeddings import INT8_FILE, OnnxEmbeddings

    torch_emb = SentenceTransformerEmbeddings(gemma)
    onnx_emb = OnnxEmbeddings(gemma, quantized=True)
    docs = [_cos(a, b) for a, b in zip(torch_emb.embed_documents(SENTENCES), onnx_emb.embed_documents(SENTENCES))]
    queries = [_cos(torch_emb.embed_query(s), onnx_emb.embed_query(s)) for s in SENTENCES[:3]]
    assert min(docs + queries) >= 0.98, (docs, queries)
    # The queries' prompt is used: a question's vector is not its passage's.
    assert _cos(onnx_emb.embed_query(SENTENCES[0]), onnx_emb.embed_documents([SENTENCES[0]])[0]) < 0.99

    int8 = gemma / "onnx" / INT8_FILE
    built_at = int8.stat().st_mtime_ns
    with caplog.at_level(logging.INFO, logger="vectorstore.onnx_embeddings"):
        OnnxEmbeddings(gemma, quantized=True, export=_must_not_export).embed_query("réutilisé")
    assert int8.stat().st_mtime_ns == built_at
    assert not [r for r in caplog.records if "built" in r.getMessage()]


def _must_not_export(model_dir: Path, out: Path) -> None:
    raise AssertionError("the cached export should have been reused")


@pytest.mark.integration
@pytest.mark.slow
def test_the_default_backend_indexes_and_finds_the_right_releases(gemma, tmp_path):
    """The shipped configuration (onnx-int8) end to end: ingest real releases, record the backend, retrieve."""
    import shutil

    from assistant.container import Container
    from assistant.settings import Settings
    from tests.conftest import SAMPLE

    folder = tmp_path / "releases"
    folder.mkdir()
    for name in ("mth-2025-03-12-plan-eau.md", "misp-2025-06-20-saison-feux.md",
                 "mer-2025-07-03-accord-peche-qasimar.md", "educ-2025-05-22-calendrier-scolaire.txt"):
        shutil.copy(SAMPLE / name, folder / name)
    container = Container(Settings(data_dir=tmp_path / "data"))
    assert container.settings.models.embedder_backend == "onnx-int8"
    assert container.ingestor.ingest_paths([folder]).ok
    assert container.manifest.embedder() == {"model": "embeddinggemma-300m", "backend": "onnx-int8"}
    questions = {
        "Quel est le montant du fonds « Eau pour tous » prévu par le plan national pour l'eau potable ?":
            "mth-2025-03-12-plan-eau",
        "Under the 2025 fisheries agreement with Qasimar, how many Valmontese vessels may fish in Qasimari waters?":
            "mer-2025-07-03-accord-peche-qasimar",
        "When is the 2026 winter school holiday for zone A in Valmont?": "educ-2025-05-22-calendrier-scolaire",
    }
    for question, doc_id in questions.items():
        top = container.retriever.retrieve(question).passages[0]
        assert top.chunk.doc_id == doc_id, (question, top.chunk.doc_id)
