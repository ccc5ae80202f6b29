"""The answer rules as a catalogue: for `communiques rules` and the generated ``docs/answers.md``: the evidence
mode's named rules (EVxxx), then the reason codes of the model's mode and of the chain's own refusals (VRxxx)."""

from __future__ import annotations

import inspect
import json
from collections import Counter
from pathlib import Path

from assistant.evidence.asked import IN_EVERY_SCRIPT
from assistant.evidence.rules import (CANDIDATE_RULES, CHAIN_RULES, COMPLETIONS, HOLD_CHECKS, KIND_CHECKS,
                                      REWRITE_CHECKS, RULES, Reason)
from assistant.verify_reasons import ABOUT, MESSAGES, VerifyReason

# What each family of model-mode codes is, by the code's hundreds digit.
_VR_KINDS = {"0": "check", "1": "source sentence", "2": "refusal (model mode)", "3": "refusal (before answering)"}


def catalogue(config) -> list[dict]:
    """Every rule and completion with its code, name, languages, settings (current values) and documentation."""
    out = []
    for rule in RULES:
        doc = inspect.cleandoc(rule.__doc__ or "")
        out.append({"code": rule.code.value, "name": rule.name, "kind": "refusal", "languages": list(rule.languages),
                    "settings": {s: getattr(config, s) for s in rule.settings},
                    "enabled": rule.name not in config.disabled_rules,
                    "summary": doc.split("\n\n")[0].replace("\n", " "), "doc": doc})
    codes = {"runner-up": (Reason.RUNNER_UP, ("runner_up_margin", "runner_up_tie")),
             "overview": (Reason.OVERVIEW, ("overview_sentences", "overview_margin")),
             "release-date": (Reason.RELEASE_DATE, ("date_weight",)),
             "first-release": (Reason.FIRST_RELEASE, ("first_release_weight",)),
             "typed-words": (Reason.TYPED_WORDS, ("typed_weight",)),
             "conversation-release": (Reason.CONVERSATION_RELEASE, ("conversation_weight",)),
             "circumstances-out": (Reason.CIRCUMSTANCES_OUT, ("circumstances_weight",)),
             "change": (Reason.CHANGE, ("change_margin",)),
             "partial": (Reason.PARTIAL, ()),
             "second-release": (Reason.SECOND_RELEASE, ("second_release_margin", "second_release_gain")),
             "dated-releases": (Reason.DATED_RELEASE, ("dated_release_margin",)),
             "kind-search": (Reason.KIND_SEARCH, ("kind_search_chunks", "kind_search_gap")),
             "part-search": (Reason.PART_SEARCH, ("part_search_chunks", "part_search_margin")),
             "same-release": (Reason.SAME_RELEASE, ("same_release_weight",)),
             "shared-sentence": (Reason.SHARED_SENTENCE, ("shared_sentence_penalty",))}
    for name, doc in COMPLETIONS.items():
        code, settings = codes[name]
        out.append({"code": code.value, "name": name, "kind": "completion", "languages": ["fr", "en", "ar"],
                    "settings": {s: getattr(config, s) for s in settings},
                    "enabled": name not in config.disabled_rules, "summary": doc, "doc": doc})

    def part(name: str, doc: str, code: Reason, kind: str, languages: list[str]) -> dict:
        """A named part with no setting of its own (a candidate, an answer type, a check of what a sentence holds)."""
        return {"code": code.value, "name": name, "kind": kind, "languages": languages, "settings": {},
                "enabled": name not in config.disabled_rules, "summary": doc, "doc": doc}

    out += [part(name, doc, Reason.BEST_SENTENCE, "candidate", ["fr", "en", "ar"])
            for name, doc in CANDIDATE_RULES.items()]
    out += [part(name, doc, Reason.ANSWER_TYPE_MISSING, "answer type",
                 ["fr", "en", "ar"] if kind in IN_EVERY_SCRIPT else ["fr", "en"])
            for name, (kind, doc) in KIND_CHECKS.items()]
    out += [part(name, doc, Reason.ANSWER_TYPE_MISSING, "answer type", ["fr", "en", "ar"])
            for name, doc in HOLD_CHECKS.items()]
    out += [part(name, doc, Reason.BEST_SENTENCE, "rewrite check", ["fr", "en", "ar"])
            for name, doc in REWRITE_CHECKS.items()]
    return out + wording_checks(config) + model_codes(config)


def wording_checks(config) -> list[dict]:
    """The checks of the model's condensed wording (on with `answer.condense`): a failed one shows the quotes."""
    from assistant.evidence import condense

    on = config.condense
    out = [{"code": condense.CondenseCheck.CONDENSED.value, "name": "condensed", "kind": "wording", "languages": ["fr", "en", "ar"],
            "settings": {"condense": on}, "enabled": on,
            "summary": "The model's short wording of the chosen sentences, shown when it passes every check below and "
                       "is shorter than the quotes (else EV125, the quotes).",
            "doc": inspect.cleandoc(condense.__doc__ or "")}]
    for name, code, check in condense.CHECKS:
        doc = inspect.cleandoc(check.__doc__ or "")
        out.append({"code": code.value, "name": name, "kind": "wording check", "languages": ["fr", "en", "ar"],
                    "settings": {}, "enabled": on and name not in config.disabled_rules,
                    "summary": doc.replace("\n", " "), "doc": doc})
    return out


def model_codes(config=None) -> list[dict]:
    """Every reason code of the model's mode and of the chain's refusals, in the shape of ``catalogue``'s entries;
    their languages are those their message is written in. Always on, but for the chain's rules (``CHAIN_RULES``:
    low-relevance), which ``config.disabled_rules`` may switch off by name."""
    out = []
    for code in VerifyReason:
        name, catches = ABOUT[code]
        out.append({"code": code.value, "name": name, "kind": _VR_KINDS[code.value[2]],
                    "languages": list(MESSAGES[code]), "settings": {},
                    "enabled": not (config is not None and name in CHAIN_RULES and name in config.disabled_rules),
                    "summary": catches,
                    "doc": catches})
    return out


def fired_in_run(run: Path) -> Counter:
    """How many answers of an evaluation run each reason code decided (refusals by their rule, answers by the
    sentences given)."""
    path = Path(run) / "results.jsonl" if Path(run).is_dir() else Path(run)
    counts: Counter = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        reason = row.get("abstain_reason") or ""
        if reason[:2] in ("EV", "VR"):  # the code a refusal's reason begins with
            counts[reason[:5]] += 1
        for code in {s.get("code") for s in row.get("sentences", []) if s.get("code")}:
            counts[code] += 1
    return counts


def markdown(config) -> str:
    """docs/answers.md: generated from the rules' docstrings (a test fails when the file is stale)."""
    lines = ["# How answers are decided", "",
             "Generated from the code by `python -m assistant.evidence.catalogue > docs/answers.md`; do not edit.", "",
             "An answer is built from the retrieved passages' own sentences (`assistant/evidence`): each sentence is "
             "scored against each part of the question by meaning (EmbeddingGemma similarity, with the sentence before "
             "it), by whether it holds what the part asks for (a figure of its kind, a date, a person, a place, an "
             "organisation) and by the question's terms (IDF-weighted). The rules below refuse from that evidence, "
             "each part of the question alone: a question asking several things is refused only when every part is, "
             "and otherwise answers the parts with evidence and names the others as not stated by the releases; "
             "any rule can be turned off by name (`COMMUNIQUES_ANSWER__DISABLED_RULES='[\"name\"]'`).", ""]
    for e in catalogue(config):
        if e["code"].startswith("VR"):
            continue
        lines += [f"## {e['code']} `{e['name']}` ({e['kind']})", "",
                  f"Languages: {', '.join(e['languages'])}. Settings: "
                  + (", ".join(f"`{k}` = {v}" for k, v in e["settings"].items()) or "none") + ".", "", e["doc"], ""]
    lines += ["## Reason codes of the model's mode and of the chain's refusals", "",
              "When the model writes the answer (`answer.mode = \"model\"`), each sentence it wrote and each one given "
              "from the sources carries one of these codes (`Sentence.code`), and a refusal's reason starts with one "
              "(`abstain_reason`); VR3xx are the refusals made before either mode reads a passage. Each has its "
              "message in every language listed (`assistant/verify_reasons.py`). Of these, only `low-relevance` is a "
              "rule rather than a fact, and is switched off by name like the rules above.", "",
              "| code | name | kind | what it catches | messages |", "|---|---|---|---|---|"]
    lines += [f"| {e['code']} | `{e['name']}` | {e['kind']} | {e['summary']} | {', '.join(e['languages'])} |"
              for e in model_codes()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from assistant.settings import AnswerSettings

    print(markdown(AnswerSettings()), end="")
