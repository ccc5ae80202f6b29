"""Two app processes behind one Chroma server, on loopback: what docs/deployment.md describes."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.servers import chroma_cmd, free_port, running

pytestmark = [pytest.mark.server, pytest.mark.integration, pytest.mark.slow]

CLI = str(Path(sys.executable).parent / "communiques")


def ask(url: str, question: str) -> tuple[str, str]:
    """The final (answer, sources panel) of one chat turn through the app's queue."""
    from gradio_client import Client

    history, panel = Client(url, verbose=False).predict(question, [], "", "", "", "", "", api_name="/respond")
    content = history[-1]["content"]
    text = " ".join(str(c.get("text", "")) for c in content) if isinstance(content, list) else str(content)
    return text, panel


def test_two_app_processes_share_one_chroma_server(tmp_path, corpus):
    chroma_port = free_port()
    base = dict(os.environ, COMMUNIQUES_CHROMA__HOST="127.0.0.1", COMMUNIQUES_CHROMA__PORT=str(chroma_port),
                COMMUNIQUES_MODELS__EMBEDDER="hash", COMMUNIQUES_LLM__BACKEND="fake",
                COMMUNIQUES_RETRIEVAL__MIN_DENSE="0")
    # Each app has its own data dir (manifest, keyword index): the chunks live only in the Chroma server.
    envs = [dict(base, COMMUNIQUES_DATA_DIR=str(tmp_path / f"app{i}")) for i in (1, 2)]
    with ExitStack() as stack:
        stack.enter_context(running(chroma_cmd(tmp_path / "chroma", chroma_port),
                                    f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", tmp_path / "chroma.log"))
        subprocess.run([CLI, "ingest", str(corpus / "plan-eau.md")], env=envs[0], check=True, capture_output=True)
        urls = []
        for i, env in enumerate(envs):
            port = free_port()
            stack.enter_context(running([CLI, "serve", "--port", str(port)], f"http://127.0.0.1:{port}/",
                                        tmp_path / f"app{i}.log", timeout=120, env=env))
            urls.append(f"http://127.0.0.1:{port}/")
        for url in urls:
            answer, panel = ask(url, "Combien de postes de techniciens le plan pour l'eau potable crée-t-il ?")
            assert "[1](#cite-0-1)" in answer and "Lancement du plan" in panel
        # A communiqué ingested through the first app's data dir is found by the second app too.
        subprocess.run([CLI, "ingest", str(corpus / "greve.txt")], env=envs[0], check=True, capture_output=True)
        answer, panel = ask(urls[1], "Quelle hausse des salaires prévoit l'accord de sortie de grève dans le rail ?")
        assert "[1](#cite-0-1)" in answer and "Accord de sortie de grève" in panel
