"""Other people's names typed in lower case after a relation, a role, a title or "name is" are redacted
in exports; the ordinary words that follow a relation are kept (trainer/debrief/othernames.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.en.stop_words import STOP_WORDS

from tests.test_debrief_fixtures import FEAR, assess, exchange, scenario
from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import export
from trainer.debrief.othernames import NAME_WORDS, ORDINARY, is_ordinary
from trainer.debrief.redact import RELATIONS, Redactor

#: Lower-case first names as students type them: common in the UK across generations and communities, and
#: names that are also words ("will", "rose", "drew", "hope").
FIRST_NAMES = sorted(set("""
jake kayleigh dean patel oliver george harry noah jack leo arthur muhammad mohammed ahmed oscar charlie
henry theo freddie alfie archie thomas james william isaac joshua jacob lucas ethan max logan mason
daniel samuel finley riley adam alexander sebastian teddy reggie tommy ronnie albie rory jaxon dylan
elijah reuben hugo olivia amelia isla ava ivy freya lily florence mia willow rosie sophia isabella grace
daisy sienna poppy elsie emily ella evelyn phoebe sofia evie charlotte harper millie matilda ruby maya
eva alice aria bonnie esme hallie luna ellie chloe jessica lauren hannah megan sophie katie amy rebecca
bethany shannon courtney chelsea jade kelly leanne stacey gemma natalie sarah claire nicola michelle
lisa tracey sharon karen julie susan janet linda margaret doreen joan maureen brenda pauline sandra
denise lorraine dawn jason darren wayne lee craig gary kevin paul mark steven stephen david michael john
peter robert richard andrew christopher simon neil ian anthony martin colin keith barry derek trevor
clive nigel graham brian alan ken terry dave mike steve rob nick tony matt chris ben sam tom dan joe jim
bob bill phil pete ted fred ned ron reg sid stan vic wes des les gus russ ross jess tess bea dot sue pat
val viv kai tyler jordan callum connor declan kieran liam sean ciaran niamh siobhan aoife caoimhe roisin
sinead eilidh morag fiona hamish angus euan callum iain rhys dafydd gethin cerys seren carys sian bethan
priya anjali aisha fatima zainab maryam amina ayesha sana hina nadia yasmin rukhsana shazia rehana tariq
imran asif bilal hamza usman ali omar hassan hussain ibrahim yusuf zain arjun rohan rahul vikram sanjay
amit ravi deepak harpreet gurpreet manpreet jaspreet simran navdeep kiran sunita anita kasia agnieszka
magda zofia piotr tomasz krzysztof marek pawel jakub lukasz andrzej oksana olena ioana andrei mihai
bogdan darius lukas tomas jonas giedre femi ade tunde chidi emeka kemi funmi bukola ngozi chioma adaeze
kwame kofi ama akosua abena tendai tatenda chipo themba sipho thabo nomsa zanele shaniqua tyrone leroy
delroy winston marcia beverley sonia wei ming mei lin jun hui minh linh thi anh jamal malik khalid
nasser layla noor huda rania will may rose hope faith joy mercy june april august summer autumn holly
hazel heather iris violet jasmine amber crystal pearl robin jay drew chase hunter miles grant lance
pierce wade brook storm frank ray guy carol gene art sky sonny buddy angel star honey ash eve sage clay
skye river ace destiny harmony precious blessing gift patience prudence constance charity honour
""".split()))


def redacted(text: str) -> str:
    return Redactor({}, pii=True).text(text)


@pytest.mark.parametrize("typed, expected", [
    ("my son jake has stopped going", "my son [name] has stopped going"),
    ("her boyfriend dean smith", "her boyfriend [name]"),
    ("me and my sister kayleigh", "me and my sister [name]"),
    ("our gp dr patel", "our gp dr [name]"),
    ("our GP dr patel said", "our GP dr [name] said"),
    ("i saw dr patel today", "i saw dr [name] today"),
    ("my son jake's school rang", "my son [name]'s school rang"),
    ("my sons jake and tom", "my sons [name]"),
    ("my little brother kayleigh", "my little brother [name]"),
    ("her ex partner dean", "her ex partner [name]"),
    ("my mums boyfriend dean", "my mums boyfriend [name]"),
    ("my 5 year old son jake", "my 5 year old son [name]"),
    ("my sister in law kayleigh smokes", "my sister in law [name] smokes"),
    ("my step mum kayleigh", "my step mum [name]"),
    ("my son's called jake", "my son's called [name]"),
    ("her name is kayleigh", "her name is [name]"),
    ("her kids are called jake and tom", "her kids are called [name]"),
    ("my social worker jo rang", "my social worker [name] rang"),
    ("my son will is 7", "my son [name] is 7"),
    ("my son mark", "my son [name]"),  # a name that is also a word
    ("her brother Tom in Spain", "her brother [name] in Spain"),
    ("my aunt Joan smith came", "my aunt [name] came"),
    ("my colleague Sam will, and she knows", "my colleague [name] will, and she knows"),
])
def test_a_name_after_a_relation_is_redacted_in_any_case(typed, expected):
    # "my son jake has stopped going" went to the practice educator with "jake" in it.
    assert redacted(typed) == expected


@pytest.mark.parametrize("typed", [
    "my son goes to school", "my son is fine", "her boyfriend never", "my sister and me", "my gp said",
    "my son's school", "my daughter too", "my nan's house", "my partner really", "my son just",
    "my son will be fine", "my mum, will you tell her?", "my nans house", "my son doesnt listen",
    "my dad died last year", "my kids dad", "my boyfriend smokes", "my mum chucked me out", "her gp records",
    "her foster carer Mum", "Mum's got MS. Some days are fine",
    "my mum I think was upset", "my gran I'm sure of it", "my son overdosed",
])
def test_ordinary_words_after_a_relation_are_kept(typed):
    assert redacted(typed) == typed


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(FIRST_NAMES), relation=st.sampled_from(RELATIONS))
def test_a_lower_case_first_name_after_any_relation_never_survives(name, relation):
    out = redacted(f"i'm worried about my {relation} {name}, she has stopped eating")
    assert not re.search(rf"\b{re.escape(name)}\b", out.replace(relation, "")), out
    assert f"my {relation} [name], she has stopped eating" in out


@settings(max_examples=300, deadline=None)
@given(word=st.sampled_from(sorted(ORDINARY)), relation=st.sampled_from(RELATIONS))
def test_every_word_kept_after_a_relation_survives_intact(word, relation):
    text = f"my {relation} {word} ..."
    assert redacted(text) == text


@settings(max_examples=200, deadline=None)
@given(word=st.sampled_from(sorted(w for w in STOP_WORDS if w.isalpha())),
       relation=st.sampled_from(RELATIONS))
def test_spacys_english_stop_words_survive_after_a_relation(word, relation):
    # An independent list of ordinary words: spaCy's. Those that are also names are redacted on purpose.
    text = f"my {relation} {word} about it"
    assert redacted(text) == (f"my {relation} [name] about it" if word in NAME_WORDS else text)


def test_no_first_name_is_an_ordinary_word():
    assert not set(FIRST_NAMES) & ORDINARY
    assert not [name for name in FIRST_NAMES if is_ordinary(name)]  # nor by its ending


def test_names_after_relations_are_counted_in_the_redaction_note():
    r = Redactor({}, pii=True)
    r.text("my son jake and my sister kayleigh")
    assert r.found["other_name"] == {"jake", "kayleigh"}


# The tester's export: "Grace's mum rang me, and my friend, [name], too." kept "Grace" (4 times in the JSON);
# "the boys' dad, dean, left" and "the nurse, angela, said" kept the names; "my son aged 9" lost "aged".
TESTERS_REPLY = ("Grace's mum rang me, and my friend, lucy, too. the boys' dad, dean, left and the nurse, "
                 "angela, said my son aged 9 is fine and my son reckons it's fine.")


@pytest.mark.parametrize("typed, expected", [
    ("Grace's mum rang me, and my friend, lucy, too.", "[name]'s mum rang me, and my friend, [name], too."),
    ("dean's dad said", "[name]'s dad said"),
    ("talked to Grace’s ex-husband.", "talked to [name]’s ex-husband."),
    ("James' sister came", "[name]' sister came"),
    ("O'Brien's mum", "[name]'s mum"),
    ("me and sarahs boyfriend", "me and [name] boyfriend"),  # no apostrophe: the whole word goes
    ("Will's dad and may's mum", "[name]'s dad and [name]'s mum"),  # names that are words too
    ("the boys' dad, dean, left", "the boys' dad, [name], left"),
    ("the nurse, angela, said", "the nurse, [name], said"),
    ("the nurse, Angela Smith, said", "the nurse, [name], said"),
    ("the school nurse, angela said", "the school nurse, [name] said"),
    ("a friend, kayleigh, rang", "a friend, [name], rang"),
    ("The previous social worker, Becky, went on leave", "The previous social worker, [name], went on leave"),
    ("Dad, dean, left", "Dad, [name], left"),
    ("Hi Mum, Jake here", "Hi Mum, [name] here"),
    ("the gp, dr patel, said", "the gp, dr [name], said"),
    ("dr constable said", "dr [name] said"),  # a surname with a word's ending, after a title
    ("my friend jake constable came", "my friend [name] came"),  # and as a surname
    ("This is Mr Jones's son", "This is Mr [name]'s son"),
])
def test_names_before_a_relation_and_in_apposition_are_redacted(typed, expected):
    assert redacted(typed) == expected


#: Words that follow a relation as students type, written here apart from the module's lists: third-person
#: verbs, participles, adverbs and the words of the tester's over-redaction.
AFTER_A_RELATION = """aged reckons thinks says wants needs agreed reckoned agrees worries adores idolises
dreads panicked panicking sounds seems tends struggles copes manages nags moans skives misbehaves babysits
commutes relapsed overdosed discharged diagnosed sectioned detained gutted chuffed knackered devastated
frustrated unfortunately apparently supposedly sadly luckily thankfully hopefully basically literally
regularly constantly nowadays anymore who whos bless included plus aka""".split()


@pytest.mark.parametrize("word", AFTER_A_RELATION)
def test_words_that_follow_a_relation_survive(word):
    for text in (f"my son {word} it's fine", f"her mum, {word}, said", f"the nurse, {word}, said"):
        assert redacted(text) == text


@pytest.mark.parametrize("typed", [
    "my son is fine", "my son aged 9 goes to school", "my son reckons it's fine", "my son, aged 9, goes",
    "Everyone's mum came", "It's dad.", "The school's nurse rang", "nobody's dad", "Mum's boyfriend",
    "her nervous mum", "she adores dad", "mum adores dad", "Has your friends mum said anything?",
    "Does anyones mum know? Whats your mums name? thats his dads car",
    "the doctor, who was lovely, said", "the nurse, however, was lovely", "the nurse, bless her, said",
    "I spoke to the GP, the nurse, the school, and your mum.", "As your social worker, I'll visit weekly.",
    "Thanks mum, Love you", "my mum, dad, nan, and grandad", "So the social worker, from what you say, left?",
    "my son's counselling helped", "the nurse, unfortunately, said no",
    "her CAMHS worker and the maths teacher", "my son agreed", "she lives with her kids dad and his mum",
])
def test_ordinary_sentences_around_relations_survive_intact(typed):
    assert redacted(typed) == typed


_CUE_RELATIONS = st.sampled_from(RELATIONS).map(lambda r: r.replace("-", " "))
_CASED_NAMES = st.sampled_from(FIRST_NAMES).flatmap(lambda n: st.sampled_from([n, n.capitalize()]))


@settings(max_examples=300, deadline=None)
@given(name=_CASED_NAMES, relation=_CUE_RELATIONS,
       before=st.sampled_from(["the", "a", "my", "her", "our", "the boys'", "his mum's", ""]),
       after=st.sampled_from([", said", ", who", ", is", ". She", ", and"]))
def test_any_first_name_in_apposition_after_any_relation_is_redacted(name, relation, before, after):
    out = redacted(f"I rang {before} {relation}, {name}{after} it was fine")
    assert f"{relation}, [name]{after} it was fine" in out, out
    assert name not in out.replace(relation, ""), out


@settings(max_examples=300, deadline=None)
@given(name=_CASED_NAMES, relation=_CUE_RELATIONS, mark=st.sampled_from(["'s", "’s"]),
       start=st.booleans())
def test_a_first_name_before_s_and_any_relation_is_redacted(name, relation, mark, start):
    typed = f"{name}{mark} {relation} rang me" if start else f"i spoke to {name}{mark} {relation} today"
    out = redacted(typed)
    assert f"[name]{mark} {relation}" in out, out
    assert not re.search(rf"\b{re.escape(name)}\b", out, re.IGNORECASE), out


def test_the_testers_reply_loses_every_name_and_no_word_in_the_json_export():
    state = exchange(FEAR, TESTERS_REPLY, assess(TESTERS_REPLY, "empathy"))
    data = export(compute_debrief(scenario(), state, learner_name="Alex Smith"), "json", redact=True)
    for name in ("Grace", "lucy", "dean", "angela"):
        assert name not in data
    assert "[name]'s mum rang me" in data
    assert "my son aged 9 is fine and my son reckons it's fine" in data
    assert "the boys' dad, [name], left and the nurse, [name], said" in data
