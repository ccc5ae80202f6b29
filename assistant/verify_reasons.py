"""Why the model's mode removed a sentence, moved its citation or gave the source's own sentence: codes, with their
messages in one table per language.

Programs read ``Sentence.code``; ``Sentence.reason`` is the message shown to people, in the answer's language.
Codes VR0xx are the verifier's (see :mod:`assistant.verify`), VR1xx the sentences the answer gives from the sources
(see :mod:`assistant.model_completion`, :mod:`assistant.model_answer`, :mod:`assistant.listing`), VR2xx the refusals
of the model's mode, VR3xx the refusals the chain makes before either mode reads a passage (see
:mod:`assistant.chain`); a refusal's code is the first word of ``Answer.abstain_reason``, as in the evidence mode.
``ABOUT`` gives each code its name and what it catches, for ``communiques rules`` and ``docs/answers.md``.
"""

from __future__ import annotations

from enum import StrEnum


class VerifyReason(StrEnum):
    """Why a sentence of the model's mode was removed or changed, or given from the sources: codes, never prose."""

    RESTATES_QUESTION = "VR001"
    OTHER_DATE = "VR002"
    OTHER_YEAR = "VR003"
    NOT_AS_AVERAGE = "VR004"
    NAMES_ABSENT = "VR005"
    NUMBERS_ABSENT = "VR006"
    DATED_BY_RELEASE = "VR007"
    UNSUPPORTED = "VR008"
    ABOUT_SOMETHING_ELSE = "VR009"
    CITATION_MOVED = "VR010"
    CITATION_ADDED = "VR011"
    CITATION_TO_CITED_RELEASE = "VR012"
    FROM_CITED = "VR100"
    LEFT_OUT = "VR101"
    OVERVIEW = "VR102"
    SOURCE_ANSWER = "VR103"
    OVERRULED = "VR104"
    LISTED = "VR105"
    OTHER_FIGURE = "VR106"
    CLOSEST = "VR107"
    RELEASE_LISTED = "VR108"
    MODEL_FOUND_NONE = "VR200"
    NONE_SUPPORTED = "VR201"
    NO_FIGURE = "VR202"
    FIGURE_OF_ANOTHER_KIND = "VR203"
    NO_DATE = "VR204"
    NO_ORGANISATION = "VR205"
    NOTHING_INDEXED = "VR300"
    NOTHING_RETRIEVED = "VR301"
    LOW_RELEVANCE = "VR302"


MESSAGES: dict[VerifyReason, dict[str, str]] = {
    VerifyReason.RESTATES_QUESTION: {
        "fr": "reprend la question sans y répondre",
        "en": "restates the question without answering it",
        "ar": "يعيد صياغة السؤال دون الإجابة عنه"},
    VerifyReason.OTHER_DATE: {
        "fr": "la source n'est pas de la date que la question nomme",
        "en": "the source is not of the date the question names",
        "ar": "المصدر ليس من التاريخ الذي يذكره السؤال"},
    VerifyReason.OTHER_YEAR: {
        "fr": "la source donne ce chiffre pour une autre année",
        "en": "the source gives this figure for another year",
        "ar": "يعطي المصدر هذا الرقم لسنة أخرى"},
    VerifyReason.NOT_AS_AVERAGE: {
        "fr": "la source donne ce chiffre, mais pas comme une moyenne",
        "en": "the source gives this figure, but not as an average",
        "ar": "يعطي المصدر هذا الرقم، لكن ليس بوصفه متوسطا"},
    VerifyReason.NAMES_ABSENT: {
        "fr": "noms absents de la source",
        "en": "names not in the source",
        "ar": "أسماء غير واردة في المصدر"},
    VerifyReason.NUMBERS_ABSENT: {
        "fr": "nombres absents de la source",
        "en": "numbers not in the source",
        "ar": "أرقام غير واردة في المصدر"},
    VerifyReason.DATED_BY_RELEASE: {
        "fr": "seuls le titre ou la date du communiqué donnent ces nombres, et la phrase n'en est pas proche",
        "en": "only the release's title or date gives these numbers, and the sentence is not close to it",
        "ar": "لا يعطي هذه الأرقام سوى عنوان البلاغ أو تاريخه، والجملة ليست قريبة منه"},
    VerifyReason.UNSUPPORTED: {
        "fr": "non étayé par les sources",
        "en": "not supported by the sources",
        "ar": "غير مدعوم بالمصادر"},
    VerifyReason.ABOUT_SOMETHING_ELSE: {
        "fr": "la source dit cela à propos d'autre chose que la question",
        "en": "the source says this about something else than the question",
        "ar": "يقول المصدر هذا عن شيء آخر غير موضوع السؤال"},
    VerifyReason.CITATION_MOVED: {
        "fr": "citation déplacée vers le passage qui l'étaye",
        "en": "citation moved to the supporting passage",
        "ar": "نُقل الاستشهاد إلى المقطع الذي يدعمه"},
    VerifyReason.CITATION_ADDED: {
        "fr": "citation ajoutée",
        "en": "citation added",
        "ar": "أُضيف استشهاد"},
    VerifyReason.CITATION_TO_CITED_RELEASE: {
        "fr": "citation déplacée vers un communiqué que la réponse cite déjà",
        "en": "citation moved to a release the answer already cites",
        "ar": "نُقل الاستشهاد إلى بلاغ تستشهد به الإجابة أصلا"},
    VerifyReason.FROM_CITED: {
        "fr": "aucune phrase du modèle n'était étayée par les communiqués qu'il citait : leur phrase la plus proche de "
              "la question est donnée à la place",
        "en": "no sentence of the model's was supported by the releases it cited: their sentence closest to the "
              "question is given instead",
        "ar": "لم تكن أي جملة من جمل النموذج مدعومة بالبلاغات التي استشهد بها: تُعطى بدلا منها جملتها الأقرب إلى "
              "السؤال"},
    VerifyReason.LEFT_OUT: {
        "fr": "le modèle a laissé cette partie de la question sans réponse : la phrase de la source est donnée telle "
              "quelle",
        "en": "the model left this part of the question unanswered: the source's sentence is given as it is",
        "ar": "ترك النموذج هذا الجزء من السؤال دون إجابة: تُعطى جملة المصدر كما هي"},
    VerifyReason.OVERVIEW: {
        "fr": "la question demande une vue d'ensemble : la phrase la plus pertinente de la source, avec des faits "
              "qui lui sont propres, est donnée aussi",
        "en": "the question asks for an overview: the source's most relevant sentence with facts of its own is given "
              "too",
        "ar": "يطلب السؤال نظرة عامة: تُعطى أيضا جملة المصدر الأكثر صلة التي تحمل وقائع خاصة بها"},
    VerifyReason.SOURCE_ANSWER: {
        "fr": "la réponse ne donnait aucun chiffre ni aucune date des sources : la phrase de la source la plus proche "
              "de la question est donnée à la place",
        "en": "the answer gave no figure or date from the sources: the source's sentence closest to the question is "
              "given instead",
        "ar": "لم تعط الإجابة أي رقم أو تاريخ من المصادر: تُعطى بدلا منها جملة المصدر الأقرب إلى السؤال"},
    VerifyReason.OVERRULED: {
        "fr": "le modèle n'a donné aucune réponse tirée des sources, mais la phrase de la source la plus proche de la "
              "question en est très proche : elle est donnée telle quelle",
        "en": "the model gave no answer from the sources, but the source's sentence closest to the question is very "
              "close: it is given as it is",
        "ar": "لم يعط النموذج أي إجابة من المصادر، لكن جملة المصدر الأقرب إلى السؤال قريبة جدا منه: تُعطى كما هي"},
    VerifyReason.LISTED: {
        "fr": "la question en demande plusieurs ; la phrase de la source citée en nomme davantage que la réponse : "
              "elle est donnée aussi",
        "en": "the question asks for several; the cited source's sentence names more of them than the answer: it is "
              "given too",
        "ar": "يطلب السؤال عدة عناصر؛ وجملة المصدر المستشهد به تذكر منها أكثر مما تذكر الإجابة: تُعطى أيضا"},
    VerifyReason.OTHER_FIGURE: {
        "fr": "le chiffre de la réponse n'est pas dans la phrase de la source qui répond le plus directement à la "
              "question : cette phrase est donnée aussi",
        "en": "the answer's figure is not in the source's sentence that answers the question most directly: that "
              "sentence is given too",
        "ar": "رقم الإجابة غير وارد في جملة المصدر التي تجيب على السؤال بشكل أكثر مباشرة: تُعطى تلك الجملة أيضا"},
    VerifyReason.CLOSEST: {
        "fr": "la phrase de la source citée la plus proche de la question contient un fait qui manque à la réponse : "
              "elle est donnée aussi",
        "en": "the cited source's sentence closest to the question holds a fact the answer lacks: it is given too",
        "ar": "جملة المصدر المستشهد به الأقرب إلى السؤال تتضمن واقعة تنقص الإجابة: تُعطى أيضا"},
    VerifyReason.RELEASE_LISTED: {
        "fr": "un communiqué trouvé sur le sujet : listé depuis l'index (date, émetteur, titre), non écrit par le "
              "modèle",
        "en": "a release found on the subject: listed from the index (date, issuer, title), not written by the model",
        "ar": "بلاغ عُثر عليه حول الموضوع: مدرج من الفهرس (التاريخ، الجهة المصدرة، العنوان)، لم يكتبه النموذج"},
    VerifyReason.MODEL_FOUND_NONE: {
        "fr": "le modèle n'a trouvé aucune réponse",
        "en": "the model found no answer",
        "ar": "لم يجد النموذج أي إجابة"},
    VerifyReason.NONE_SUPPORTED: {
        "fr": "aucune phrase étayée par les sources",
        "en": "no sentence supported by the sources",
        "ar": "لا توجد جملة مدعومة بالمصادر"},
    VerifyReason.NO_FIGURE: {
        "fr": "la question demande un chiffre ; aucun n'a été trouvé dans les sources",
        "en": "asked for a figure; none found in the sources",
        "ar": "يطلب السؤال رقما؛ لم يُعثر على أي رقم في المصادر"},
    VerifyReason.FIGURE_OF_ANOTHER_KIND: {
        "fr": "la question demande un chiffre d'une autre sorte",
        "en": "asked for a figure of another kind",
        "ar": "يطلب السؤال رقما من نوع آخر"},
    VerifyReason.NO_DATE: {
        "fr": "la question demande une date ; aucune n'a été trouvée dans les sources",
        "en": "asked for a date; none found in the sources",
        "ar": "يطلب السؤال تاريخا؛ لم يُعثر على أي تاريخ في المصادر"},
    VerifyReason.NO_ORGANISATION: {
        "fr": "la question demande quelle entreprise ou quel groupe ; les sources n'en nomment aucun",
        "en": "asked which company or group; the sources call none so",
        "ar": "يسأل السؤال عن أي شركة أو مجموعة؛ والمصادر لا تسمي أيا منها كذلك"},
    VerifyReason.NOTHING_INDEXED: {
        "fr": "aucun communiqué n'est indexé",
        "en": "nothing indexed",
        "ar": "لا توجد بلاغات مفهرسة"},
    VerifyReason.NOTHING_RETRIEVED: {
        "fr": "aucun passage trouvé",
        "en": "nothing retrieved",
        "ar": "لم يُعثر على أي مقطع"},
    VerifyReason.LOW_RELEVANCE: {
        "fr": "passages trouvés peu pertinents (meilleure similarité)",
        "en": "low relevance (best similarity)",
        "ar": "المقاطع التي عُثر عليها قليلة الصلة (أفضل تشابه)"},
}

# Each code's stable name and what it catches, in one line (the messages above say it to the user).
ABOUT: dict[VerifyReason, tuple[str, str]] = {
    VerifyReason.RESTATES_QUESTION: ("restates-question", "A sentence that repeats the question without answering "
                                     "it: removed."),
    VerifyReason.OTHER_DATE: ("other-date", "A sentence supported only by a release of another date than the one the "
                              "question names: removed."),
    VerifyReason.OTHER_YEAR: ("other-year", "A figure the source gives for another year than the sentence's: removed."),
    VerifyReason.NOT_AS_AVERAGE: ("not-as-average", "A figure given as an average that the source does not give as "
                                  "one: removed."),
    VerifyReason.NAMES_ABSENT: ("names-absent", "A sentence naming people or bodies the passage does not name: "
                                "removed."),
    VerifyReason.NUMBERS_ABSENT: ("numbers-absent", "A sentence with figures the passage does not hold: removed."),
    VerifyReason.DATED_BY_RELEASE: ("dated-by-release", "Figures found only in the release's title or date, in a "
                                    "sentence otherwise far from the passage: removed."),
    VerifyReason.UNSUPPORTED: ("unsupported", "A sentence no passage supports in meaning: removed."),
    VerifyReason.ABOUT_SOMETHING_ELSE: ("about-something-else", "A sentence the source supports, but about another "
                                        "thing than the question: removed."),
    VerifyReason.CITATION_MOVED: ("citation-moved", "A sentence citing a passage that does not support it when "
                                  "another does: the citation is moved."),
    VerifyReason.CITATION_ADDED: ("citation-added", "A supported sentence without a citation: the supporting "
                                  "passage's is added."),
    VerifyReason.CITATION_TO_CITED_RELEASE: ("citation-to-cited-release", "A citation moved to a release the answer "
                                             "already cites, so that the answer cites fewer releases."),
    VerifyReason.FROM_CITED: ("from-cited", "No sentence of the model's supported: the cited releases' sentence "
                              "closest to the question is given instead."),
    VerifyReason.LEFT_OUT: ("left-out", "A part of the question the model left unanswered: the source's sentence for "
                            "it, as it is."),
    VerifyReason.OVERVIEW: ("overview", "A question asking an overview: the source's most relevant sentence with facts "
                            "of its own is added."),
    VerifyReason.SOURCE_ANSWER: ("source-answer", "A figure or date question answered with none from the sources: the "
                                 "source's closest sentence instead."),
    VerifyReason.OVERRULED: ("overruled", "The model found no answer, but a source sentence is very close to the "
                             "question: it is given as it is."),
    VerifyReason.LISTED: ("listed", "A question asking for several things: the cited sentence naming more of them than "
                          "the answer is added."),
    VerifyReason.OTHER_FIGURE: ("other-figure", "The answer's figure is not in the source sentence that answers most "
                                "directly: that sentence is added."),
    VerifyReason.CLOSEST: ("closest", "The cited sentence closest to the question holds a fact the answer lacks: it is "
                           "added."),
    VerifyReason.RELEASE_LISTED: ("release-listed", "A question asking which releases: each release found, listed "
                                  "from the index (date, issuer, title)."),
    VerifyReason.MODEL_FOUND_NONE: ("model-found-none", "Refusal: the model found no answer and no source sentence is "
                                    "close enough to give instead."),
    VerifyReason.NONE_SUPPORTED: ("none-supported", "Refusal: no sentence of the answer is supported by the sources."),
    VerifyReason.NO_FIGURE: ("no-figure", "Refusal: the question asks for a figure and the answer gives none from the "
                             "sources."),
    VerifyReason.FIGURE_OF_ANOTHER_KIND: ("figure-of-another-kind", "Refusal: the question asks for a figure of one "
                                          "kind (an amount, a share) and the answer gives another."),
    VerifyReason.NO_DATE: ("no-date", "Refusal: the question asks for a date and the answer gives none from the "
                           "sources."),
    VerifyReason.NO_ORGANISATION: ("no-organisation", "Refusal: the question asks which company or group and the "
                                   "sources call none so."),
    VerifyReason.NOTHING_INDEXED: ("nothing-indexed", "Refusal in either mode: the index is empty (the user is told "
                                   "how to add releases)."),
    VerifyReason.NOTHING_RETRIEVED: ("nothing-retrieved", "Refusal in either mode: retrieval found no passage (the "
                                     "filters leave none, or nothing matches)."),
    VerifyReason.LOW_RELEVANCE: ("low-relevance", "Refusal in either mode: the best passage is not similar enough to "
                                 "the question and holds too few of its terms."),
}

# Before the detail a message carries ("numbers not in the source: 12"): French sets its colon apart.
_COLON = {"fr": " : ", "en": ": ", "ar": ": "}


def message(code: VerifyReason, lang: str, detail: str = "") -> str:
    """The reason in the user's language (French when the language has no table), followed by ``detail`` (the
    names or figures concerned) when given."""
    table = MESSAGES[code]
    text = table.get(lang, table["fr"])
    return f"{text}{_COLON.get(lang, _COLON['fr'])}{detail}" if detail else text


def logged(code: VerifyReason, detail: str = "") -> str:
    """A refusal's reason as evaluation runs record it: the code first, then its English message."""
    return f"{code.value} {message(code, 'en', detail)}"
