"""The chat forms students type, by the word each stands for ("u" -> "you", "frm" -> "from").

Read by the scorer's tokenizer (`trainer.scoring.chatnorms`, which gives each its NORM), by the debrief's
redaction (`trainer.debrief.othernames`, which never takes one for a name) and by the scenario layer's
reading of a refusal (`trainer.scenario.negation`). Plain data, standard library only, so every layer may
import it (as `trainer.textnorm`): one list, not copies that drift.
"""

from __future__ import annotations

#: One chat form -> the word it stands for (one token each).
WORDS: dict[str, str] = {
    "u": "you", "ya": "you", "yu": "you", "ur": "your", "yr": "your", "r": "are",
    "thx": "thanks", "thanx": "thanks", "pls": "please", "plz": "please",
    "cos": "because", "coz": "because", "cuz": "because", "bc": "because", "becos": "because",
    "frm": "from", "abt": "about", "wud": "would", "wld": "would", "cud": "could", "cld": "could",
    "shud": "should", "shld": "should", "ppl": "people", "tmrw": "tomorrow", "tmr": "tomorrow",
    "tmoz": "tomorrow", "2moro": "tomorrow", "2day": "today", "2nite": "tonight", "b4": "before",
    "txt": "text", "msg": "message", "sry": "sorry", "soz": "sorry", "wiv": "with",
    "bcos": "because", "thru": "through", "tho": "though", "prob": "probably", "probs": "probably",
    "defo": "definitely", "rly": "really", "gd": "good", "nite": "night", "luv": "love",
}  # fmt: skip
