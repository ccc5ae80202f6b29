"""`communiques doctor`: checks what a first run needs, one line per check, each failure with its fix.

Like ``brew doctor``: nothing is changed. The model is loaded and asked for a few tokens in a child process, so that
a crash (a CPU feature the build uses and this machine lacks, llama.cpp's AMX kernels) is reported, not suffered.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import Settings

# llama.cpp's names for the instruction sets it was built with, and /proc/cpuinfo's flag for each.
CPU_FLAGS = {
    "SSE3": "pni", "SSSE3": "ssse3", "AVX": "avx", "AVX2": "avx2", "F16C": "f16c", "FMA": "fma", "BMI2": "bmi2",
    "AVX_VNNI": "avx_vnni", "AVX512": "avx512f", "AVX512_VBMI": "avx512vbmi", "AVX512_VNNI": "avx512_vnni",
    "AVX512_BF16": "avx512_bf16", "AMX_INT8": "amx_int8", "AMX_TILE": "amx_tile", "AMX_BF16": "amx_bf16",
}
# Instruction sets a build must never use, whatever the machine: llama.cpp's AMX kernels crash on Q4_K models
# (ggml-org/llama.cpp#20824).
FORBIDDEN = {"AMX_INT8", "AMX_TILE", "AMX_BF16"}


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def cpu_flags(cpuinfo: str | None = None) -> set[str]:
    """The CPU's feature flags (from /proc/cpuinfo; empty where it does not exist)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return set()
    line = next((x for x in cpuinfo.splitlines() if x.startswith("flags")), "")
    return set(line.split(":", 1)[1].split()) if ":" in line else set()


def llama_features(system_info: str) -> set[str]:
    """The instruction sets in llama.cpp's system info ("AVX2 = 1 | AMX_INT8 = 0 | …") that the build uses."""
    return {name for name, on in re.findall(r"([A-Z0-9_]+)\s*=\s*(\d)", system_info) if on == "1"}


def unsafe_features(used: set[str], flags: set[str]) -> tuple[set[str], set[str]]:
    """(forbidden features the build uses, features it uses that this CPU lacks)."""
    known = {f for f in used if f in CPU_FLAGS}
    return known & FORBIDDEN, {f for f in known if CPU_FLAGS[f] not in flags}


def llama_system_info() -> str:
    """llama.cpp's own account of the instruction sets it was built with."""
    import llama_cpp

    info = llama_cpp.llama_print_system_info()
    return info.decode() if isinstance(info, bytes) else str(info)


def _check_python() -> Check:
    ok = sys.version_info[:2] == (3, 11)
    return Check("python", ok, f"Python {sys.version.split()[0]}", "" if ok else "Install Python 3.11 and run `make run`.")


def _check_build() -> Check:
    try:
        used = llama_features(llama_system_info())
    except ImportError:
        return Check("llama.cpp build", False, "llama-cpp-python is not installed", "Run `make install`.")
    except Exception as exc:  # its library would not load (missing, or built for another machine)
        return Check("llama.cpp build", False, f"llama.cpp does not load: {type(exc).__name__}: {str(exc)[:160]}",
                     "Rebuild portably: `rm -rf .venv && make install`.")
    forbidden, missing = unsafe_features(used, cpu_flags())
    if forbidden or missing:
        what = ", ".join(sorted(forbidden | missing))
        return Check("llama.cpp build", False, f"built with {what}, unsafe on this CPU",
                     "Rebuild portably: `rm -rf .venv && make install` (the Makefile builds without -march=native).")
    return Check("llama.cpp build", True, "portable: " + " ".join(sorted(used & set(CPU_FLAGS))))


def _model_file(settings: Settings, which: str) -> tuple[Path, str | None]:
    """The file of a model whose sha256 is checked, and the sha256 expected (None: none configured)."""
    from assistant.models import EMBEDDINGGEMMA, QWEN_1_5B, _checked_path

    if which == "embedder":
        own, sha, spec = settings.models.embedder_path, settings.models.embedder_sha256, EMBEDDINGGEMMA
    else:
        own, sha, spec = settings.llm.model_path, settings.llm.model_sha256, QWEN_1_5B
    if own is not None:
        own = Path(own).expanduser()
        return (own / spec.checked_file if own.is_dir() and spec.checked_file else own), sha
    return _checked_path(spec, settings.models.cache_dir), spec.sha256


def _check_models(settings: Settings) -> list[Check]:
    from assistant.models import sha256_of

    out = []
    for which in ("embedder", "llm"):
        if which == "llm" and settings.llm.backend != "llamacpp":
            continue
        path, expected = _model_file(settings, which)
        if not path.exists():
            out.append(Check(f"{which} model", False, f"{path} is missing", "Run `make models`."))
            continue
        actual = sha256_of(path)
        ok = expected is None or actual == expected
        out.append(Check(f"{which} model", ok, f"{path} ({'sha256 checked' if expected else 'no sha256 configured'})"
                         if ok else f"{path}: sha256 {actual[:12]}… is not the expected {expected[:12]}…",
                         "" if ok else "Delete the file and run `make models` again."))
    return out


_GENERATE = """
import sys
from llama_cpp import Llama
llm = Llama(model_path=sys.argv[1], n_ctx=256, verbose=False)
out = llm.create_chat_completion(messages=[{"role": "user", "content": "Say OK."}], max_tokens=4, temperature=0)
print(repr(out["choices"][0]["message"]["content"]))
"""


def _check_generation(settings: Settings, timeout_s: float = 300.0) -> Check:
    """The model loads and writes a few tokens, in a child process."""
    if settings.llm.backend != "llamacpp":
        return Check("llm generates", True, f"backend={settings.llm.backend}: not loaded here")
    from assistant.llm_process import describe_exit

    path, _ = _model_file(settings, "llm")
    if not path.exists():
        return Check("llm generates", False, "no model to load", "Run `make models`.")
    try:
        run = subprocess.run([sys.executable, "-c", _GENERATE, str(path)], capture_output=True, text=True,
                             timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return Check("llm generates", False, f"no answer within {timeout_s:g} s", "Check the machine's load and memory.")
    if run.returncode != 0:
        tail = (run.stderr.strip().splitlines() or [""])[-1][:160]
        return Check("llm generates", False, f"the model process died ({describe_exit(run.returncode)}) {tail}",
                     "Rebuild llama.cpp portably: `rm -rf .venv && make install`; then `communiques doctor` again.")
    return Check("llm generates", True, f"wrote {run.stdout.strip()}")


def _check_embedder(settings: Settings) -> Check:
    from assistant.container import Container

    path, _ = _model_file(settings, "embedder")
    if settings.models.embedder != "hash" and not path.exists():  # (never fetched from here: the doctor changes nothing)
        return Check("embedder encodes", False, "no model to load", "Run `make models`.")
    try:
        vector = Container(settings).embeddings.embed_query("Combien ?")
    except Exception as exc:  # any failure is what the user needs to see
        return Check("embedder encodes", False, f"{type(exc).__name__}: {str(exc)[:160]}", "Run `make models`.")
    return Check("embedder encodes", True, f"{len(vector)} dimensions")


def _check_index(settings: Settings) -> Check:
    from assistant.container import Container

    if not (settings.data_dir / "manifest.sqlite").exists():  # (the doctor creates nothing: not even the folder)
        return Check("index", True, f"{settings.data_dir}: no index yet (add documents with `communiques ingest "
                                    "FOLDER`)")
    container = Container(settings)
    try:
        manifest = container.manifest
        chunks = manifest.indexed_chunks()
        documents = None
    except Exception as exc:  # a damaged index is reported with its own message
        return Check("index", False, f"{settings.data_dir}: {str(exc)[:200]}",
                     f"Re-ingest: `communiques ingest FOLDER --data-dir {settings.data_dir}`.")
    if not chunks:
        return Check("index", True, f"{settings.data_dir}: empty (add documents with `communiques ingest FOLDER`)")
    from core.integrity import IndexMismatch, check_embedder

    current = container.embedder_identity
    try:
        if current is not None:
            check_embedder(manifest.embedder(), current, settings.data_dir)
    except IndexMismatch as exc:
        recorded = (manifest.embedder() or {}).get("backend", "torch")
        return Check("index", False, f"{settings.data_dir}: built by another embedder ({recorded}, "
                                     f"{current['backend']} configured)", str(exc)[str(exc).index("Either"):])
    what = f"{documents} documents, " if documents is not None else ""
    # An index built before the sentences were embedded at ingest answers all the same, each question embedding its
    # candidate sentences (about three times the time): said, with the command that adds them.
    sentences = container.sentence_store
    slow = sentences is not None and not sentences.count()
    note = (f"; no sentence vectors (answers embed their sentences, about 3x slower): `communiques reindex "
            f"--data-dir {settings.data_dir}` adds them") if slow else ""
    return Check("index", True, f"{settings.data_dir}: {what}{chunks} passages{note}")


def _check_disk(settings: Settings, need_gb: float = 3.0) -> Check:
    where = settings.data_dir if settings.data_dir.exists() else Path.cwd()
    free = shutil.disk_usage(where).free / 1e9
    ok = free >= need_gb
    return Check("free disk", ok, f"{free:.1f} GB free in {where}",
                 "" if ok else f"Free at least {need_gb:g} GB (models and index).")


def _check_port(settings: Settings) -> Check:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((settings.host, settings.port))
        except OSError as exc:
            return Check("port", False, f"{settings.host}:{settings.port} is taken ({exc.strerror})",
                         f"Stop what uses it, or set COMMUNIQUES_PORT to another port.")
    return Check("port", True, f"{settings.host}:{settings.port} is free")


def _check_chromium() -> Check:
    found = shutil.which("chromium")
    return Check("chromium (browser tests)", bool(found), found or "not installed",
                 "" if found else "`apt-get install chromium` (only `make test` needs it).")


def run_checks(settings: Settings, port: bool = True, generate: bool = True) -> list[Check]:
    """Every check, in the order a first run needs them."""
    steps: list[Callable[[], Check | list[Check]]] = [
        _check_python, _check_build, lambda: _check_models(settings)]
    if generate:
        steps.append(lambda: _check_generation(settings))
    steps += [lambda: _check_embedder(settings), lambda: _check_index(settings), lambda: _check_disk(settings)]
    if port:
        steps.append(lambda: _check_port(settings))
    steps.append(_check_chromium)
    out: list[Check] = []
    for i, step in enumerate(steps):
        try:
            result = step()
        except Exception as exc:  # one check that fails to run is a failed line, not a traceback
            result = Check(f"check {i + 1}", False, f"could not run: {type(exc).__name__}: {str(exc)[:160]}",
                           "Report this line with the output of `communiques --help`.")
        out.extend(result if isinstance(result, list) else [result])
    return out


def report(checks: list[Check]) -> str:
    """One line per check: ✔ or ✘, what was found, and for a failure what to do."""
    lines = []
    for c in checks:
        lines.append(f"{'✔' if c.ok else '✘'} {c.name}: {c.detail}")
        if not c.ok and c.fix:
            lines.append(f"    → {c.fix}")
    return "\n".join(lines)


def required_ok(checks: list[Check]) -> bool:
    """Whether serving can start (Chromium is only needed by the tests)."""
    return all(c.ok for c in checks if not c.name.startswith("chromium"))

