"""What a run depends on, recorded beside its results and its feedback so that figures can be traced to a setup."""

from __future__ import annotations

import hashlib
import json
import subprocess

from assistant.models import EMBEDDINGGEMMA, QWEN_1_5B
from assistant.prompts import SYSTEM_PROMPT
from assistant.settings import Settings


def settings_snapshot(settings: Settings) -> dict:
    """What a run depends on: models with hashes, retrieval, chunking and prompt parameters, git commit."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5).stdout.strip()
    except OSError:
        commit = ""
    snap = json.loads(settings.model_dump_json(exclude={"llm": {"api_key"}}))
    snap["embedder_sha256"] = settings.models.embedder_sha256 or EMBEDDINGGEMMA.sha256
    snap["llm_sha256"] = settings.llm.model_sha256 or QWEN_1_5B.sha256
    snap["prompt_sha256"] = hashlib.sha256(SYSTEM_PROMPT.encode()).hexdigest()[:12]
    snap["git_commit"] = commit
    return snap
