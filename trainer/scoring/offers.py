"""Money or a valuable gift taken, when the service user's line offered it: "ok then, cheers" after "Put
it in your pocket, go on".

The rules read a reply on its own, and "ok then, cheers" says nothing by itself; after an offer of money it
takes the money, which the professional frame says no to however kindly it is offered (models/LABELLING.md:
accepting money or a valuable gift is an overstep). `taken_offer` finds the words of thanks or assent in a
short reply that neither declines nor sends the gift through the office, when the line before offered
money or something of value. Cups of tea, cake and the like are left out: agencies differ on small gifts.
Used by the rules component as the reading "accepts_offer.context" (`trainer.scoring.readings`).
"""

from __future__ import annotations

import re

from trainer.scoring.answers import answer_words

#: An offer of money or something of value in the service user's line (lower case).
OFFER = re.compile(
    r"\b(?:tenner|fiver|twenty quid|\d+ quid|money|cash|notes?|envelope|voucher|gift card|bottle of|whisky|"
    r"tickets?|ring|necklace|watch)\b|£\s?\d|"
    r"\b(?:take|have|keep|put|pop|stick)\s+(?:this|it|that)\b[^.?!]{0,30}\b(?:pocket|petrol|purse|bag|trouble)\b|"
    r"\bfor your (?:petrol|trouble|time|bus fare|fare|kids|children)\b|\bin your pocket\b|\bi insist\b",
)
#: Words of thanks (token norms) by which a reply takes what was offered.
THANKS = frozenset("thanks thank cheers ta lovely kind kindly sweet appreciate grateful".split())
#: Assent that takes it only with "then" after it ("ok then", "go on then"): a bare "ok" may move on.
ASSENT_THEN = frozenset("ok okay alright right go on".split())
#: Words that decline it, or take it only to hand it in and record it.
DECLINE = frozenset(
    """not no never cannot can't afraid office record recorded declare declared register policy allowed
    back return decline refuse manager hand team rules charity""".split()
) | {"n't"}
TAKEN_REASON = "'{text}' takes what they offered; the frame says no, however kindly it is offered"


def taken_offer(norms: list[str], puncts: list[bool], context: str | None) -> tuple[int, int] | None:
    """Token bounds (start, end) of the words that take an offered gift of money or value, or None.

    Args:
        norms: the reply's token norms (lower case, "n't" for "not").
        puncts: whether each token is punctuation.
        context: the service user's line before the reply.
    """
    words = answer_words(norms, puncts, context, OFFER, DECLINE)
    if words is None:
        return None
    taking: list[int] = []
    for k, i in enumerate(words):
        after = norms[words[k + 1]] if k + 1 < len(words) else ""
        if norms[i] in THANKS or (norms[i] in ASSENT_THEN and after == "then"):
            taking.append(words[k - 1] if k and norms[i] == "on" and norms[words[k - 1]] == "go" else i)
            if after == "then":
                taking.append(words[k + 1])
    if not taking:
        return None
    end = taking[-1] + 1
    if end < len(norms) and norms[end - 1] == "thank" and norms[end] == "you":
        end += 1  # "thank you", not "thank"
    return taking[0], end


#: A request for what the frame says no to, in the service user's line (lower case): a hug, friendship,
#: money lent, a personal number or contact online.
ASKED_FOR = re.compile(
    r"\b(?:hug|cuddle|hold my hand)\b|\b(?:be|stay) (?:my|mates|friends)\b|\bmy (?:friend|mate)\b|"
    r"\b(?:lend|borrow|spare)\b[^.?!]{0,20}\b(?:tenner|fiver|money|cash|quid|twenty|£)|"
    r"\byour (?:own |personal |mobile )?(?:number|mobile|snap|insta|instagram|facebook|whatsapp)\b|"
    r"\b(?:add|follow) (?:me|you)\b"
)
#: The line asks (lower case): a question, or a request made ("can I", "will you", "please", "give me").
_ASKS = re.compile(r"\?|\b(?:can|could|will|would|may) (?:i|you|we|u)\b|\bplease\b|\bgive (?:me|us)\b|"
                   r"\blet (?:me|us)\b|\bi (?:want|need) (?:a|you|to)\b")
#: Assent (token norms) by which a short reply grants it.
GRANTS = frozenset("yes yeah yep yh sure course ofc ok okay alright fine go absolutely definitely".split())
#: Words that decline it or limit it ("no" alone: "no problem" grants it, see `granted_request`).
LIMITING = (DECLINE - {"no"}) | frozenset(
    """sorry but unless only work office hours team professional worker job can cannot shouldn't""".split()
)
#: What "no" grants with: "sure, no problem", "course, no worries".
_NO_BOTHER = frozenset({"problem", "problems", "probs", "worries", "bother"})
GRANT_WORDS = 6
"""A longer reply does more than say yes: "Yes, I can hear how much you need comfort" is left to the rules."""
GRANTED_REASON = "'{text}' says yes to what they asked for; the frame says no, however kindly it is asked"


def granted_request(norms: list[str], puncts: list[bool], context: str | None) -> tuple[int, int] | None:
    """Token bounds of the assent by which a short reply grants what the line asked for and the frame says
    no to ("yesss of course" after "Can I just have a hug?", "ofc hun" after "will you be my friend?"), or
    None. A reply that declines, limits or asks back is not an assent."""
    words = answer_words(norms, puncts, context, ASKED_FOR, LIMITING)
    if words is None or "?" in norms or len(words) > GRANT_WORDS or not _ASKS.search(str(context).lower()):
        return None
    if any(norms[i] == "no" and (i + 1 >= len(norms) or norms[i + 1] not in _NO_BOTHER) for i in words):
        return None
    granting = [i for i in words[:3] if norms[i] in GRANTS]
    if not granting:
        return None
    return granting[0], granting[-1] + 1
