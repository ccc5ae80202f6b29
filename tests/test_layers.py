"""The layers hold: import-linter's contracts (pyproject.toml) are kept, and a planted breach of each is caught."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "textkit", "ingest", "vectorstore", "assistant", "ui")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    # The packages are found from the working directory, so a copy is checked as itself, not as the installed tree.
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "planted", "contract"), [
    ("textkit/terms.py", "import vectorstore.keyword", "The foundations import nothing of the project"),
    ("core/types.py", "import assistant.settings", "The foundations import nothing of the project"),
    ("ingest/pipeline.py", "import vectorstore.store", "One-way layers"),
    ("vectorstore/retriever.py", "import assistant.prompts", "One-way layers"),
    ("ui/render.py", "import vectorstore.retriever", "The web app talks to assistant only"),
    ("assistant/container.py", "import assistant.cli", "No import cycles"),
])
def test_a_planted_breach_is_caught(tmp_path, module, planted, contract):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / module
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + sep + planted + "\n" + rest, encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout
