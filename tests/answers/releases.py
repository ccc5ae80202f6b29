"""Releases and scripted models for the answer tests."""

from __future__ import annotations

# A question of the plan for water, answered from the sample corpus.
Q = "Combien de postes de techniciens le plan pour l'eau crée-t-il ?"


def release(tmp_path, name: str, *paragraphs: str):
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.md").write_text(
        "---\ntitle: Compte rendu du Conseil des ministres\nissuer: Gouvernement\ndate: 2023-03-15\nlang: fr\n---\n"
        + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


def scripted(make_container, folder, responses: list[str]):
    """A container whose model answers ``responses`` in turn, with ``folder`` ingested."""
    c = make_container(responses)
    c.ingestor.ingest_paths([folder])
    return c
