"""Names in French, English and Arabic text: which capitalised words are names, how they are spelled elsewhere, how
they sound."""

from __future__ import annotations

import re

from textkit.dates import EN_MONTHS, FR_MONTHS, MONTHS
from textkit.languages import en, fr
from textkit.terms import STOPWORDS, fold, terms


# Capitalised words that are not names: titles, and (in English) months and days, which dates check.
_TITLES = {"mme", "mmes", "madame", "monsieur", "messieurs", "mrs", "miss", "son", "sa", "excellence", "sir",
           *EN_MONTHS, *FR_MONTHS, *en.WEEKDAYS, *fr.WEEKDAYS}
_NAME = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*")


def _is_name(word: str) -> bool:
    """A capitalised word that is not a title, a month, a day or an ordinal in Roman numerals ("XIXème")."""
    return word[0].isupper() and len(word) >= 3 and word.lower() not in _TITLES and \
        not re.fullmatch(r"[IVXLC]+(?:e|è|ème|eme|er|ère|nd|nde|th|st|rd)?", word)


def _capitalised_parts(text: str, min_len: int) -> list[str]:
    """The capitalised words of a text, a hyphenated name cut into its parts ("Marchetti-Brissac")."""
    return [part for w in _NAME.findall(text) for part in w.split("-") if part[:1].isupper() and len(part) >= min_len]


def proper_names(sentence: str) -> list[str]:
    """The capitalised words of a sentence but its first: names, places, bodies, acronyms ("Montbazet", "CNCV")."""
    return [w for w in [m.group() for m in _NAME.finditer(sentence)][1:] if _is_name(w)]


def new_names(text: str, known: str) -> set[str]:
    """The terms of the names of ``text`` (see :func:`proper_names`) that ``known`` does not write."""
    return set(terms(" ".join(proper_names(text)))) - set(terms(known))


# The short words within a name ("Jean-Yves Le Drian", "Ursula von der Leyen", "Cheikh Sabah Al Ahmad"); not "de",
# which joins two names as often ("Emmanuel Macron de Vladimir Poutine").
_PARTICLE = r"(?:[A-ZÀ-Ý]\w{0,2}|v[ao]n(?:\s+der)?|[ae]l|b[ei]n|ibn)"


def full_names(sentence: str) -> list[str]:
    """The names of a sentence as :func:`name_runs` reads them, with those a short particle separates joined as
    written ("Jean-Yves Le Drian", not "Jean-Yves" and "Drian")."""
    names: list[str] = []
    for name in name_runs(sentence):
        joined = re.search(rf"{re.escape(names[-1])}\s+{_PARTICLE}\s+{re.escape(name)}", sentence) if names else None
        if joined:
            names[-1] = joined.group()
        else:
            names.append(name)
    return names


# A name after a civility, a form of address or a role written before it ("M. Erdogan", "cher Nikos", "le président
# Sassoli", "Secretary Blinken").
_CIVILITY = re.compile(r"(?<![\w.])(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Dame|"
                       r"(?i:cher|chère|dear|président(?:e)?|ministre|ambassadeur|ambassadrice|secrétaire|général|"
                       r"president|minister|ambassador|secretary|general))\s+"
                       r"(?!(?i:monsieur|madame|messieurs|mesdames|président|premi|ministre|sénat|député|ambassad|"
                       r"secrétaire|excellence|général|commissaire|délégué|direct|conseil|haut|(?:le|la|les)\b|l['’]|"
                       r"assembly|general|secretary|president|minister|prime|council|high))[A-ZÀ-Ý][\w'’-]+")


def names_a_person(text: str, known: str = "") -> bool:
    """Whether the text names someone ``known`` does not write: a first name and a surname ("Hervé Berville",
    "Jean-Yves Le Drian"), or a name after a civility ("M. Erdogan", "Mme PENICHOU"). "Monsieur le Sénateur", "le
    président de l'Eurogroupe" name a role, not a person. (Two capitalised words may also be a place, "Costa Rica": it
    errs towards a name.)"""
    written = set(terms(known))
    new = lambda name: bool(set(terms(name)) - written)  # noqa: E731
    return any(new(m.group().split()[-1]) for m in _CIVILITY.finditer(text)) or \
        any(len(name.split()) >= 2 and new(name) for name in full_names(text))


def names_absent(names: set[str], passage_terms: set[str], prefix: int) -> set[str]:
    """The name terms a passage does not write, allowing another ending ("valmont" for "valmontais") through a
    shared beginning of ``prefix`` characters."""
    starts = {t[:prefix] for t in passage_terms}
    return {n for n in names if n not in passage_terms and n[:prefix] not in starts}


_ACRONYM_SKIP = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "of", "the", "and", "for", "pour", "à", "a",
                 "en"}


def acronyms(text: str, longest: int = 6) -> set[str]:
    """The acronyms a text spells out: the initials of each run of three to ``longest`` words, small words left out
    ("revenu national brut" gives "rnb", "Organisation des Nations unies" gives "onu"). A claim writing "0,55 % du
    RNB" is from the passage that writes the words."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if w.casefold() not in _ACRONYM_SKIP]
    initials = "".join(w[0] for w in words).casefold()
    return {initials[i:i + n] for n in range(3, longest + 1) for i in range(len(initials) - n + 1)}


# The endings of adjectives that go on a name ("Union européenne", "Nations unies", "European Union").
_ADJECTIVE = re.compile(r"(?:enne|ennes|ien|iens|ienne|ais|aise|ique|iques|al|ale|aux|ales|ies|ée|ées|el|elle|els|"
                        r"elles|aire|aires|an|ane|ish|ean|ian|ic|ed)$")


def name_acronyms(text: str, longest: int = 5) -> set[str]:
    """The terms of the acronyms a text's names make, from each capitalised word to the name's end ("l'Union
    européenne" -> "ue", "Organisation des Nations unies" -> "onu", "nu"...: two to ``longest`` letters): a question
    writing "UE" asks about what the source writes in full. (:func:`acronyms` reads every run of three words or more,
    for a claim's acronym; two letters from any run would match too much.)"""
    out: set[str] = set()
    for run in re.split(r"[^\w'’\s-]+", text):
        found = [re.split(r"['’]", w)[-1] for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", run)]
        for i, first in enumerate(found):
            if not first[:1].isupper() or first.casefold() in _ACRONYM_SKIP:
                continue
            initials = ""
            for word in found[i:i + 2 * longest]:
                if word.casefold() in _ACRONYM_SKIP:
                    continue
                # A name goes on with capitalised words and adjectives ("Union européenne", "Nations unies"), not
                # with any word ("l'Ukraine exige", "l'Union européenne au premier semestre").
                if fold(word) in STOPWORDS or word[:1].islower() and not _ADJECTIVE.search(word):
                    break
                initials += word[0]
                if len(initials) >= 2:
                    out.update(terms(initials.upper()))
                if len(initials) == longest:
                    break
    return out


def source_spellings(question: str, texts: list[str], min_ratio: float = 70.0) -> dict[str, str]:
    """The names of the question that the sources write otherwise, with the sources' spelling ("Lorfelek" ->
    "Lorvellec", "Marketti" -> "Marchetti"): a name the texts never write, not even with another ending, whose
    closest capitalised word of theirs starts with the same letter and is at least ``min_ratio`` similar. The model
    copies the question's spelling; staff must read the one they can search for."""
    from rapidfuzz import fuzz, process

    known = {part for text in texts for part in _capitalised_parts(text, 3)}
    known_terms = set(terms(" ".join(known)))
    by_fold = {fold(w): w for w in sorted(known)}
    fixes = {}
    for name in proper_names(question):
        folded = fold(name)
        if len(folded) < 4 or not names_absent(set(terms(name)), known_terms, 5):
            continue
        found = process.extractOne(folded, [f for f in by_fold if f[:1] == folded[:1]], scorer=fuzz.ratio,
                                   score_cutoff=min_ratio)
        if found:
            fixes[name] = by_fold[found[0]]
    return fixes


def name_runs(sentence: str) -> list[str]:
    """The names of a sentence as written, first names and surnames together ("Batist Lorfelek"), its first word
    left out (capitalised anyway)."""
    runs: list[list[str]] = []
    end = -1
    for m in list(_NAME.finditer(sentence))[1:]:
        word = m.group()
        if not _is_name(word):
            end = -1
            continue
        if runs and end >= 0 and not sentence[end:m.start()].strip():
            runs[-1].append(word)
        else:
            runs.append([word])
        end = m.end()
    return [" ".join(r) for r in runs]


_SOUNDS = (("ph", "f"), ("ch", "k"), ("ou", "u"), ("qu", "k"), ("c", "k"), ("q", "k"), ("v", "f"), ("w", "u"),
           ("y", "i"), ("z", "s"), ("h", ""))


def sounds(word: str) -> str:
    """A rough key of how a name sounds: "Lorfelek" and "Lorvellec", "Burita" and "Bourita" share theirs."""
    key = fold(word)
    for letters, sound in _SOUNDS:
        key = key.replace(letters, sound)
    return re.sub(r"(.)\1+", r"\1", key)


def sounds_alike(word: str, other: str, min_ratio: float = 80.0) -> bool:
    """Whether two words sound at least ``min_ratio`` similar (see :func:`sounds`): "Jeyhoun" and "Jeyhun" do,
    "Council" and "Conseil" do not."""
    from rapidfuzz import fuzz

    return fuzz.ratio(sounds(word), sounds(other)) >= min_ratio


# (A lowercase article only: "Le Drian" and "La Fontaine" are names.)
_AFTER_ARTICLE = re.compile(r"\b(?:les?|la|du|des|aux?|the|l['’])\s*([A-ZÀ-Ý][\w-]{3,})")


def name_variants(names: list[str], docs: dict[str, str], min_ratio: float = 80.0) -> dict[str, tuple[str, int]]:
    """Other spellings of ``names`` in the texts of ``docs`` (doc id -> text), with how many documents write them
    ("Batist Lorfelek" -> ("Baptiste Lorvellec", 4)). A word's other spelling is a capitalised word starting with the
    same letter, sounding at least ``min_ratio`` similar (:func:`sounds`: "Council" and "Conseil" do not), of about
    its length, not the same word with another ending (five first letters in common), and written by more of the
    documents than the word itself; the most written one. Machine-translated releases write ministers' names as they
    sound; staff must know the spelling the other releases use."""
    written: dict[str, set[str]] = {}  # folded word -> the documents writing it
    spelled: dict[str, str] = {}  # folded word -> as first written
    nouns: set[str] = set()  # capitalised words written after an article: things, not people
    for doc_id, text in docs.items():
        for part in _capitalised_parts(text, 4):
            written.setdefault(fold(part), set()).add(doc_id)
            spelled.setdefault(fold(part), part)
        nouns.update(fold(w) for w in _AFTER_ARTICLE.findall(text))

    def other_spelling(word: str) -> str | None:
        folded = fold(word)
        if len(folded) < 5:
            return None
        own = len(written.get(folded, ()))
        # A person's name is not a common noun: a capitalised word the releases write after an article ("le
        # Brexit", "the Council") is not another spelling of "Beitt", however alike they sound.
        near = [o for o in written if o[:1] == folded[:1] and o[:5] != folded[:5] and abs(len(o) - len(folded)) <= 2
                and len(written[o]) > own and sounds_alike(word, o, min_ratio) and o not in nouns]
        return max(near, key=lambda o: (len(written[o]), o)) if near else None

    found: dict[str, tuple[str, int]] = {}
    done: set[str] = set()
    for name in dict.fromkeys(names):
        words_ = name.split()
        others = [other_spelling(w) for w in words_]
        changed = {o for o in others if o} - done
        if not changed:
            continue
        done |= changed
        # The name from its first to its last respelt word ("Naser Burita", not "Foreign Minister Naser Burita"); a
        # surname alone with the word before it ("Abdelmajid Teboune").
        changed_at = [i for i, o in enumerate(others) if o]
        start, end = changed_at[0] - (len(changed_at) == 1 and changed_at[0] > 0), changed_at[-1] + 1
        writers = set.intersection(*(written[o] for o in others if o))
        found[" ".join(words_[start:end])] = (" ".join(spelled[o] if o else w for w, o in
                                                        zip(words_[start:end], others[start:end])), len(writers))
    return found


def respell(text: str, fixes: dict[str, str]) -> str:
    """The text with each name of ``fixes`` written as the sources write it (whole words only)."""
    for wrong, right in fixes.items():
        text = re.sub(rf"(?<![\w'’-]){re.escape(wrong)}(?![\w'’-])", right, text)
    return text


def names_or_months(text: str, wanted: set[str]) -> bool:
    """Whether a word of ``text`` giving one of the ``wanted`` terms is capitalised, even first ("Rabat accueillera
    le sommet"), or a month ("…commencera en juin")."""
    return any(w[:1].isupper() or w.casefold() in MONTHS for w in re.findall(r"\w+", text) if set(terms(w)) & wanted)
