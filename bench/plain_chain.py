"""The baseline: a stock LangChain pipeline on the same models, scored like the product.

RecursiveCharacterTextSplitter(1000, 200), Chroma retriever k=4, a "stuff" prompt, Qwen 1.5B through the same
llama.cpp backend, no verification. Usage:

  python bench/plain_chain.py --corpus examples/communiques --questions examples/testset.jsonl --per-category 3 \\
      --out runs/plain --product-run runs/product

It writes OUT/results.jsonl and OUT/summary.json in the same shape as `communiques eval`, so that
`communiques eval compare` works on the two; with --product-run it also answers the same questions with the
product (same machine, same run) for a side-by-side table.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.container import Container  # noqa: E402
from assistant.evaluation import load_testset, run_eval, score_answer, summarize, summarize_by_category  # noqa: E402
from assistant.settings import Settings  # noqa: E402

STUFF = ("Use the following pieces of context to answer the question at the end. If you don't know the answer, "
         "just say that you don't know, don't try to make up an answer.\n\n{context}\n\nQuestion: {question}\n"
         "Helpful Answer:")


def pick(questions, per_category: int | None):
    if not per_category:
        return questions
    seen: dict[str, int] = {}
    out = []
    for q in questions:
        if seen.get(q.category, 0) < per_category:
            seen[q.category] = seen.get(q.category, 0) + 1
            out.append(q)
    return out


def build_plain(container: Container, corpus: list[Path], data_dir: Path):
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.loaders import iter_sources, load_path

    docs = [item.doc for path, root in iter_sources(corpus) for item in load_path(path, root, 10**8) if item.doc]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    pieces = splitter.split_documents([Document(d.text, metadata={"doc_id": d.doc_id}) for d in docs])
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(str(data_dir / "plain-chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(client=client, collection_name="plain", embedding_function=container.embeddings)
    if len(store.get(include=[])["ids"]) != len(pieces):
        store.delete_collection()
        store = Chroma(client=client, collection_name="plain", embedding_function=container.embeddings)
        store.add_documents(pieces, ids=[f"p{i}" for i in range(len(pieces))])
    return store.as_retriever(search_kwargs={"k": 4})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, nargs="+", required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=Path("data-bench"))
    parser.add_argument("--per-category", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path("runs/plain"))
    parser.add_argument("--product-run", type=Path, default=None)
    args = parser.parse_args()
    container = Container(Settings().model_copy(update={"data_dir": args.data_dir}))
    container.ingestor.ingest_paths(args.corpus)
    questions = pick(load_testset(args.questions), args.per_category)
    retriever = build_plain(container, args.corpus, args.data_dir)
    llm = container.llm
    args.out.mkdir(parents=True, exist_ok=True)
    scores = []
    with (args.out / "results.jsonl").open("w") as fh:
        for q in questions:
            t0 = time.perf_counter()
            docs = retriever.invoke(q.question)
            sources = time.perf_counter() - t0
            prompt = STUFF.format(context="\n\n".join(d.page_content for d in docs), question=q.question)
            first, text = None, ""
            for piece in llm.stream(prompt):
                first = first or time.perf_counter() - t0
                text += piece.content
            total = time.perf_counter() - t0
            cited = [int(n) for n in re.findall(r"\[(\d+)\]", text) if 1 <= int(n) <= len(docs)]
            payload = {"id": q.id, "question": q.question, "answer": text.strip(), "abstained": False,
                       "citations": [{"doc_id": docs[n - 1].metadata["doc_id"]} for n in cited],
                       "retrieved": [{"doc_id": d.metadata["doc_id"]} for d in docs], "sentences": [],
                       "timings": {"sources_s": sources, "first_token_s": first or total, "total_s": total}}
            # The stock chain has no notion of refusal: an answer saying it does not know counts as one.
            payload["abstained"] = bool(re.search(r"don't know|do not know|ne sais pas|not (?:mentioned|provided)",
                                                  text, re.IGNORECASE))
            scores.append(score_answer(q, payload))
            fh.write(json.dumps({**payload, "category": q.category}, ensure_ascii=False) + "\n")
            print(q.id, round(total, 1), file=sys.stderr)
    summary = {"overall": summarize(scores), "by_category": summarize_by_category(scores)}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    if args.product_run:
        from assistant.snapshot import settings_snapshot

        product = run_eval(container.chain, questions, args.product_run, settings_snapshot(container.settings),
                           progress=False)
        keys = ["cited_right", "key_facts", "refusals", "false_refusals", "recall@5", "first_token_s_p50", "total_s_p50"]
        print("| metric | plain LangChain | Communiqués |\n|---|---|---|")
        for k in keys:
            print(f"| {k} | {summary['overall'].get(k)} | {product['overall'].get(k)} |")


if __name__ == "__main__":
    main()
