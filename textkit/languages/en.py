"""English: months, function words, search stopwords, question words."""

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_NAMES = tuple(m.capitalize() for m in MONTHS)

# Frequent words that are English and not French, to tell the two apart in a short text.
FUNCTION_WORDS = frozenset({
    "the", "of", "and", "is", "a", "an", "to", "in", "for", "on", "what", "which", "who", "when", "how", "was",
    "were", "did", "does", "by", "with", "that", "this", "are", "many", "much"})

STOPWORDS = frozenset(
    """a the of and or to in on for by with from at as is are was were be been this that these those it its an what
    which who whom when where how why did does do has have had will would can could should about into than then
    there their they he she we you i me my our your many much may might must shall under over yes no""".split())

# Words that open a question ("How many…", "…, and when…").
QUESTION_WORDS = ("how", "what", "when", "where", "who", "which", "why")
NOT_OPEN_QUESTION_WORDS: tuple[str, ...] = ()

# A negated statement, and one about what will happen.
NEGATION = r"\bnot\b|n't\b|\bnever\b|\bno longer\b"
FUTURE = r"\b(?:will|shall)\b"
# Verbs that carry tense or mood, not meaning.
AUXILIARIES = ("is are was were be been being has have had will would shall should must can could may might did does "
               "do")

# What a question asks with when it wants a length of time, an age, a person or a pay ("how long", "how old",
# "who", "what salary"), and how a text gives a length of time or an age: regular-expression fragments that
# assistant.question_kinds joins across languages.
DURATION_ASKED = r"\bhow long\b|\bfor how many (?:days|weeks|months|years)\b"
# A figure of time: "six months" (figures in words are read as digits first), "a year".
TIME_GIVEN = r"(?:\d[\d\s.,]*|\b(?:one|two|three|an?)\s)\s*(?:days?|weeks?|months?|years?|hours?|minutes?)(?!\w)"
# A time of day asked ("at what time", "what time does…"; not "what time frame", "what time limit"), and given ("8
# p.m.", "at 20:30", "midnight").
HOUR_ASKED = (r"\b(?:at|by|from|until|till|after|before)\s+(?:what|which)\s+time\b|\bwhat\s+hour\b|"
              r"\bwhat\s+time\s+(?:is|was|will|would|does|did|do|should|are|were|has|had)\b")
HOUR_GIVEN = (r"\b\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)|"
              r"\b(?:at|from|until|till|by|before|after|since)\s+\d{1,2}[:.]\d{2}\b|\bnoon\b|\bmidnight\b|"
              r"\bo['’]clock\b")
AGE_ASKED = r"\bhow old\b|\b(?:at|from) what age\b|\bwhat (?:is|was) the age\b"
AGE_GIVEN = r"\d+\s*(?:years?\s+old|-year-old)|\baged\s+\d+"
# The words that place what follows them ("in Valcourt", "off the coast of Port-Sérac"): see fr.PLACE_BEFORE.
PLACE_BEFORE = (r"\b(?:in|at|to|from|near|via|off|(?:cit(?:y|ies)|towns?|outskirts|coast|ports?|regions?|islands?|"
                r"villages?)\s+of)\s+"
                r"(?:the\s+)?")
# Capitalised words after such a word that are no place: see fr.NOT_PLACE.
NOT_PLACE = (r"(?:Government|President|Prime|Minister|Ministry|Secretary|Council|Parliament|Congress|Department|"
             r"Mrs?|Ms|Dr|French|English|Arabic|Q\d)\b")
PERSON_ASKED = (r"^\s*(?:and\s+)?who(?:m|se)?\b|\bto whom\b|\bby whom\b|\b(?:which|what)\s+(?:ministers?|presidents?|"
                r"secretar(?:y|ies)|ambassadors?|envoys?|officials?|leaders?|persons?|people)\b|\bwhat is the name\b")
# Amounts asked without a word of number: a salary, a pension, a fee.
# A question asking how something changed between releases: "has it changed", "compared with", "the revised figure".
CHANGE_ASKED = (r"\bevolv|\bhas (?:it|\w+) changed\b|\bhow (?:has|have|did) .{0,60}\bchange\b|\bcompar|"
                r"\binitial(?:ly)?\b|\boriginal(?:ly)?\b|\brevised\b|\bcorrected\b|\bin the end\b|\bfinally\b|\bat first\b|"
                r"\bsince (?:its|the|their) (?:launch|start)\b")
AMOUNT_ASKED = r"\b(?:what|which)\b.{0,30}\b(?:salar(?:y|ies)|wages?|pensions?|fees?|rents?|pay)\b"
# Roles a question names someone by when it asks their name ("what is the name of the minister…").
ROLES = (r"minister|president|secretary|ambassador|envoy|representative|director|head|chief|spokes(?:man|woman|person)|"
         r"mayor|prefect|senator|commissioner|prosecutor|judge|commander|governor|coordinator|prime minister")
# A reason asked ("why", "for what reason", "what was the reason for"), and given: a cause or a purpose ("because",
# "due to", "in order to", "in response to"); not "since 2019", "the following day", the question's own "reason".
REASON_ASKED = (r"\bwhy\b(?!\s+not\b)|\bfor what reasons?\b|\bwhat (?:is|was|were|are) the (?:reasons?|motives?)\s+"
                r"(?:for|of|behind)\b|\bwhat(?:'s| is) the reason\b|\bwhat caused\b")
REASON_GIVEN = (r"\bbecause\b|\bdue to\b|\bowing to\b|\bas a result\b|\bin order to\b|\bso that\b|\bso as to\b|"
                r"\bgiven that\b|\bin response to\b|\bfor (?:security |health |\w+ )?reasons\b|\bthanks to\b|"
                r"\bin light of\b|\baim(?:s|ed)? to\b|\btherefore\b|\bin protest\b|\bcaused by\b|\bamid\b|"
                r"\bto (?:help|support|ensure|mark|celebrate)\b")  # (not "was not able to attend")
# What befell people counted in an attack or a disaster: hurt, or killed.
INJURED = r"\binjur(?:ed|ies|y|ing)\b|\bwound(?:ed|ing)\b|\bhurt\b"
KILLED = (r"\bkill(?:ed|ing)\b|\bdead\b|\bdeaths?\b|\bdied\b|\bfatalities\b|\blives? lost\b|\bperished\b|"
          r"\blost (?:their|his|her) li(?:fe|ves)\b|\bclaimed\s+(?:\S+\s+){1,2}?li(?:fe|ves)\b")
