"""Word lists per language, one module each: months, the function words that tell languages apart, stopwords."""

from textkit.languages import ar, en, fr

LANGUAGES = {"fr": fr, "en": en, "ar": ar}
