"""The sentence-transformers embedder run by ONNX Runtime: exported once from the local model folder (never
downloaded), optionally with dynamic int8 weights, cached beside the model with its own sha256.

The exported graph holds the whole sentence-transformers pipeline of EmbeddingGemma: the transformer, mean pooling
over the attention mask, the two Dense layers and the L2 normalisation; tokenisation is done by the ``tokenizers``
library from the model's ``tokenizer.json``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from vectorstore.embeddings import PromptedEmbeddings, load_sentence_transformer

log = logging.getLogger(__name__)

# Bump when the export or the quantisation changes: cached files of another version are rebuilt.
EXPORT_VERSION = 3
FP32_FILE = "model.onnx"
INT8_FILE = "model_int8.onnx"
# The MLP down-projections take the widest activations of the network: with every MatMul in int8 the vectors fell to
# cosine 0.979 mean / 0.977 min to PyTorch's (five FR/EN/AR sentences); with these 24 kept in fp32, 0.994 / 0.993.
KEEP_FP32 = ("mlp/down_proj/MatMul",)

# build(out_file): writes one ONNX file.
Build = Callable[[Path], None]


def _import_onnxruntime():
    try:
        import onnxruntime
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("The ONNX embedder backend needs onnxruntime: run `make install` (or `pip install "
                           "onnxruntime`), or set COMMUNIQUES_MODELS__EMBEDDER_BACKEND=torch.") from exc
    return onnxruntime


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def source_signature(model_dir: Path) -> dict[str, list[int]]:
    """(size, mtime) of every file the export reads: a changed model folder invalidates the export."""
    files = {}
    for path in sorted(Path(model_dir).rglob("*")):
        rel = path.relative_to(model_dir).as_posix()
        if path.is_file() and not rel.startswith("onnx/") and path.suffix in (".json", ".safetensors", ".model"):
            stat = path.stat()
            files[rel] = [stat.st_size, stat.st_mtime_ns]
    return files


def cached_build(target: Path, source: dict, build: Build) -> Path:
    """``target``, built by ``build`` unless a valid copy is cached: same ``source`` and export version recorded in
    ``target.json``, and the file's sha256 equal to the recorded one (a damaged or half-written file is rebuilt).

    The caller holds the export lock. The file is built under a temporary name, then renamed.
    """
    record_path = target.with_name(target.name + ".json")
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        record = None
    if record and record.get("version") == EXPORT_VERSION and record.get("source") == source and target.exists():
        if _sha256(target) == record.get("sha256"):
            return target
        log.warning("onnx export damaged, rebuilding path=%s", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    record_path.unlink(missing_ok=True)
    started = time.perf_counter()
    build(tmp)
    os.replace(tmp, target)
    record = {"version": EXPORT_VERSION, "source": source, "sha256": _sha256(target),
              "seconds": round(time.perf_counter() - started, 1)}
    record_path.write_text(json.dumps(record, indent=1))
    log.info("onnx export built path=%s seconds=%.1f", target, record["seconds"])
    return target


def export_fp32(model_dir: Path, out: Path) -> None:
    """Export the sentence-transformers model in ``model_dir`` to one ONNX graph: token ids and attention mask in,
    L2-normalised sentence embeddings out (pooling and Dense layers inside the graph)."""
    import torch

    st = load_sentence_transformer(model_dir)
    transformer = st[0].auto_model
    # The eager attention exports to plain ONNX operators; the bidirectional mask comes from the model's config.
    transformer.config._attn_implementation = "eager"
    tail = [module for module in list(st)[1:]]

    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer
            self.tail = torch.nn.ModuleList(tail)

        def forward(self, input_ids, attention_mask):
            # transformers builds its masks with vmap, which the exporter cannot trace: the same additive masks,
            # written out (EmbeddingGemma attends both ways, within a window on its sliding layers).
            blocked = torch.finfo(torch.float32).min
            keys = attention_mask[:, None, None, :].bool()
            positions = torch.arange(input_ids.shape[1], device=input_ids.device)
            window = (positions[:, None] - positions[None, :]).abs() < transformer.config.sliding_window
            masks = {"full_attention": torch.where(keys, 0.0, blocked),
                     "sliding_attention": torch.where(keys & window[None, None], 0.0, blocked)}
            hidden = self.transformer(input_ids=input_ids, attention_mask=masks).last_hidden_state
            features = {"token_embeddings": hidden, "attention_mask": attention_mask}
            for module in self.tail:
                features = module(features)
            return features["sentence_embedding"]

    encoder = Encoder().eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    with torch.inference_mode():
        torch.onnx.export(encoder, (ids, mask), str(out), input_names=["input_ids", "attention_mask"],
                          output_names=["sentence_embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"},
                                        "sentence_embedding": {0: "batch"}})


def quantize_int8(fp32: Path, out: Path, keep_fp32: tuple[str, ...] = KEEP_FP32) -> int:
    """Dynamic int8 weights for the MatMuls of ``fp32``, except those whose node name contains one of ``keep_fp32``;
    returns how many were kept in fp32."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32), load_external_data=False).graph
    kept = [n.name for n in graph.node if n.op_type == "MatMul" and any(k in n.name for k in keep_fp32)]
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                     nodes_to_exclude=kept)
    return len(kept)


def ensure_export(model_dir: Path, quantized: bool, export: Callable[[Path, Path], None] = export_fp32,
                  quantize: Callable[[Path, Path], object] = quantize_int8) -> Path:
    """The cached ONNX file of the model in ``model_dir`` (int8 if ``quantized``), exported on first use.

    One process exports at a time (a file lock beside the export); the others wait and reuse its file.
    """
    from filelock import FileLock

    model_dir = Path(model_dir)
    onnx_dir = model_dir / "onnx"
    onnx_dir.mkdir(exist_ok=True)
    source = source_signature(model_dir)
    with FileLock(str(onnx_dir / ".export.lock")):
        def fp32() -> Path:
            return cached_build(onnx_dir / FP32_FILE, source, lambda out: export(model_dir, out))

        if not quantized:
            return fp32()
        return cached_build(onnx_dir / INT8_FILE, {**source, "keep_fp32": list(KEEP_FP32)},
                            lambda out: quantize(fp32(), out))


class OnnxEmbeddings(PromptedEmbeddings):
    """The sentence-transformers model in ``path`` run by ONNX Runtime (fp32, or int8 weights if ``quantized``).

    Same prompts and L2-normalised vectors as :class:`SentenceTransformerEmbeddings`; texts are sorted by length
    before batching (less padding), vectors returned in the order given.
    """

    def __init__(self, path: Path, query_prompt: str | None = "query", document_prompt: str | None = "document",
                 batch_size: int = 8, cache_size: int = 512, quantized: bool = True, threads: int | None = None,
                 export: Callable[[Path, Path], None] = export_fp32):
        super().__init__(path, query_prompt, document_prompt, batch_size, cache_size)
        self.quantized = quantized
        self.threads = threads
        self._export = export
        self._session = None
        self._tokenizer = None
        self._prompts: dict[str, str] = {}

    def _load(self) -> None:
        ort = _import_onnxruntime()
        from tokenizers import Tokenizer

        model_file = ensure_export(self.path, self.quantized, export=self._export)
        config = self.path / "config_sentence_transformers.json"
        self._prompts = json.loads(config.read_text()).get("prompts", {}) if config.exists() else {}
        max_length = 512
        bert_config = self.path / "sentence_bert_config.json"
        if bert_config.exists():
            max_length = json.loads(bert_config.read_text()).get("max_seq_length") or max_length
        tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length)
        options = ort.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
        log.info("loading onnx embedder path=%s", model_file)
        self._session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizer

    @property
    def session(self):
        """The ONNX Runtime session (the export is built or checked, and loaded, on first access)."""
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._load()
        return self._session

    def _encode(self, texts: list[str], prompt_name: str | None) -> list[list[float]]:
        import numpy as np

        session = self.session
        prefix = self._prompts.get(prompt_name, "") if prompt_name else ""
        encodings = self._tokenizer.encode_batch([prefix + t for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            out = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            out = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
            for row, i in enumerate(batch):
                vectors[i] = out[row].tolist()
        return vectors
