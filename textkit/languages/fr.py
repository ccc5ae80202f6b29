"""French: months, function words, search stopwords, question words."""

MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
          "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# The month names to write dates with: the first (accented) spelling of each month above.
MONTH_NAMES = tuple(next(m for m, n in MONTHS.items() if n == i) for i in range(1, 13))

# Frequent words that are French and not English, to tell the two apart in a short text.
FUNCTION_WORDS = frozenset({
    "le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "au", "aux", "pour", "dans", "sur", "que", "qui",
    "quel", "quelle", "quels", "quelles", "combien", "quand", "il", "elle", "a", "été", "par", "ce", "cette"})
# Letters that only French of the two Latin-script languages writes.
ACCENTED = "éèêàùçô"

# Folded (lower case, no accents), as :func:`textkit.terms.fold` writes them.
STOPWORDS = frozenset(
    """le la les l d de des du un une et ou a au aux en dans par pour sur avec sans que qui quoi quel quelle quels
    quelles qu est sont ete etait ce cette ces se sa son ses leur leurs il elle ils elles on nous vous ne pas plus
    y lui comme mais donc or ni car si combien comment pourquoi quand lorsque oui non""".split())

# Words that open a question ("Combien…", "…, et quand…", "…, et de quoi…"). Two are also conjunctions ("Est-ce
# que…", "pense-t-il qu'il…"): they open a second question joined to a first ("…, et que prévoit-il ?"), but do not
# make a question ask what, who or when.
QUESTION_WORDS = ("comment", "combien", "quel", "quelle", "quels", "quelles", "quand", "où", "qui", "pourquoi", "que",
                  "qu'", "quoi")
NOT_OPEN_QUESTION_WORDS = ("que", "qu'")
# Read right after a question word read whole (so never "quoique"): "quoi" that opens no question ("quoi qu'il
# arrive", "quoi que").
QUOI_ASKS_NOTHING_AFTER = r"(?!(?<=quoi)\s*qu['’e])"

# A negated statement ("ne … pas", "n'a jamais"), and one about what will happen ("aura lieu", "présentera").
NEGATION = r"\b(?:ne|n'|n’)\s*\w*\s*(?:pas|jamais|plus|aucun)"
FUTURE = r"\b(?:aura|auront|sera|seront|fera|feront|ira|iront|\w{3,}(?:era|eront|ira|iront|dra|dront))\b"
# Verbs that carry tense or mood, not meaning.
AUXILIARIES = ("être été est sont sera seront était étaient avoir a ont avait avaient aura auront doit doivent devra "
               "devront devait peut peuvent pourra pourront pouvait va vont")

# What a question asks with when it wants a length of time, an age, a person or a pay ("combien de temps", "quel
# âge", "qui", "quel salaire"), and how a text gives a length of time or an age: regular-expression fragments that
# assistant.question_kinds joins across languages.
DURATION_ASKED = r"\bcombien de temps\b|\bpendant combien\b|\bquelle (?:est la )?durée\b"
# A figure of time: "21 jours", "trois ans" (figures in words are read as digits first).
# Hours are written "48 h" or "48h" as often as "48 heures", after a word of length ("en moins de 48h", "sous 72 h",
# "pendant 24h"); not a time of day ("à 20 h", "dès 8h"), nor "24h/24", nor a name ("A4H").
TIME_GIVEN = (r"(?:\d[\d\s.,]*|\b(?:une?|deux|trois)\s)\s*(?:jours?|semaines?|mois|ans|années?|heures?|minutes?)"
              r"(?!\w)|\b(?:en|dans|pendant|sous|de|sur)\s+(?:les\s+)?\d{1,3}\s?h(?![\w/])")
# A time of day asked ("à quelle heure"), and given after a word placing it in the day ("à 20 h 30", "dès 21 heures",
# "jusqu'à minuit"): "dans les 48 heures", "les 35 heures", "l'après-midi" give none.
HOUR_ASKED = r"\bquelles?\s+heures?\b"
HOUR_GIVEN = (r"\b(?:à|dès|vers|jusqu['’]à|avant|après|entre|à\s+partir\s+de)\s+"
              r"(?:\d{1,2}\s?h(?:eures?)?(?:\s?\d{2})?(?!\w)|midi\b|minuit\b)")
AGE_ASKED = r"\bquel âge\b|\bâgée? de combien\b"
AGE_GIVEN = r"\d+\s*(?:ans\b|années\b)|\bâgée?s?\s+(?:de\s+)?\d+"
# The words that place what follows them ("à Valcourt", "au large de Port-Sérac", "dans la ville de Valmont"): a place
# given is a name after one of them (assistant.question_kinds.gives_place).
# "par" is a way as often as who acts ("en transitant par Valcourt", "par le Gouvernement": see NOT_PLACE); "au sein
# de" is of a body; an unaccented "A" opens a sentence as "À".
PLACE_BEFORE = (r"(?:\b(?:au large|près|aux abords|au (?:nord|sud)(?:-(?:est|ouest))?|à l['’](?:est|ouest)|ville|"
                r"communes?|château|régions?|ports?|villages?|îles?|côtes?|sites?|villes|localités?)\s+"
                r"(?:de\s+|du\s+|des\s+|d['’])|"
                r"\b(?:à|au|aux|en|dans|sur|depuis|vers|jusqu['’]à|par)\s+|(?-i:(?<![\w'’])A\s+))"
                r"(?:l['’]|la\s+|le\s+|les\s+)?")
# Capitalised words after such a word that name who acts or is addressed, or a language, not a place.
NOT_PLACE = (r"(?:Gouvernement|Président|Présidente|Premier|Première|Ministre|Ministère|Conseil|Journal|Mme|"
             r"Madame|Monsieur|Commission|Union|Assemblée|Sénat|Parlement|Cour|Tribunal|Agence|État|Etat|Français|"
             r"Anglais|Arabe)\b")
# A name asked by its verb, in the tenses questions ask it: "comment s'appelle / s'appellent / s'appelait…".
CALLED = r"\bcomment s['’]appel(?:le|lent|ait|aient)"
PERSON_ASKED = (r"^\s*(?:et\s+)?qui\b|\bà qui\b|\bpar qui\b|\bquel(?:le)?s?\s+(?:est\s+le\s+nom\s+d[eu]\s+)?(?:ministres?|"
                r"président(?:e|s)?|secrétaires?|ambassadeurs?|envoyés?|personnalités?|responsables?|dirigeants?)\b|"
                rf"{CALLED}\b")
# Amounts asked without a word of number: a salary, a pension, a fee.
# A question asking how something changed between releases: "a-t-il évolué", "par rapport à", "le chiffre corrigé".
CHANGE_ASKED = (r"\bévolu|\ba-t-(?:il|elle) (?:changé|varié)|\bpar rapport (?:à|au|aux)\b|\bcompar|"
                r"\binitia(?:l|le|les|ux|lement)\b|\bcorrigée?s?\b|\brévisée?s?\b|\bfinalement\b|\bau départ\b|\bentre le premier\b|"
                r"\bdepuis (?:son|le|leur) lancement\b")
AMOUNT_ASKED = r"\bquel(?:le)?s?\b.{0,30}\b(?:salaires?|rémunérations?|pensions?|tarifs?|frais|loyers?|primes?)\b"
# Roles a question names someone by when it asks their name ("comment s'appelle l'ambassadeur…").
ROLES = (r"ministres?|président(?:e|s)?|secrétaires?|ambassad(?:eur|rice)s?|envoyée?s?|représentante?s?|directeur|"
         r"directrice|délégué(?:e)?|chef|cheffe|porte-parole|maire|préfets?|préfètes?|député(?:e)?|"
         r"sénat(?:eur|rice)|(?:haut-)?commissaire|"
         r"procureure?|juge|commandant|gouverneur|coordinat(?:eur|rice)|coordonnat(?:eur|rice)|premier ministre|"
         r"première ministre")
# A reason asked ("pourquoi", "pour quelle raison", "quel est le motif de"), and given: a cause or a purpose ("parce
# que", "en raison de", "afin de", "pour célébrer", "à cette fin", "en conséquence"); not a noun after "pour" ("pour la
# première fois", "pour notre pays"), nor "avoir raison", "la cause défendue", "la raison d'être".
REASON_ASKED = (r"\bpourquoi\b(?!\s+pas\b)|\bpour quelles? raisons?\b|\bdans quel but\b|"
                r"\bquel(?:le)?s?\s+(?:est|était|sont|étaient|a été)\s+(?:la |le |les )?(?:raisons?|motifs?|causes?)\s+"
                r"(?:de|d['’]|du|des|pour)\b(?!\s*être\b)")
REASON_GIVEN = (r"\bparce\s+qu|\bcar\b|\ben raison d|\bdu fait d|\bà cause d|\bgrâce à|\bafin d|\bafin qu|"
                r"\bpour que\b|\bpour\s+(?:[sn]['’]|les\s+|leur\s+|lui\s+|nous\s+|vous\s+|se\s+|y\s+|en\s+)?"
                r"(?!(?:notre|votre|autre|contre|entre|mer|hier|premier|première|dernier|centre|ordre|titre|cadre|"
                r"membre|nombre|ministre)\b)\w+(?:er|ir|re|oir)\b|"
                r"\bsuite à|\bà la suite d|\bfaute d|\bétant donné|\bpuisqu|\bdès lors qu|\bcompte tenu d|"
                r"\ben conséquence\b|\bc['’]est pourquoi\b|\bpour (?:des |une )?raisons?\b|\bau motif\b|"
                r"\bà cette fin\b|\bdans le but\b|\ben vue d|\bconsécuti(?:f|ve|fs|ves) à|\bs['’]explique|"
                r"\ben réponse à\b|\ben réaction à\b|\ben signe de\b|\bd[uû]e?s? à\b|"
                r"\b(?:provoqu|caus|motiv|justifi)(?:é|ée|és|ées)\s+par\b")
# What befell people counted in an attack or a disaster: hurt ("blessés"), or killed ("morts", "tués", "tombés").
INJURED = r"\bbless(?:é|ée|és|ées|ure|ures)\b"
KILLED = (r"\bmort(?:e|s|es)?\b|\btu(?:é|ée|és|ées)\b|\bdécè?s\b|\bdécéd(?:é|ée|és|ées)\b|\btomb(?:é|ée|és|ées)\b|"
          r"\bp[ée]ri(?:s|rent)?\b|\b(?:perdu|donné) (?:la|leur|sa) vie\b")
