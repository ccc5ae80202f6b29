"""Arabic: months (Mashreq and Maghreb names), Eastern Arabic digits, search stopwords, question words."""

import re

SCRIPT = re.compile(r"[\u0600-\u06ff]")
# Eastern Arabic and Persian digits to ASCII digits.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

MONTHS = {"يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "أبريل": 4, "ابريل": 4,
          "نيسان": 4, "ماي": 5, "مايو": 5, "أيار": 5, "يونيو": 6, "يونيه": 6, "حزيران": 6, "يوليو": 7, "يوليوز": 7,
          "تموز": 7, "غشت": 8, "أغسطس": 8, "آب": 8, "سبتمبر": 9, "شتنبر": 9, "أيلول": 9, "أكتوبر": 10,
          "تشرين الأول": 10, "نوفمبر": 11, "نونبر": 11, "تشرين الثاني": 11, "ديسمبر": 12, "دجنبر": 12,
          "كانون الأول": 12}
# Dates are written with the Mashreq names (the table above also reads the Maghreb's "غشت").
MONTH_NAMES = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
               "ديسمبر")

STOPWORDS = frozenset(
    """أين كيف لماذا في من على الى إلى عن مع ان أن هذا هذه ذلك التي الذي و او ما ماذا متى كم هل قد كان""".split())
# Article and conjunction prefixes that light stemming takes off.
PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")

# Words that open a question ("كم…", "…، ومتى…"). "هل" asks yes or no: it does not make a question ask what, who or
# when.
QUESTION_WORDS = ("ما", "ماذا", "كم", "متى", "من", "أين", "كيف", "لماذا", "هل")
NOT_OPEN_QUESTION_WORDS = ("هل",)

# A negated statement, and one about what will happen.
NEGATION = r"(?:^|\s)(?:لم|لن|ليس|لا)\s"
FUTURE = r"سوف|سيتم|ستقام"

# What a question asks with when it wants a length of time, an age, a person or a pay ("ما مدة", "كم عمر", "من",
# "الراتب"), and how a text gives a length of time or an age: regular-expression fragments that
# assistant.question_kinds joins across languages.
DURATION_ASKED = (r"\bما (?:هي )?مدة\b|(?<!\w)[بل]?كم (?:من الوقت|يوما|يوماً|شهرا|شهراً|سنة|عاما|عاماً)|"
                  # "how long did it last": "كم دامت المكالمة؟", "كم ساعة استغرق…" (vowel marks read: "كَمْ")
                  r"(?<!\w)[وف]?ك\u064e?م\u0652?\s+"
                  r"(?:(?:ساعة|دقيقة|يوما|يوماً|أسبوعا|أسبوعاً|شهرا|شهراً|سنة|عاما|عاماً)\s+)?"
                  r"(?:دام|دامت|استمر|استمرت|يستمر|تستمر|استغرق|استغرقت|يستغرق|تستغرق|يدوم|تدوم|سيستمر|ستستمر|"
                  r"سيدوم|ستدوم)(?!\w)")
# A figure of time: "30 يوماً", and the dual forms that are a figure by themselves ("عامين": two years).
TIME_GIVEN = (r"\d[\d\s.,]*\s*(?:يوم|يوما|يوماً|أيام|أسبوع|أسابيع|شهر|أشهر|شهرا|شهراً|سنة|سنوات|عام|عاما|عاماً|أعوام|ساعة|"
              r"ساعات)(?!\w)|(?<!\w)(?:عامين|سنتين|شهرين|يومين|أسبوعين|ساعتين)(?!\w)")
# A time of day asked ("في أي ساعة", "بأيّ ساعة": at what hour), and given ("الساعة 8", "بالساعة التاسعة",
# "منتصف الليل": midnight).
HOUR_ASKED = r"(?<![^\sب])(?:أي|أية)\u0651?\s+ساعة(?!\w)|(?<!\w)ما\s+(?:هي\s+)?الساعة(?!\w)"
HOUR_GIVEN = (r"الساعة\s+(?:\d|(?:ال)?(?:واحدة|ثانية|ثالثة|رابعة|خامسة|سادسة|سابعة|ثامنة|تاسعة|عاشرة|حادية)(?!\w))|"
              r"منتصف الليل|(?<!\d)\d{1,2}:\d{2}(?!\d)")
AGE_ASKED = r"\bكم (?:كان |يبلغ |بلغ )?عمر|(?<!\w)في أي سن(?!\w)"
AGE_GIVEN = r"\d+\s*(?:عاما|عامًا|سنة)"
PERSON_ASKED = r"^\s*من\s|ما اسم|أي وزير"
# Amounts asked without a word of number: a wage, a salary.
# A question asking how something changed between releases: "تطور", "مقارنة", "الرقم المعدل".
CHANGE_ASKED = r"تطور|تغير|مقارنة|بالمقارنة|قارن|الأولي|المعدل|المصحح|في النهاية"
AMOUNT_ASKED = r"(?<!\w)[وبل]?(?:ال)?(?:أجر|أجرة|أجور|راتب|رواتب)(?!\w)"
# Roles a question names someone by when it asks their name ("ما اسم السفير…").
ROLES = r"سفير|وزير|رئيس|مدير|نائب|ممثل|مبعوث|قائد|محافظ|مستشار|منسق|عمدة|حاكم|مدعي|مفوض|متحدث"
# A reason asked ("لماذا", "ما سبب", "لأي سبب": why, what was the cause), and given ("بسبب", "لأن", "نظرا", "من أجل":
# because of, because, given, in order to; with "و" before them); not the noun "سبب" alone ("لم يعلن سبب…").
REASON_ASKED = (r"(?<!\w)[وف]?لماذا(?!\w)|(?<!\w)ما\s+(?:هو\s+|هي\s+)?(?:ال)?(?:سبب|أسباب|الدافع|دوافع)|"
                r"(?<!\w)لأي\s+سبب")
REASON_GIVEN = (r"(?<!\w)[وف]?(?:بسبب|لأن|لأنه|لأنها|نظرا|نظراً|بفضل|من أجل|لكي|جراء|بهدف|لذلك|نتيجة|احتجاجا|"
                r"احتجاجاً|للمشاركة|على إثر)(?!\w)")
# What befell people counted in an attack or a disaster: hurt ("جرحى", "مصابين"), or killed ("قتلى", "وفاة").
# (with "و", "ب", "ل" glued before them; not "إصابات", which are infections as often, but "مقتل 3 وإصابة 20", "and
# the injury of")
INJURED = r"(?<!\w)[وبل]?(?:ال)?(?:جرحى|جريح|جرح|بجروح)(?!\w)|(?<!\w)[وف]?أصيب|(?<!\w)وإصابة(?!\w)"
# (not "مصاب", "إصابات": the infected as often as the injured)
KILLED = (r"(?<!\w)[وبل]?(?:ال)?(?:قتلى|قتيل|وفاة|وفيات|مقتل|شهداء|مصرع)(?!\w)|"
          r"(?<!\w)[وف]?(?:لقوا حتفهم|لقي|قتل|توفي|توفيت|استشهد)(?!\w)")
