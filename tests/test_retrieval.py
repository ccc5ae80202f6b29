"""Finding the right communiqué: keyword and dense fused, filters, names, dates, diversity."""

from __future__ import annotations

import pytest

from textkit.terms import numbers, terms
from vectorstore.keyword import KeywordIndex
from vectorstore.filters import Filters
from vectorstore.retriever import trim_passage

pytestmark = pytest.mark.unit


def top_doc(container, question, **filters):
    retrieval = container.retriever.retrieve(question, Filters(**filters))
    return retrieval.passages[0].chunk.doc_id if retrieval.passages else None


def test_numbers_are_single_searchable_terms():
    assert numbers("1 250 kilomètres et 2,4 milliards, 4.5 %") == {"1250", "2.4", "4.5"}
    assert "1250" in terms("la rénovation de 1 250 kilomètres")


def test_accents_and_case_do_not_matter(indexed):
    assert top_doc(indexed, "HELENE MARCHETTI BRISSAC") == "plan-eau"


def test_misspelt_name_is_found_by_fuzzy_matching(indexed):
    retrieval = indexed.retriever.retrieve("Qu'a annoncé Marketi-Brisak ?")
    assert retrieval.passages[0].chunk.doc_id == "plan-eau"
    assert "marche" in indexed.retriever.keyword.expand("Marketti")
    assert "brissa" in indexed.retriever.keyword.expand("Brisak")


def test_alias_file_links_transliterations(tmp_path, indexed):
    from vectorstore.keyword import load_aliases

    aliases = tmp_path / "aliases.txt"
    aliases.write_text("Paul Ardenne = Bol Ardin  # machine translation\n")
    index = KeywordIndex(indexed.store.chunks(), aliases=load_aliases(aliases))
    assert "ardenn" in index.expand("Qu'a dit Bol Ardin ?")


def test_filters_by_date_language_and_issuer(indexed):
    assert top_doc(indexed, "plan", lang="en") == "en-health-2026-02-17"
    assert top_doc(indexed, "accord", since="2025-01-01", until="2025-12-31") == "plan-eau"
    assert top_doc(indexed, "grève salaires", issuer="transports") == "greve"
    assert top_doc(indexed, "grève salaires", issuer="santé") is None


def test_a_date_in_the_question_prefers_documents_of_that_date(indexed):
    retrieval = indexed.retriever.retrieve("Que s'est-il passé le 3 décembre 2024 ?")
    assert retrieval.passages[0].chunk.doc_id == "greve"


def test_at_most_max_per_doc_passages_of_one_document(indexed):
    indexed.retriever.max_per_doc = 1
    retrieval = indexed.retriever.retrieve("plan eau canalisations techniciens rénovations", k=3)
    docs = [p.chunk.doc_id for p in retrieval.passages]
    assert len(docs) == len(set(docs))


def test_trimming_keeps_the_sentences_that_match_the_question():
    text = ("Le ministre a ouvert la séance. Le budget du plan est de 2,4 milliards d'euros. "
            "La météo était clémente. Les travaux commencent en juin.")
    trimmed, best = trim_passage(text, set(terms("Quel est le budget du plan ?")), max_chars=70)
    assert "2,4 milliards" in trimmed and "météo" not in trimmed and best > 0.5
    first, _ = trim_passage(text, set(terms("Quand commencent les travaux du plan ?")), 200, relevance_first=True)
    assert first.startswith("Les travaux commencent")


def test_keyword_index_is_not_rebuilt_between_questions(indexed):
    first = indexed.retriever.keyword
    indexed.retriever.retrieve("plan eau")
    assert indexed.retriever.keyword is first
    indexed.ingestor.delete("greve")
    assert indexed.retriever.keyword is not first


def test_passages_far_less_similar_than_the_best_are_left_out(indexed):
    retriever = indexed.retriever
    question = "Combien de postes de techniciens le plan pour l'eau crée-t-il ?"
    retriever.k, retriever.max_per_doc = 5, 5
    retriever.max_dense_gap = None
    everything = retriever.retrieve(question).passages
    retriever.max_dense_gap = 0.05
    kept = retriever.retrieve(question).passages
    best = max(p.dense for p in everything)
    assert len(kept) < len(everything)
    assert sum(p.dense < best - 0.05 for p in kept) <= 2  # only the two best-ranked may be exempt
    assert {p.chunk.chunk_id for p in everything if p.dense >= best - 0.05} <= {c for p in kept for c in p.chunk_ids}


def test_a_month_named_in_the_question_prefers_that_months_documents(indexed):
    from textkit.dates import find_months

    assert find_months("l'accord signé en décembre 2024") == ["2024-12"]
    assert find_months("in October 2025 and in December 2025") == ["2025-10", "2025-12"]
    assert find_months("في ديسمبر 2024") == ["2024-12"]
    assert find_months("le 9 avril 2025, le 1er mai 2025") == []  # full dates: find_dates
    # The three releases are of March 2025, December 2024 and February 2026.
    months = (("mars 2025", "plan-eau"), ("décembre 2024", "greve"), ("February 2026", "en-health-2026-02-17"))
    retriever = indexed.retriever
    for month, doc in months:
        question = f"Quel communiqué a été publié en {month} ?"
        with_month = dict(retriever.retrieve(question).candidates)
        retriever.date_bonus = 0.0
        without = dict(retriever.retrieve(question).candidates)
        retriever.date_bonus = 0.1
        for cid in with_month:  # the month's passages gain the bonus, no other passage moves
            gain = 0.1 if cid.startswith(doc + "#") else 0.0
            assert with_month[cid] == pytest.approx(without[cid] + gain)
    # Rank fusion: the bonus is a first rank's vote, and the hash embedder's noise is then smaller than it.
    retriever.fusion = "rrf"
    for month, doc in months:
        assert retriever.retrieve(f"Quel communiqué a été publié en {month} ?").passages[0].chunk.doc_id == doc


@pytest.mark.parametrize("text,days,months", [
    ("Qu'a présenté la ministre les 21 et 28 octobre 2020 ?", ["2020-10-21", "2020-10-28"], []),
    ("présentés le 28 septembre puis le 7 octobre 2020", ["2020-09-28", "2020-10-07"], []),
    ("entre le communiqué du 14 septembre et celui du 7 octobre 2020", ["2020-09-14", "2020-10-07"], []),
    ("les 5, 6 et 7 mai 2025", ["2025-05-05", "2025-05-06", "2025-05-07"], []),
    ("September 28 and October 7, 2020", ["2020-09-28", "2020-10-07"], []),
    ("le 28 décembre et le 4 janvier 2021", ["2020-12-28", "2021-01-04"], []),
    ("en septembre, octobre et novembre 2020", [], ["2020-09", "2020-10", "2020-11"]),
    ("in May and June 2025", [], ["2025-05", "2025-06"]),
    ("في 21 و28 أكتوبر 2020", ["2020-10-21", "2020-10-28"], []),
    ("في مايو ويونيو 2020", [], ["2020-05", "2020-06"]),
    # Not a list of days: a number before a comma ("l'article 3, 12 mars"), the end of a name or a number
    # ("Covid-19", "n° 2020-12"), a time ("18 h 30"), a range's start (its two ends are no two occasions), "may".
    ("l'article 3, 12 mars 2025", ["2025-03-12"], []),
    ("Combien de cas de Covid-19 au 15 avril 2020 ?", ["2020-04-15"], []),
    ("le décret n° 2020-12 et le 5 mars 2020", ["2020-03-05"], []),
    ("la réunion de 18 h 30 et le 5 mars 2020", ["2020-03-05"], []),
    ("du 5 au 12 mars 2020", ["2020-03-12"], []),
    ("de septembre à décembre 2020", [], ["2020-12"]),
    ("the minister may, in June 2021, decide", [], ["2021-06"]),
    ("le 12 mars 2025", ["2025-03-12"], []),
])
def test_a_list_of_days_or_months_written_once_names_each(text, days, months):
    from textkit.dates import dates_named, find_dates, months_named

    assert dates_named(text) == days and months_named(text) == months
    assert set(find_dates(text)) <= set(days)  # (a release's own date is read by find_dates, unchanged)


def test_each_day_a_question_lists_gives_its_releases_the_date_bonus():
    from core.types import Chunk
    from vectorstore.fusion import add_date_bonus

    chunks = {f"{d}#0": Chunk(chunk_id=f"{d}#0", doc_id=d, index=0, text="", date=date)
              for d, date in (("cm-21", "2020-10-21"), ("cm-28", "2020-10-28"), ("cm-14", "2020-10-14"))}
    fused = dict.fromkeys(chunks, 0.0)
    add_date_bonus("Qu'a présenté la ministre en conseil des ministres les 21 et 28 octobre 2020 ?", chunks, fused, 0.1)
    assert fused == {"cm-21#0": 0.1, "cm-28#0": 0.1, "cm-14#0": 0.0}


def test_each_part_of_a_question_gets_the_closest_passage_of_the_retrieved_releases(indexed):
    from assistant.questions import split_question

    retriever = indexed.retriever
    retriever.k, retriever.max_per_doc = 1, 1
    question = ("Quand commenceront les premières rénovations à Valcourt, et combien de postes de techniciens le plan "
                "crée-t-il ?")
    retrieval = retriever.retrieve(question)
    found = retrieval.passages[0]
    assert "1er juin 2025" in found.full_text and "300 postes" not in found.full_text
    parts = split_question(question)
    assert len(parts) == 2
    extra = retriever.part_passages(retrieval, parts)
    assert len(extra) == 1 and extra[0].chunk.doc_id == found.chunk.doc_id  # from the release already found
    assert "300 postes" in extra[0].text
    assert retriever.part_passages(retrieval, [question]) == ()  # one question: nothing added


def test_more_of_the_first_release_is_read_closest_first_without_the_passages_given(indexed):
    retriever = indexed.retriever
    retriever.k, retriever.max_per_doc = 1, 1
    retrieval = retriever.retrieve("Quand commenceront les premières rénovations à Valcourt ?")
    found = retrieval.passages[0]
    more = retriever.release_passages(retrieval.passages, "Combien de postes de techniciens le plan crée-t-il ?", 1)
    assert len(more) == 1 and more[0].chunk.doc_id == found.chunk.doc_id and "300 postes" in more[0].text
    assert more[0].chunk.chunk_id not in found.chunk_ids
    every = retriever.release_passages(retrieval.passages, "Combien de postes ?", 50)
    ids = [p.chunk.chunk_id for p in every]
    assert len(ids) == len(set(ids)) and not set(ids) & set(found.chunk_ids)  # the rest of the release, once each
    assert {p.chunk.doc_id for p in every} == {found.chunk.doc_id}
    assert retriever.release_passages((), "Combien de postes ?", 3) == ()


def test_a_sentence_the_chunker_cut_is_whole_in_its_passage(make_container, tmp_path):
    from vectorstore.retriever import runs_on

    # A sentence longer than a chunk is cut at a word: the passage of either piece holds all of it.
    long = ("Il y a déjà des signes, par les affirmations du président élu, sur la lutte contre le changement "
            "climatique, ce sera un élément de convergence très important, et cela va nous permettre le retour de nos "
            "partenaires dans l'accord de Valcourt, qui sera l'un de leurs premiers actes et permettra de préparer "
            "ensemble, dans une bonne synergie et avec tous nos partenaires européens, les échéances importantes qui "
            "sont devant nous, en particulier la conférence de Montbazet sur les océans.")
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "long.md").write_text(
        "---\ntitle: Déclaration sur les partenaires\nissuer: Gouvernement\ndate: 2023-03-15\nlang: fr\n---\n"
        "Le ministre a félicité le président élu.\n\n" + long + "\n\nC'est vrai aussi de la santé publique.\n",
        encoding="utf-8")
    c = make_container()
    c.ingestor.ingest_paths([folder])
    chunks = sorted(c.store.chunks("long"), key=lambda x: x.index)
    assert len(long) > c.settings.chunking.max_chars
    assert not any(long in ch.text for ch in chunks)  # the chunker cut it
    retriever = c.retriever
    retriever.k, retriever.max_per_doc = 1, 1
    for question, own in (("Quelles échéances importantes la synergie permettra-t-elle de préparer ?", "synergie"),
                          ("Quelle conférence de Montbazet sur les océans ?", "Montbazet")):
        passage = retriever.retrieve(question).passages[0]
        assert long in passage.full_text, question
        # The model is given the words of the sentence that the question asks about, not only its first ones.
        assert own in passage.text and len(passage.text) <= retriever.passage_chars + 2
    # Two pieces of one passage are joined within the sentence, not as two paragraphs.
    first, second = next((a, b) for a, b in zip(chunks, chunks[1:]) if runs_on(a.text, b.text))
    assert long in retriever._whole_sentences([first, second], retriever.keyword)
    # Only a piece of nearly a chunk's length was cut: not a heading, in any script; not after a full stop or a
    # colon; not where the next chunk repeats the piece (the overlap).
    cut = ("Le plan national pour l'eau potable prévoit la rénovation de 1 250 kilomètres de canalisations et la "
           "création, dans les régions du Sud, de")
    assert runs_on(cut, "300 postes de techniciens.", cut_at=len(cut))
    assert runs_on(cut, "Trois cents postes de techniciens.", cut_at=len(cut))  # (a capital may go on a sentence)
    assert not runs_on("Le plan en bref", "300 postes de techniciens.", cut_at=len(cut))
    assert not runs_on("بيان صحفي حول زيارة الوزير", "وقّع البلدان اتفاقية الصيد.", "ar", cut_at=len(cut))
    assert not runs_on(cut + " 300 postes.", "les régions du Sud en profitent.", cut_at=len(cut))
    assert not runs_on(cut[:-3] + " :", "- 300 postes seront créés.", cut_at=len(cut))
    assert not runs_on(cut, cut + " 300 postes de techniciens.", cut_at=len(cut))


def test_a_passage_ending_with_a_colon_reads_on_with_what_it_announces():
    """A passage whose last chunk ends "…autour de quatre piliers :" reads on with the next chunk up to its first full
    stop (a list's last item), as written; not past it, and not when the passage ends with a full stop."""
    from core.types import Chunk
    from vectorstore.passages import whole_sentences

    def chunk(i: int, text: str) -> Chunk:
        return Chunk(chunk_id=f"plan#{i}", doc_id="plan", index=i, text=text, lang="fr")

    lead = chunk(0, "La ministre a présenté le plan de Valmont.\nLe texte est construit autour de quatre piliers :")
    items = chunk(1, "- la transition écologique ;\n- le logement ;\n- M. Jean Valcourt pilotera le transport.\n"
                     "La ministre a ensuite répondu aux questions des élus.")
    after = {0: items, 1: None}
    joined = whole_sentences([lead], lambda c, step: after[c.index] if step == 1 else None, 300)
    assert joined == lead.text + "\n" + items.text[:items.text.index("\nLa ministre")]
    numbered = chunk(1, "1/ La mise en commun des essais.\n2/ Une distribution mondiale.\nLa ministre a conclu.")
    assert whole_sentences([lead], lambda c, step: numbered if step == 1 else None, 300) == \
        lead.text + "\n1/ La mise en commun des essais.\n2/ Une distribution mondiale."  # (to its last numbered item)
    stopped = chunk(0, "La ministre a présenté le plan de Valmont.")
    assert whole_sentences([stopped], lambda c, step: items if step == 1 else None, 300) == stopped.text
    assert whole_sentences([lead], lambda c, step: None, 300) == lead.text  # (the release's last chunk)


def test_a_passage_of_adjacent_chunks_reads_their_overlap_once():
    """The chunker repeats a paragraph's last sentence at the start of its next chunk; a passage joining the two (and
    the source a citation opens) reads it once, and a chunk repeating nothing is joined as a new paragraph."""
    from core.types import Communique
    from ingest.chunking import chunk_communique
    from vectorstore.passages import whole_sentences, without_overlap

    sentences = [f"Le plan de Valmont prévoit {n} 000 postes de techniciens dans la région numéro {n} d'ici 2027."
                 for n in range(1, 9)]
    doc = Communique(doc_id="valmont", title="Plan de Valmont", lang="fr",
                     text=" ".join(sentences[:6]) + "\n\n" + " ".join(sentences[6:]))
    chunks = chunk_communique(doc, target_chars=200, max_chars=300, overlap_sentences=1)
    assert any(without_overlap(a.text, b.text) != b.text for a, b in zip(chunks, chunks[1:]))  # the chunker repeats
    joined = whole_sentences(chunks, lambda chunk, step: None, 300)
    for sentence in sentences:
        assert joined.count(sentence) == 1, sentence
    assert joined.split("\n") == [" ".join(sentences[:6]), " ".join(sentences[6:])]
    # Only a whole sentence ending the chunk before is a repeat: a chunk that begins alike is joined whole.
    assert without_overlap("Le plan de Valmont prévoit 1 000 postes.", "Le plan de Valmont prévoit 1 000 postes "
                           "de plus en 2028.") == "Le plan de Valmont prévoit 1 000 postes de plus en 2028."
    assert without_overlap("Rien ici.", "Le plan. Autre chose.") == "Le plan. Autre chose."
    # Two sentences repeated across a paragraph's break (overlap_sentences=2) are found too.
    assert without_overlap("Le plan de Valmont est lancé.\nIl crée 300 postes. Il coûte 4 millions d'euros.",
                           "Il crée 300 postes.\nIl coûte 4 millions d'euros. Les travaux commencent en mai.") == \
        "Les travaux commencent en mai."


def test_a_passage_knows_whether_it_is_its_release_s_whole_text(make_container, tmp_path):
    """A release published as its salutation alone is one chunk: its passage is the whole release (its title is then
    what it says, see the answer rule salutation-title); a long release's first passage is not, even when it is its
    salutation alone."""
    from dataclasses import replace

    folder = tmp_path / "two"
    folder.mkdir()
    head = "---\ntitle: {}\nissuer: Gouvernement\ndate: 2023-03-15\nlang: fr\n---\n"
    (folder / "stub.md").write_text(head.format("Déclaration de Mme Valmont sur les trois défis de la rentrée") +
                                    "Mesdames et Messieurs les journalistes,\n", encoding="utf-8")
    (folder / "long.md").write_text(head.format("Déclaration de M. Valcourt sur la pêche") +
                                    "Mesdames et Messieurs,\n\n" + "La pêche de Port-Sérac se porte bien. " * 60,
                                    encoding="utf-8")
    c = make_container()
    c.ingestor.ingest_paths([folder])
    stub = c.retriever.retrieve("trois défis de la rentrée Valmont").passages
    assert any(p.chunk.doc_id == "stub" and p.whole for p in stub)
    long = [p for p in c.retriever.retrieve("pêche de Port-Sérac Valcourt").passages if p.chunk.doc_id == "long"]
    assert long and not any(p.whole for p in long)
    # Passages kept from before ``whole`` was recorded read it from the index.
    kept = (*stub, *long)
    again = c.retriever.marked_whole(tuple(replace(p, whole=False) for p in kept))
    assert [p.whole for p in again if len(p.chunk_ids) <= 1] == [p.whole for p in kept if len(p.chunk_ids) <= 1]
