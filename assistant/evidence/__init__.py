"""Evidence-first answers: the retrieved passages' own sentences, ranked, chosen and checked in code.

The flow, one module a step: :mod:`.candidates` splits passages into sentences; :mod:`.asked` reads what a question
asks for (a figure, a date, a person, a place, an organisation); :mod:`.rank` scores each sentence by meaning, answer
type and terms; :mod:`.rules` holds the named refusal rules; :mod:`.compose` builds the cited answer.
"""
