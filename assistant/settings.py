"""Typed settings. Every field can be overridden by an environment variable ``COMMUNIQUES_...``
(nested fields with a double underscore, e.g. ``COMMUNIQUES_LLM__BASE_URL``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache() -> Path:
    return Path.home() / ".cache" / "communiques" / "models"


class ModelSettings(BaseModel):
    """Where the embedding model comes from."""

    cache_dir: Path = Field(default_factory=_default_cache, description="Where packaged models are assembled and cached.")
    embedder: Literal["sentence-transformers", "hash"] = Field(
        "sentence-transformers", description="`sentence-transformers` (real model) or `hash` (deterministic fake, for tests)."
    )
    embedder_path: Path | None = Field(
        None, description="A local sentence-transformers folder to use instead of the packaged EmbeddingGemma-300M."
    )
    embedder_sha256: str | None = Field(None, description="Expected sha256 of the custom embedder's model.safetensors.")
    query_prompt: str | None = Field("query", description="sentence-transformers prompt name for questions (None: no prompt).")
    document_prompt: str | None = Field("document", description="sentence-transformers prompt name for passages.")
    embedder_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8", description="How the sentence-transformers embedder runs: `torch` (PyTorch fp32), `onnx` (the "
                                 "model exported once to ONNX, run by onnxruntime, fp32) or `onnx-int8` (that export "
                                 "with dynamic int8 weights; 3.8-4.5x torch's chunks/s, same recall on the sample, "
                                 "docs/benchmarks.md). The vectors differ: an index built with one backend must be "
                                 "rebuilt (`communiques reindex`) to be searched with another.")
    batch_size: int = Field(8, description="Embedding batch size (8 measured fastest on 2 cores).")
    hash_dim: int = Field(256, description="Vector size of the hash embedder.")


class LLMSettings(BaseModel):
    """The generator: llama.cpp in process, any OpenAI-compatible server, or the scripted fake."""

    backend: Literal["llamacpp", "openai", "fake"] = Field("llamacpp", description="Which generator to use.")
    model_path: Path | None = Field(None, description="A local GGUF file instead of the packaged Qwen2.5-Coder-1.5B.")
    model_sha256: str | None = Field(None, description="Expected sha256 of `model_path`.")
    process: Literal["child", "in-process"] = Field(
        "child", description="backend=llamacpp: `child` runs the model in a child process, so that a native crash "
                             "fails one question, not the app; `in-process` loads it in the app's own process.")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (backend=openai).")
    model: str = Field("local", description="Model name sent to the OpenAI-compatible server.")
    api_key: str = Field("not-needed", description="API key for the OpenAI-compatible server.")
    timeout_s: float = Field(
        120.0, description="Longest wait for the LLM server to connect or send the next piece of the answer."
    )
    max_retries: int = Field(0, description="Retries of a failed LLM server request (each may wait `timeout_s` again).")
    n_ctx: int = Field(2048, description="llama.cpp context size.")
    n_threads: int | None = Field(None, description="llama.cpp threads (default: all cores).")
    n_batch: int = Field(512, description="llama.cpp prompt batch size (tokens evaluated per step).")
    max_tokens: int = Field(160, description="Upper bound on the answer length in tokens.")
    temperature: float = Field(0.0, description="Sampling temperature (0: deterministic).")
    slots: int = Field(
        1, ge=1, description="Questions the web app lets use the model at once; the others wait in line, and the page "
                             "says how many are ahead. 1 for llama.cpp (one model in one process); a server may take more.")
    fake_delay_s: float = Field(0.0, description="Pause of the fake backend before each streamed word (tests).")
    fake_responses: list[str] = Field(
        default_factory=list, description="Scripted answers of the fake backend, used in turn (tests)."
    )


class ChromaSettings(BaseModel):
    """The vector store: embedded on disk by default, or a Chroma server."""

    host: str | None = Field(None, description="Chroma server host; unset means embedded Chroma in the data dir.")
    port: int = Field(8000, description="Chroma server port.")
    collection: str = Field("communiques", description="Collection name.")
    timeout_s: float = Field(
        30.0, description="Longest wait for one request to the Chroma server; past it the question fails with a clear error."
    )


class RetrievalSettings(BaseModel):
    """How passages are found and trimmed."""

    fetch_k: int = Field(30, description="Candidates taken from each of the dense and keyword searches.")
    k: int = Field(5, description="Passages given to the model.")
    fusion: Literal["score", "rrf"] = Field(
        "score", description="`score`: cosine similarity plus a keyword bonus; `rrf`: reciprocal rank fusion of the "
                             "dense and keyword rankings (see docs/benchmarks.md).")
    keyword_bonus: float = Field(0.08, description="`score` fusion: what the best keyword match adds to a cosine.")
    date_bonus: float = Field(0.1, description="`score` fusion: what a passage of the date the question names adds.")
    rrf_k: int = Field(60, description="`rrf` fusion: reciprocal rank fusion constant.")
    dense_weight: float = Field(1.0, description="`rrf` fusion: weight of the dense ranking.")
    keyword_weight: float = Field(1.0, description="`rrf` fusion: weight of the keyword ranking.")
    max_per_doc: int = Field(2, description="At most this many passages of one document.")
    max_dense_gap: float | None = Field(
        0.2, description="Passages (after the first two) this much less similar to the question than the best one are "
                         "left out: distractors for a small model. None keeps all k.")
    passage_chars: int = Field(360, description="Each passage is trimmed to about this many characters for the prompt.")
    min_dense: float = Field(
        0.30, description="Below this best cosine similarity, and with no keyword evidence, the question is refused unasked."
    )


class ChunkSettings(BaseModel):
    """How documents are cut into passages."""

    target_chars: int = Field(300, description="Aim for passages of about this many characters.")
    max_chars: int = Field(450, description="Never more than this (a longer sentence is cut).")
    overlap_sentences: int = Field(1, description="Sentences repeated at the start of the next chunk of a paragraph run.")


class AnswerSettings(BaseModel):
    """How answers are built: from the sources' own sentences (evidence first), or written by the model and checked.

    Thresholds are cosine similarities of EmbeddingGemma (query prompt against document prompt) or IDF-weighted
    shares; each says the range where it was measured (bench/evidence.py, development sets only)."""

    mode: Literal["evidence", "model"] = Field(
        "evidence", description="`evidence`: the best source sentences, quoted and cited, refusals decided from what "
                                "they hold; `model`: the model writes, verification checks (the earlier pipeline).")
    disabled_rules: list[str] = Field(
        default_factory=lambda: ["model-says-no", "change", "second-release", "no-close-sentence"],
        description="Rules turned off by name (see `communiques rules`), e.g. [\"question-terms-missing\"]. "
                    "model-says-no and change are off: measured, neither changed the frozen split; "
                    "second-release is off: on frozen split 3 it added one key fact and cited a wrong release in "
                    "six more answers; no-close-sentence is off since the ninth round: left out, frozen splits 4 and "
                    "5 gave the same answers and three answerable development questions were no longer refused, no "
                    "near miss answered (docs/decisions/2026-12-evidence-first.md).")
    min_meaning: float = Field(
        0.35, description="no-close-sentence: the least similarity of a part's best sentence to it (measured 0.35-0.50 "
                          "on the development sets: 0.45 refused 7 more answerable questions of the sample and no "
                          "more unanswerable ones; 0.35 and 0.40 refused the same unanswerable ones; a lower bar "
                          "across languages, 0.30-0.40, changed no answer, so there is one bar).")
    kind_floor: float = Field(
        0.35, description="answer-type-missing: a sentence holding what is asked counts from this similarity "
                          "(measured 0.25-0.50).")
    figure_meaning: float = Field(
        0.42, description="figure-far: the least similarity to a question asking a figure of the sentence that would "
                          "give it (measured 0.35-0.48 on the sixteen development sets, 911 answerable questions and "
                          "411 near misses, whole questions only: 0.42 refused 7 more near misses and no answerable "
                          "one, 0.44 10 for 2, 0.46 16 for 5, 0.48 22 for 9; on every part, 0.42 refused 7 for 3; a "
                          "bar for dates refused as many answerable questions as near misses or more: see "
                          "docs/decisions, twenty-fifth and twenty-sixth rounds).")
    kind_gap: float = Field(
        0.15, description="answer-type-elsewhere: how much less close in meaning than a part's closest sentence the "
                          "best one giving its figure or date may be (measured 0.05-0.20 on the three development "
                          "sets: at 0.10 two right answers refused for five unanswerable ones; at 0.15 none for three; "
                          "at 0.20 one unanswerable refused).")
    release_gap: float = Field(
        0.05, ge=0.0, le=0.5, description="figure-other-release: how much less close in meaning than a part's closest "
                                           "sentence, whose release gives no figure, the best one giving its figure "
                                           "may be when it is of another release (measured 0.03-0.08 on 21 "
                                           "development sets: at 0.05 ten near misses refused for one answer "
                                           "without its key facts; at 0.03 eleven; at 0.08 six for none).")
    term_gap: float = Field(
        0.4, description="answer-type-off-terms: how much smaller a share of a part's terms (IDF-weighted) the "
                         "sentence giving its figure or date may hold than a sentence giving none (measured 0.3-0.6 on "
                         "the ten development sets: 0.4 and 0.45 refused four more unanswerable questions and no "
                         "answerable one; 0.35 wrongly refused one; 0.3 six unanswerable for one answerable; 0.5 two; "
                         "0.6 one).")
    min_terms: float = Field(
        0.20, description="question-terms-missing: the least IDF-weighted share of the question's terms in the best "
                          "sentence with its context and title (measured 0-0.35: at 0.3 false refusals 5 -> 16 % on "
                          "the sample for one more unanswerable refused; at 0 refusals 50 -> 38 %).")
    judge_floor: float = Field(
        0.1, description="model-says-no: the least probability of 'yes' the model gives the sentence to be given "
                         "(measured 0.02-0.7 on the sample set: 0.1 refused 2 more of 16 unanswerable questions with "
                         "no more wrong refusals; 0.2 refused 3 more and wrongly refused 3 answerable; 0.5 refused "
                         "half of the answerable; not yet measured on the public-corpus set or the frozen split).")
    date_weight: float = Field(0.15, description="release-date: added for a sentence of a release dated the day or "
                               "month the question names (flat from 0.05 to 0.3 on the development sets).")
    kind_weight: float = Field(0.15, description="Ranking: added for a sentence holding what the part asks for "
                                                 "(measured 0-0.3).")
    terms_weight: float = Field(0.3, description="Ranking: weight of the share of the part's terms (measured "
                                                 "0-0.45).")
    context_weight: float = Field(0.5, description="Ranking: weight of the sentence's context in its meaning "
                                                   "(measured 0-0.5; 0 lost 3 to 7 points of key facts).")
    context_from: Literal["passage", "window"] = Field(
        "passage", description="A sentence's context in its meaning: `passage`, its passage's stored vector (nothing "
                               "more to embed); `window`, the sentence read after the one before it (embedded). "
                               "Measured on the sample: passage at weight 0.5 key facts 66 %, cited right 85 %; "
                               "window at 0.3, 62 % and 80 %, for twice the sentences to embed.")
    runner_up_margin: float = Field(
        0.1, description="runner-up: a second sentence is given when its score is within this of the best's "
                         "(measured 0-0.3: 0 gave key facts 47 %, 0.2 59 % on the sample; with the new-fact condition, "
                         "0.1 kept the facts of 0.2 on four development sets and the frozen split for 1 to 5 words "
                         "fewer p50: a runner-up further than 0.1 below added a key fact once in 28 answers).")
    part_alone_terms: int = Field(
        4, description="A part of a question asking several things is read alone, not within the question, when it "
                       "names this many terms of its own (measured 3-5 and never: questions spanning two releases, "
                       "dev5, key facts 0.51 -> 0.56 and near misses refused 0.40 -> 0.60 at 3 to 5; at 3 the public "
                       "development set lost an answer, at 4 and 5 no development set lost one; a part such as \"et "
                       "quand ?\" is always read within its question).")
    runner_up_parts: int = Field(
        2, ge=1, description="runner-up: given for each part of a question asking at most this many things (measured "
                             "1-3 on seven development sets: 2 gained key facts on four, sample 0.70 -> 0.72, public "
                             "corpus 0.78 -> 0.81, dev5 0.56 -> 0.60, dev6 0.71 -> 0.72, and lost none, for 0 to 12 "
                             "words more p50, the most on questions spanning two releases; 3 gave the same answers).")
    first_release_weight: float = Field(
        0.02, description="first-release: added, for a question asking one thing, to a sentence of the release of the "
                          "first passage retrieved (measured 0-0.1 on eleven development sets, every part: 0.02 cited "
                          "right 674 -> 680, key facts 568 -> 566; 0.05 682 / 565; 0.1 683 / 563; one-part questions "
                          "only at 0.02: 677 / 568; frozen splits 6-10: cited right 373 -> 375, key facts 328 -> 327).")
    conversation_weight: float = Field(
        0.05, ge=0.0, description="conversation-release: added, for a follow-up the chain rewrote, to a sentence of "
                                  "the release the conversation's previous question finds first (measured 0 / 0.02 / "
                                  "0.05 / 0.1 on the 23 development sets, first version: key facts 780 / 781 / 782 / "
                                  "781, cited right 925 / 926 / 928 / 927).")
    shared_sentence_penalty: float = Field(
        0.02, ge=0.0, description="shared-sentence: taken from the score of a sentence already given when it answers a "
                                  "later part whose other sentences are all of releases not yet cited "
                                  "(measured 0-0.1 on 24 development sets, first version: 0.02 cited right +10, "
                                  "key facts unchanged; 0, cited right +12, key facts -1; without the same-release "
                                  "condition, 0.02-0.1 lost 4 to 12 key facts).")
    same_release_weight: float = Field(
        0.02, ge=0.0, description="same-release: added, for a question asking several things, to a later part's "
                                  "sentence of a release an earlier part's sentence is of (measured 0-0.04 on the "
                                  "nineteen development sets: 0.02 key facts +1, cited right +1; 0.01 cited right +1; "
                                  "0.04 cited right +1).")
    typed_weight: float = Field(
        0.5, ge=0.0, le=1.0, description="typed-words: the share of a rewritten follow-up's ordering read against "
                                         "the follow-up as the user typed it (measured 0-1 on the development sets: "
                                         "key facts 650 / 653 / 655 / 655 / 651 at 0 / 0.3 / 0.5 / 0.7 / 1, wrongly "
                                         "refused 24 / 25 / 25 / 26 / 31).")
    circumstances_weight: float = Field(
        0.5, ge=0.0, le=1.0, description="circumstances-out: the share of a part's meaning, in the ordering, read "
                                         "against the part without the circumstances it opens with (\"Au Sénat le "
                                         "4 novembre 2020, quelles…\"; a rewritten follow-up's typed words then "
                                         "take `typed_weight` of the whole; measured 0-0.7 on the twenty "
                                         "development sets, first version: key facts 727 / 729 / 730 / 728 at 0 / "
                                         "0.3 / 0.5 / 0.7, cited right 866 / 864 / 864 / 863; final version, 0 / "
                                         "0.5: 728 / 732, 865 / 864; frozen splits 6-10 at 0.5: key facts 336 -> "
                                         "337).")
    runner_up_tie: float = Field(
        0.01, ge=0.0, description="runner-up: a sentence scored within this of the best (a tie the ranking cannot "
                                  "break) is given too, of any release and whether or not it adds a figure or a name, "
                                  "unless it restates the best (another release's, its figures and names all the "
                                  "best's) "
                                  "(measured 0-0.05 on eleven development sets: 0.01 key facts 561 -> 568, cited right "
                                  "677 -> 674; 0.02 568 / 667; 0.05 576 / 653; frozen splits 6-10 at 0.01: key facts "
                                  "325 -> 328, cited right 374 -> 373, refusals unchanged).")
    runner_up_same_release: bool = Field(
        True, description="runner-up: only from the best sentence's release (another release's sentence cited the "
                          "wrong release more often than it added a fact, on the development sets).")
    second_release_margin: float = Field(
        0.15, description="second-release: how far below the best sentence's score another release's sentence may be "
                          "(measured 0.1-0.3 on dev5, questions spanning two releases: 0.1 kept its key facts for 4 "
                          "words fewer p50 but lost 1 of 8 multi-release answers of dev2; 0.2 and 0.3 cited the wrong "
                          "release more).")
    second_release_gain: float = Field(
        0.15, description="second-release: the least IDF-weighted share of the question's terms the other release's "
                          "sentence must bring that the answer's sentences (with the sentence before and the title) "
                          "lack (measured 0.05-0.3 on dev5: 0.05 cited the wrong release 7 points more, 0.3 lost "
                          "the completion's gain; 0.1-0.2 the same key facts).")
    runner_up_max_words: int = Field(
        1000, description="runner-up: given only when the answer stays within this many words with it (measured "
                          "35-60 on the sample set: every limit lost key facts, 70 -> 65 % at 40 words for words p50 "
                          "36 -> 30; 1000 is no limit).")
    kind_search_chunks: int = Field(
        3, ge=1, description="kind-search: how many more chunks of the first release (the closest to the question) "
                             "are read when no passage gives the figure, date, name or place asked (3 measured with "
                             "the gap below; 2, without it).")
    kind_search_gap: float = Field(
        0.05, ge=0.0, description="kind-search: how much less close to the question in meaning than the passages' "
                                  "best-ranked sentence the sentence found further in the release may be (measured "
                                  "0.03-0.08 and "
                                  "without a bar on eleven development sets: 0.05 key facts 568 -> 571, cited right "
                                  "677 -> 683, wrongly refused 21 -> 15, near misses refused 193 -> 192; 0.08 572 / "
                                  "684 / 14 / 189; 0.03 569 / 680 / 18 / 192; no bar, 2 chunks: 573 / 685 / 13 / 184).")
    part_search_chunks: int = Field(
        2, ge=1, description="part-search: how many more chunks of the first release closest to each part of a "
                             "question are read (a question asking one thing, once answered, is its only part; "
                             "measured 1-4 on the nineteen development sets, for questions asking several things: 2 "
                             "key facts 708 -> 710, wrongly refused 28 -> 27; 1 709 / 28; 4 709 / 27).")
    part_search_margin: float = Field(
        0.05, ge=0.0, description="part-search: how much closer in meaning to its part a sentence found further in "
                                  "the release must be than the part's best sentence in the passages (measured "
                                  "0-0.1: 0 and 0.05 the same answers, 0.1 none changed).")
    dated_release_margin: float = Field(
        0.3, description="dated-releases: how far below its part's best score the sentence of a named date's release "
                         "may be (measured 0.15-1.0 on the eleven development sets: 0.3 gained four key facts for one "
                         "citation of a wrong release, 0.15 three, 1.0 the same answers as 0.3).")
    change_margin: float = Field(
        0.3, description="change: how far below the best sentence's score another release's sentence may be, for a "
                         "question asking how something changed (measured 0.1-1.0 on the development sets: "
                         "0.2 and above give the same answers, 0.1 adds none).")
    overview_sentences: int = Field(3, description="overview: sentences of one release given for an overview question.")
    overview_margin: float = Field(0.3, description="overview: how far below the best sentence's score another may be "
                                                    "(measured 0.15-0.3).")
    condense: bool = Field(
        False, description="The model puts the chosen sentences briefly in the user's language (one short sentence, "
                           "checked against them: figures, names, script, the answer kept); the quotes are shown when "
                           "a check fails. Costs one short model call per answer.")
    sentence_vectors: Literal["ingest", "question"] = Field(
        "ingest", description="`ingest`: the releases' sentences are embedded once, at ingest, and kept in the data "
                              "dir (sentences.sqlite), so that a question embeds only itself; `question`: each answer "
                              "embeds its candidate sentences (no extra ingest work nor disk).")
    max_sentence_chars: int = Field(400, description="A longer source sentence is cut to its run of words holding "
                                                     "most of the question's terms.")


class UISettings(BaseModel):
    """The web app: who may log in, which language its labels use."""

    users_file: Path | None = Field(
        None, description="File of users (name:role:argon2-hash, written by `communiques users add`); set, it turns login on."
    )
    language: Literal["auto", "fr", "en"] = Field(
        "auto", description="Language of the labels: `auto` follows the browser, or `fr` / `en` for everyone."
    )
    allow_anonymous: bool = Field(
        False, description="Serve without login on an address other than 127.0.0.1 (behind a proxy that authenticates)."
    )
    max_failed_logins: int = Field(5, description="Wrong passwords of one user name before its logins are refused.")
    lockout_s: float = Field(900.0, description="How long (seconds) the failed logins count, and a name stays locked.")
    session_s: float = Field(43_200.0, description="A login lasts this long (seconds); then the page asks to log in again.")
    questions_at_once: int = Field(
        32, ge=1, le=256,
        description="Questions the app searches side by side (their answers still take the model in turn, "
                    "`llm.slots` at once); more wait in Gradio's queue, their place shown. 32 measured for 30 users "
                    "on 2 cores: sources p95 1.8-2.3 s, against 3.5-3.7 s with 4 (docs/benchmarks.md).",
    )


class Settings(BaseSettings):
    """All settings of Communiqués."""

    model_config = SettingsConfigDict(env_prefix="COMMUNIQUES_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Holds the index: Chroma, keyword index, manifest.")
    models: ModelSettings = Field(default_factory=ModelSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    chunking: ChunkSettings = Field(default_factory=ChunkSettings)
    ui: UISettings = Field(default_factory=UISettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    max_file_mb: float = Field(50.0, description="Files larger than this are refused at ingest.")
    strip_planted: bool = Field(
        True, description="Leave out of the passages the sentences addressed to an AI assistant (prompt injection)."
    )
    max_question_chars: int = Field(
        1000, description="Longer questions are refused with a message (a long one would overflow the model's context)."
    )
    log_questions: bool = Field(
        False, description="Write each question (and its standalone form) to the log; off, the log never holds one."
    )
    host: str = Field("127.0.0.1", description="Address the web app binds to.")
    port: int = Field(7860, description="Port of the web app.")

    @classmethod
    def for_tests(cls, data_dir: Path, **overrides) -> "Settings":
        """A profile with the deterministic fakes: hash embedder, scripted chat model."""
        base = cls(
            data_dir=data_dir,
            models=ModelSettings(embedder="hash"),
            llm=LLMSettings(backend="fake"),
            retrieval=RetrievalSettings(min_dense=0.0),
            # The hash embedder's cosines are word overlaps, on another scale than EmbeddingGemma's: a sentence
            # answering a test question is 0.2-0.6 close to it, an unrelated one under 0.1, and one restating the
            # question's words up to 0.75 (so gaps between sentences run twice as wide).
            answer=AnswerSettings(min_meaning=0.15, kind_floor=0.1, figure_meaning=0.2, kind_gap=0.5,
                                  runner_up_margin=0.2),
        )
        return base.model_copy(update=overrides)
