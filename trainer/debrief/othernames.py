"""Other people's names typed in lower case, found by the words around them, for `redact`.

Students typing in a hurry write "my son jake has stopped going", "her boyfriend dean smith", "our gp dr
patel", "the nurse, angela, said", "dean's dad". A capitalised word after a relation is taken for a name, as
it always was; a lower-case word cannot be told from a word by its shape, so a lower-case word after a cue is
a name unless it is an ordinary English word (`is_ordinary`): "my son jake" loses "jake", "my son just"
keeps "just".

The cues (`other_names`):
- a relation or role (`RELATIONS`) after a possessive ("my", "her", "our", "ur", "mum's", "sarahs", "the
  boys'"), with up to two describing words between ("my little brother", "her ex partner", "my 5 year old
  son"), a plural or "in law" after ("my sons", "my sister in law"), and a title after ("our gp dr patel");
- a relation or role and a comma, the name in apposition ("the nurse, angela, said", "the school nurse,
  angela said", "Dad, dean, left", "their GP, NHS 111" keeps "NHS"); here a capital may start a clause
  ("Thanks mum, Love you"), so a capitalised word is a name unless it is ordinary;
- "the", "a" (or "this", "that", "another") and a relation or role with no comma ("the nurse angela said",
  "the school nurse angela"), the same way; not after "the baby", "the kid", "the boy"... (`_COMPOUND_HEADS`),
  which start compound nouns more often than names ("the baby blues", "the baby café");
- a title typed in lower case ("dr patel", "mrs jones"); "miss" only after a relation, being a verb too;
- "is called", "are called", "named", "name is", "name's" ("my son's called jake", "her name is
  kayleigh"); "those are called intrusive thoughts" loses "intrusive", a word too rare for the list.
After the cue one name is taken, and one more word when it is a name too ("dean smith"), or joined by "and"
("my sons jake and tom"). A capitalised word after a relation is a name ("my son Jake") unless it is "I",
"I'm" or a relation ("her foster carer Mum").
The owner before "'s" and a relation is a name too, in any case ("Grace's mum", "dean's dad", "James'
sister", and "sarahs boyfriend" typed without the apostrophe), unless it is ordinary ("everyone's mum", "it's
dad", "the school's nurse"); a word ending in s with no apostrophe is not taken after "her", "the", "she"...
("her nervous mum", "she adores dad"). So are the names joined to it by "and" or a comma ("Sarah and Grace's
mum", "Tom, Sarah and Grace's mum"), unless ordinary ("me and Grace's mum"), and in lower case only when the
owner is ("sarah and grace's mum", not "cake and Grace's mum") and not after a number or an article: a thing
counted ("6 wks and priya", "the rails and priya") is no name, here or joined to a name found elsewhere.
`trainer.debrief.redact` then redacts each name found here wherever else it stands in the same document.

`ORDINARY` is written here rather than taken from a library: spaCy's stop words (326 function words) miss
the verbs that mostly follow a relation ("goes", "stopped", "smokes", "reckons"), and the debrief imports no
spaCy. It is: function words and contractions (with and without the apostrophe: "doesnt", "im"); number
words; about 900 common verbs with every form made by rule ("go" -> goes, going; "stop" -> stopped; "age" ->
aged; "agree" -> agreed) and the irregular ones ("went", "told"); common adverbs, adjectives for how someone
is ("poorly", "fine", "gutted"), and nouns that follow a relation ("school", "surgery", "camhs", plurals made
by rule); the relation words themselves ("my kids dad"); chat forms ("wks", "txt", "thurs": `_CHAT`, with
the scorer's `chatnorms.WORDS` but "yu", a name too); one letter ("i", "u", "r"), and a word of three
letters or more with no vowel ("nxt", "NHS"). Beyond the lists, a word of seven letters or more with an
ending that no name has ("counselling", "unfortunately", "supportive", "homelessness": `_WORD_ENDING`) is
ordinary too, except after a title or as a surname, where names have such endings ("dr constable"). Words
that are also first names (`NAME_WORDS`: "will", "mark", "rose", "drew", "grace", "blessing") are removed
from it, so "my son mark" loses "mark" and "my son drew a picture" loses "drew": a rare word over-redacted
is the price of never leaking a name. "will" and "may" are kept as verbs only before a verb or an adverb ("my
son will be fine", "my son will is 7" loses "will"). A verb not in the list is redacted ("my son
skateboards" -> "my son [name]"): the export says names were removed.
"""

from __future__ import annotations

import re

from trainer.chatwords import WORDS

#: Relations and roles: after "my", "her"..., the next word that is not an ordinary word is a name. A hyphen
#: may be typed as a space or left out ("step mum", "stepmum").
RELATIONS: tuple[str, ...] = tuple("""
aunt auntie aunty uncle gran granny grandma grandmother nan nana nanna nanny grandad granddad grandpa
grandfather grandson granddaughter grandchild grandkid mum mom mam mummy mother dad daddy father parent
step-mum step-dad step-son step-daughter step-brother step-sister brother sister sibling twin son daughter
child kid baby boy girl lad lass partner husband hubby wife missus fella boyfriend girlfriend bf gf fiance
fiancee ex friend bestie mate pal cousin niece nephew godmother godfather godson goddaughter neighbour
neighbor flatmate housemate landlord landlady boss manager supervisor colleague teacher tutor
mentor coach gp doctor nurse midwife consultant psychiatrist therapist counsellor carer social-worker
key-worker support-worker youth-worker health-visitor probation-officer solicitor priest vicar imam
head-teacher paramedic physio pharmacist dentist receptionist officer worker caseworker advocate interpreter
childminder babysitter senco psychologist
""".split())

#: Words between the possessive and the relation ("my little brother", "her ex partner").
_MODIFIERS = (r"(?:ex|step|half|foster|adoptive|adopted|birth|little|big|baby|older|younger|elder|eldest|"
              r"oldest|youngest|middle|twin|new|old|best|late|only|other|own|\d+\s*(?:yo|y/o|yr?s?\s*old|"
              r"years?\s*old|year-old))")
#: Titles typed "Dr" or "dr", not "MS" (multiple sclerosis) or "DR".
_TITLES = r"(?:[Mm]r|[Mm]rs|[Mm]s|[Mm]x|[Dd]r|[Pp]rof|[Mm]iss)"
_WORD = r"[^\W\d_][\w'’-]*"
#: A name: one word, the next (a surname, or a second name after "and") and the one after that (to tell "Sam
#: will see" from "Sam will"), looked at without consuming them, so that "are" in "her kids are called jake"
#: and "my" in "my son jake and my sister kayleigh" can start the next cue.
_NAME = (rf"(?=(?P<first>{_WORD})"
         rf"(?:(?P<gap>\s+(?:(?i:and|&)\s+)?)(?P<second>{_WORD})(?:\s+(?P<after>{_WORD}))?)?)")
_RELATION_RX = "|".join(
    re.escape(r).replace(r"\-", r"[\s-]?").replace(r"\ ", r"\s+") for r in sorted(RELATIONS, key=len)[::-1])
#: A relation with what may stand around it: "little brother", "sons", "sister in law".
_REL_PHRASE = rf"(?:{_MODIFIERS}[\s-]+){{0,2}}(?:{_RELATION_RX})(?:e?s)?(?:[\s-]+in[\s-]+law)?"
#: Whose relation: "my", "my mums", "mum's", "the boys'", and "sarahs" typed without its apostrophe (but not
#: "has": below).
_OWNER = rf"(?:my|her|his|their|your|our|ur)(?:\s+(?:{_RELATION_RX})['’]?s)?|\w+['’]s|\w+s['’]|(?P<bare>\w+s)"
_DETERMINER = r"(?:the|a|an|this|that|another)"
_CUES = re.compile(
    rf"(?:\b(?i:(?:{_OWNER})\s+{_REL_PHRASE})\s*,?\s+(?:{_TITLES}\.?\s+)?"
    # In apposition: "the nurse, angela, said", "the school nurse, angela said", "Dad, dean, left".
    rf"|\b(?P<apposed>(?i:(?:{_DETERMINER}\s+(?:[^\W\d_][\w'’-]*\s+){{0,2}})?{_REL_PHRASE}))\s*,\s*"
    rf"(?:{_TITLES}\.?\s+)?"
    # After "the" or "a" and a relation or role, no comma: "the nurse angela said", "the school nurse angela".
    rf"|\b(?P<named>(?i:{_DETERMINER}\s+(?:[^\W\d_][\w'’-]*\s+){{0,2}}?{_REL_PHRASE}))\s+"
    rf"(?:{_TITLES}\.?\s+)?"
    rf"|\b(?P<title>(?!(?i:miss)\b){_TITLES})\.?\s+"
    rf"|\b(?i:(?:is|was|['’]s|are|were)\s+called|named|(?:name|names)\s+(?:is|was)|name['’]s)\s+)"
    rf"{_NAME}")
#: Whose relation, when it is a name: "Grace's mum", "dean's dad", "James' sister", "sarahs boyfriend".
_OWNED = re.compile(
    rf"(?<![\w'’])(?P<owner>[^\W\d_][\w-]*?(?:['’][^\W\d_][\w-]+)*?)(?P<mark>['’]s|(?<=s)['’]|(?<=s))"
    rf"\s+(?i:{_REL_PHRASE})(?![\w-])")
#: Relations that start a compound noun after "the" more often than they name someone ("the baby blues", "the
#: baby café", "the kid gloves"): no cue after "the" or "a" without a comma.
_COMPOUND_HEADS = frozenset("baby babies kid kids child children boy boys girl girls lad lads lass".split())
#: Before a word ending in s, words that make it no owner's name: "her nervous mum", "she adores dad".
_NOT_BEFORE_OWNER = frozenset("""my her his their your our ur the a an this that these those i you he she it
we they who which there""".split())

_FUNCTION = """
a about above across after afterwards again against ago all almost alone along already also although always
am among amongst an and another any anybody anyhow anyone anything anyway anyways anywhere are around as at
away be because been before beforehand behind being below beside besides between beyond both but by can
cannot cos coz cuz could did do does doing done down due during each either else elsewhere enough even ever
every everybody everyone everything everywhere except few for former formerly from further had has have
having he hence her here hereafter hereby herein hereupon hers herself him himself his how however i if in
indeed into is it its itself just last latter latterly least less lot lots many me meanwhile might mine more
moreover most mostly much must my myself namely neither never nevertheless next no nobody none noone nor not
nothing now nowhere of off often on once one only onto or other others otherwise ought our ours ourselves out
over own per perhaps quite rather re really same several she should since so some somebody somehow someone
something sometime sometimes somewhere still such than that the their theirs them themselves then thence
there thereafter thereby therefore therein thereupon these they this those though tho through throughout
thru thus till to together too toward towards under unless until up upon us very via was we were what
whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while
whither who whoever whole whom whose why with within without would yet you your yours yourself yourselves
ca gonna wanna gotta kinda sorta dunno aint innit ur u n r b4 bc pls plz like yeah yes yep nah nope oh ah
um erm uh er lol tbh idk btw imo omg etc ok okay alright asap appt tmrw tmr
hmm hmmm ahh ooh aww wow haha bless plus including included aka ie eg vs thx ty ta cheers anyways
zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion
first second third fourth fifth sixth seventh eighth ninth tenth twice half couple
"""
_VERBS = """
abuse accept accuse act add admit adopt advise affect afford agree allow annoy answer apologise apologize
appear apply argue arrange arrest arrive ask assault attack attempt attend avoid bake bang bark bathe batter
beg behave believe belong blame block board boil book borrow bother bounce brush bully burn burst call calm
care carry cause change charge chat cheat check chew chuck claim clean clear climb close collapse collect
comfort complain concentrate confess confirm confuse contact continue control cook cope cough count cover
crash crave crawl cry cuddle damage dance dare date decide defend delay deliver deny depend deploy deserve
destroy die disagree disappear discover discuss disown dislike divorce doubt drag dream dress drop drown dry
dump earn email embarrass employ encourage end enjoy enter escape expect explain explode face fail faint fancy
fear fetch fill finish fire fix flip float follow force freak frighten fuss gamble gather glare google grab
greet grieve groom guess hand handle happen harass harm hassle hate head help hire hope hug humiliate hunt
hurry identify ignore imagine improve include inform inject injure insist insult interfere interpret invite
involve iron isolate join joke judge jump kick kill kiss knock laugh learn lick lift limp list listen live
load lock look love manage mark marry matter measure mend mention mess mind miss mock mourn move nag name need
neglect nick nod note notice obey object offer open order organise overdose owe pack panic pass pause pay
phone pick plan play please plead point poke pop post pour pray prefer prepare present press pretend print
promise protect prove provide pull punch punish push question race rage rain raise rant rape reach realise
realize receive record regard recover refer refuse regret reject relax release rely remain remember remind
remove rent repair repeat reply report request rescue resent resign respect respond rest retire return reveal
risk rob rock ruin rush sack save scare scratch scream scroll search seem self-harm serve settle share shop
shout show shower sigh sign skate slam slap slip smack smash smell smile smoke snap sneak sniff snore sob
solve sort spill spoil spy squeeze stab stalk stamp stare start starve stay step stop storm stress stroke
struggle study stuff suffer suggest sulk support suppose surprise survive suspect swap switch talk taste tease
text thank threaten tick tidy touch track trade train travel treat trust try turn twist type undress upset use
vape vary visit vomit vote wait walk wander want warn wash waste watch wave weigh welcome whinge whisper wipe
wish wonder work worry wrap yawn yell
age reckon adore idolise idolize sound tend rave nurture babysit childmind commute relocate emigrate skive
truant bunk accompany achieve acknowledge acquire adapt adjust admire advertise aggravate aim alert alter
amaze amend amuse analyse announce anticipate appeal appreciate approach approve assess assist assume assure
attach attract await bargain beam beep binge bleach blink blossom blur blush boast bolt bond boost bore bow
box brag brake breathe bribe brighten browse buckle budget bump bundle burgle bury buzz calculate camp
cancel capture celebrate challenge chant cheer cherish chill choke chop circle clap clash clasp clench click
clip clutch coax combine command comment commit communicate compare compete compile complete compliment
concern conclude condemn conduct connect consent consider consist console construct consult consume contain
contribute convince copy correct counsel crack cram creak create cringe criticise criticize cross crouch
crumble crush cure curl curse cycle dangle dash deceive declare decline decorate decrease dedicate deduct
defeat define delete delight demand demolish depart deposit describe desert design desire despise detach
detect determine develop devote dial dictate differ dine dip direct disappoint disapprove discipline
disclose disconnect dismiss display distract distribute disturb dive divide dodge dominate donate doze drain
drift drill drip drool drug dust echo edit educate elope embrace emerge enable encounter endure engage enjoy
enrol ensure entertain envy erase establish estimate evaluate evict examine exaggerate exceed exchange
excite exclude excuse exercise exhaust exist expand experience experiment expire explore expose express
extend fade fake fasten favour feature fidget file film finance fish flap flash flick flinch flirt flood
flow flush focus fold fool forecast form foster frown fry fund gain gasp gaze generate giggle glance glow
glue gossip graduate grasp grin grip groan growl grumble grunt guarantee guard guide hammer harden haunt
heal heat hesitate hiccup highlight hike hint hiss hobble hoover host hover howl hum hunch illustrate
impress influence inherit inspect inspire install instruct intend interrupt introduce invent investigate
irritate jog juggle justify knit label land last launch lecture level limit link linger locate log long loom
loosen lurk maintain march mash match melt memorise mimic misbehave mislay misplace mix moan modify monitor
mop motivate mount mow mumble murder mutter narrate nibble nominate obsess obtain occupy occur offend
operate oppose outgrow overdo overeat overreact overthink overwhelm own paint participate paste patrol peel
peep perform permit persuade pester pin pinch pity place plant plug plunge polish pose possess postpone
pounce practise practice praise preach predict prescribe preserve prevent prick process produce progress
prohibit promote pronounce propose prosecute protest provoke publish puff pump purchase pursue puzzle
qualify quarrel queue quiz quote rally rate react reassure rebel recall recognise recognize recommend
reconcile recycle reduce reflect refresh regain register rehearse reinforce relapse relate relieve relish
remark renew repay replace represent require resemble reserve reside resist resolve restore restrict result
resume retreat retrieve reunite review revise revive reward rinse rip roar roast roll rot rub rule rumble
sail satisfy scan scatter scold scrape scrap scrub seal seize select separate shave shelter shield shift
shiver shock shrug shudder shuffle sip sketch ski skid slurp smirk smother snack snatch sneeze snigger
snooze snuggle soak soothe sparkle spell splash spray sprint squash squeak squeal squint stagger stain
stammer startle state steer stir stitch stomp strain stretch strip stroll stumble stun stutter succeed suck
suit supervise supply surf surrender surround suspend swallow sway swerve tackle tag tap target tempt
terrify test thrash thrive tickle tip tire toast toddle tolerate toss total tour tow trace trail transfer
translate trap tremble trick trip trot trouble tuck tug tumble tutor twitch unite unlock unpack untie update
urge vanish view volunteer wail warm weaken whimper whine whip whistle wink wobble worship wound wreck
wrestle wriggle yank yearn zip zoom
dread presume brace stack picture collude store line replay demoralise flatten unwind top tangle muddle
fluster discharge prompt wet diagnose gut appal steady betray purge horrify blindside detain phase teethe
section bid single uproot figure ramble amount tax fizzle double jot fit pair weld sweat accredit rattle lapse
cramp outnumber brick grate ache message breastfeed numb magnify halve overcrowd structure strengthen befriend
deflate bluff refit bank slow leak pace disrespect fume flag mug blab insure value falsify outlive confide
deprive abandon crackle silence widow traipse clatter shame like exploit retract soften perch tramp frost lack
pile base frustrate disgust devastate interest allocate advance hoard dishearten park complicate unsettle
designate nurse parent garden recruit bruise sob kid blag chat bin
be bear beat become begin bend bet bite bleed blow break breed bring build burn buy catch choose cling come
cost creep cut deal dig do draw drink drive eat fall feed feel fight find flee fly forbid forget forgive
freeze get give go grind grow hang have hear hide hit hold hurt keep kneel know lay lead lean leap leave lend
let lie light lose make mean meet pay put quit read ride ring rise run say see seek sell send set sew shake
shine shoot shrink shut sing sink sit sleep slide speak speed spend spin spit split spread stand steal stick
sting stink strike swear sweep swell swim swing take teach tear tell think throw understand wake wear weep
win wind withdraw write
"""
_IRREGULAR = """
am is are was were been has had does did done doing went gone got gotten said told took taken came made knew
known thought felt left kept found gave given saw seen brought bought caught taught sat stood ran met paid
heard held lost meant sent spent built slept stole stolen woke woken wore worn wrote written broke broken
chose chosen spoke spoken fell fallen forgot forgotten froze frozen hid hidden let put quit read set shut
split spread threw thrown grew grown drove driven rode ridden ate eaten drank drunk sang sung swam began begun
became rang rung sank sunk shook shaken forgave forgiven fought fled flew flown hung lay laid led lent lit
understood won withdrew bit bitten blew blown dealt dug drawn dreamt fed forbade knelt leant learnt sold
sought shot shone shrank slid spat stuck stung swore sworn swept swung tore torn wept wound struck stank
od od'd oded
awoke bred clung crept dwelt flung leapt misled mistook overcame overdid overheard overslept spilt spoilt
sprang sprung strode thrust trod underwent wrung burnt smelt spelt slung stunk sped ageing aging
panicked panicking picnicked bind bound misunderstand misunderstood quitting
"""
_OTHER = """
today tonight tomorrow yesterday lately recently currently usually normally generally finally eventually
suddenly immediately apparently obviously clearly honestly literally basically actually seriously totally
completely absolutely definitely probably possibly certainly maybe hardly barely nearly pretty fairly
especially mainly properly exactly straight right early late soon later home abroad back forward upstairs
downstairs outside inside nearby online apart aside asleep awake instead anyhow again separately forever round
fine well better worse best worst good bad great lovely nice awful terrible horrible poorly ill sick unwell
sad happy upset angry mad cross scared afraid worried anxious nervous depressed stressed tired exhausted
busy dead alive pregnant disabled autistic deaf blind drunk sober safe sorry sure lucky proper real old new
ok alone able young mid empty full serious various
sadly luckily thankfully hopefully unfortunately fortunately supposedly allegedly genuinely constantly
regularly rarely seldom occasionally frequently nowadays anymore anytime daily weekly nightly monthly yearly
fortnightly alongside ahead downstairs overnight lately quickly slowly quietly loudly gently calmly badly
jealous nervous famous previous anxious gorgeous generous dangerous furious curious obvious ridiculous
useless hopeless helpless homeless pointless careless clueless harmless
bless blessed aged elderly grown little big tiny small tall short skinny thin fat poor rich
gutted ashamed chuffed knackered willing smoker drinker user identity safely
school college uni university nursery work job house flat room bedroom car bike bus train phone family
people person man woman lady thing stuff time day week month year morning afternoon evening night weekend
birthday christmas holiday funeral wedding party meeting appointment surgery practice clinic hospital ward
office team class term garage amount top bottom front meds medication tablet pill drug alcohol money benefit
rent bill debt court case report letter form number address email message visit review plan assessment
referral contact shift problem issue health life side part bit kind sort type way place town area street road
park shop church mosque temple gym club pub football game tv telly internet computer laptop food dinner tea
lunch breakfast bed hair face head heart leg arm hand eye body weight age name mind self
council police nhs camhs cahms dwp hmrc dss cps ambulance agency service charity housing benefits credit
jobcentre probation prison court hospice carehome care home maths english science physics chemistry biology
geography french spanish german music drama pe re ict computing dt language sport swimming rugby cricket
netball dance side end lot whole rest group unit centre center ward project code blues cafe café
monday tuesday wednesday thursday friday saturday sunday january february march july september october
november december
"""
#: Chat forms students type beyond those the scorer reads (`trainer.chatwords.WORDS`, added in
#: `_ordinary`), kept as they are: "for up to 6 wks and priya" lost "wks" as a name joined to "priya".
_CHAT = """
wk wks wkly wknd wkend hr hrs min mins sec secs mth mths yrs bday appts docs info approx pic pics vid vids
txts txtd txted msgs msgd deffo nxt bk rn atm np omw ngl tbf fyi irl obvs obv mon tue tues wed weds thu thur
thurs fri sat sun feb apr aug sept oct nov dec
"""
#: A word of three letters or more with no vowel is shorthand ("wks", "txt", "nxt") or an acronym ("NHS"),
#: never a name: names have a vowel (or a "y": "lynn", "glyn"). Two letters may be initials ("tj").
_NO_VOWEL = re.compile(r"[b-df-hj-np-tv-xz]{3,}")
#: Words that are first names too: never kept after a relation ("my son mark"), whatever list made them.
NAME_WORDS = frozenset("""
will may mark rob nick pat sue bill frank ray drew chase guy jack grace hope joy art dawn carol gene sky
summer faith rose don wade bob grant pierce lance brook chip storm king prince duke august april june jan
hunter mason miles amber ruby jade holly ivy penny poppy daisy lily iris hazel heather violet willow autumn
river sonny buddy honey angel star crystal pearl robin jay kit dot dale glen cliff heath reed sandy rusty
dusty skip bud earl rich harry eve ash max sage clay hayden yu
blessing gift honour patience prudence constance charity precious mercy harmony destiny river ace
""".split())
#: "will" and "may" are verbs when a verb or an adverb follows ("my son will be fine").
_MODALS = {"will", "may"}
_ADVERBS_AFTER_MODAL = set("""not never always also just still probably definitely really actually only even
be have ever both all each i you he she it we they""".split())


def _verb_forms(verb: str) -> set[str]:
    """The forms of a regular verb: "stop" -> stops, stopped, stopping; "cry" -> cries, cried, crying."""
    forms = {verb}
    stem_e = verb[:-1] if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) else verb
    if re.search(r"[^aeiou]y$", verb):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith("ie"):
        forms |= {verb + "s", verb + "d", verb[:-2] + "ying"}
    else:
        forms.add(verb + "es" if re.search(r"(?:s|x|z|ch|sh|o)$", verb) else verb + "s")
        forms |= {verb + "d" if verb.endswith("e") else verb + "ed", stem_e + "ing"}  # "agreed", "agreeing"
        if re.search(r"[^aeiou][aeiou][^aeiouwxy]$", verb):  # stop -> stopped; visit -> visited too
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


def _plural(noun: str) -> set[str]:
    if "'" in noun:
        return {noun}
    if re.search(r"[^aeiou]y$", noun):
        return {noun, noun[:-1] + "ies", noun + "s"}  # "ladies"; "ladys" typed for "lady's"
    return {noun, noun + ("es" if re.search(r"(?:s|x|z|ch|sh)$", noun) else "s")}


def _contractions() -> set[str]:
    out = set()
    auxiliaries = "do does did is was are were has have had could would should must might need ca wo ai sha"
    for aux in auxiliaries.split():
        out |= {aux + "n't", aux + "nt"}
    pairs = {"i": "m ve d ll", "you we they": "re ve d ll", "let": "s",
             "he she it that there who what where how here": "s d ll"}
    for subjects, endings in pairs.items():
        for subject in subjects.split():
            for end in endings.split():
                out |= {f"{subject}'{end}", subject + end}
    return out


def _ordinary() -> frozenset[str]:
    words = set(_FUNCTION.split()) | set(_IRREGULAR.split()) | _contractions()
    words |= set(_CHAT.split()) | set(WORDS)
    for verb in _VERBS.split():
        words |= _verb_forms(verb)
    for word in _OTHER.split():
        words |= _plural(word)
    for relation in RELATIONS:
        for part in re.split(r"[\s-]", relation):
            words |= _plural(part)
        words |= _plural(relation.replace("-", ""))
    return frozenset(words - NAME_WORDS)


#: Ordinary English words, kept after a relation. See the module docstring for what is in it.
ORDINARY: frozenset[str] = _ordinary()
_BASE_VERBS = frozenset(_VERBS.split()) - NAME_WORDS
_AFTER_MODAL = (_BASE_VERBS | _ADVERBS_AFTER_MODAL | set(_OTHER.split())) - NAME_WORDS
_RELATION_WORDS = frozenset(r.replace("-", "") for r in RELATIONS)
#: Endings of English words that no first name or surname has, for a word too rare for the lists: "my son's
#: counselling" keeps it, "the nurse, unfortunately, said" too. Seven letters at least ("Clement" is a name).
_WORD_ENDING = re.compile(r"\w{3,}(?:tion|sion|ness|ship|hood|ism|ful|less|ible|able|ive|ical|ology|\wment|"
                          r"(?:ful|ic|ial|ual|nal|tal|ous|ing|ed)ly)s?")


def is_ordinary(word: str, following: str | None = None, *, guess: bool = True) -> bool:
    """Whether a lower-case `word` after a cue is an ordinary word rather than a name. `following` is the
    word after it, which decides whether "will" or "may" is a verb ("will be") or a name ("will is"). With
    `guess`, a word not in the lists is ordinary by its ending ("counselling"); not after a title, where
    surnames have such endings ("dr constable", "mrs furness")."""
    word = word.lower().replace("’", "'")
    if len(word) == 1 or word in ORDINARY or _NO_VOWEL.fullmatch(word):
        return True
    if word in _MODALS:
        nxt = (following or "").lower()
        return nxt in _AFTER_MODAL
    if re.search(r"'(?:s|d|ll|ve|re|m)$", word):  # "nan's", "nobody'll"
        return is_ordinary(word[:word.rindex("'")], guess=guess)
    if "-" in word.strip("-"):
        return all(is_ordinary(part, guess=guess) for part in word.split("-") if part)
    return guess and bool(_WORD_ENDING.fullmatch(word))


def _is_name(word: str, following: str | None, cased: bool = False, guess: bool = True) -> bool:
    """A capitalised word is a name (not "I", "I'm" or a title; with `cased`, after "and" or a comma, not an
    ordinary word either); a lower-case one unless it is ordinary."""
    if word[0].isupper() and not cased:  # "her foster carer Mum" is no name either
        return not re.fullmatch(rf"I(?:['’].*)?|{_TITLES}", word) and word.lower() not in _RELATION_WORDS
    return not is_ordinary(word, following, guess=guess)


def _name_end(match: re.Match[str], group: str) -> int:
    """The end of a name, a possessive left outside it ("jake's school" -> "[name]'s school")."""
    word = match.group(group)
    bare = re.sub(r"['’]s?$", "", word)
    return match.start(group) + len(bare)


def _owners(text: str) -> list[tuple[int, int]]:
    """(start, end) of each name before "'s" and a relation: "Grace's mum", "dean's dad", "James' sister",
    "sarahs boyfriend" (the whole word, typed without its apostrophe). In any case, "Grace's" at the start of
    a sentence too; not an ordinary word ("everyone's mum", "it's dad", "the school's nurse"), nor, with no
    apostrophe, a word after "her", "the", "she"... ("her nervous mum", "she adores dad")."""
    spans = []
    for m in _OWNED.finditer(text):
        owner, mark = m.group("owner"), m.group("mark")
        if is_ordinary(owner) or owner.lower() in _RELATION_WORDS:
            continue
        if not mark:  # "sarahs": neither "sarah" nor "sarahs" ordinary, and no "her" or "she" before it
            before = re.findall(r"[\w'’]+", text[:m.start()])[-1:]
            if is_ordinary(owner[:-1]) or (before and before[0].lower() in _NOT_BEFORE_OWNER):
                continue
        spans.append((m.start("owner"), m.end("owner")))
        spans += _joined_before(text, m.start("owner"), lower=owner[0].islower())
    return spans


#: A name joined to the owner: "Sarah and " in "Sarah and Grace's mum", "Tom, " in "Tom, Sarah and Grace's".
_JOINED = re.compile(r"(?<![\w'’])([^\W\d_][\w'’-]*)(\s*,\s*|\s+(?:and|&)\s+)$", re.IGNORECASE)


#: Before a lower-case word, words that make it a noun, not a name joined to one: a number or an article
#: ("6 wks and priya", "the rails and priya", "a cuppa and priya").
_COUNTED = frozenset("""a an the this that these those some any each every no few several couple both
two three four five six seven eight nine ten twelve twenty""".split())


def _counted(text: str, start: int) -> bool:
    """Whether the word at `start` follows a number or an article (`_COUNTED`): a thing, not a name."""
    before = re.findall(r"[\w'’]+", text[:start])[-1:]
    return bool(before) and (before[0].isdigit() or before[0].lower() in _COUNTED)


def _joined_before(text: str, start: int, *, lower: bool) -> list[tuple[int, int]]:
    """(start, end) of the names joined by "and" or a comma to an owner's name at `start` ("Sarah and
    Grace's mum": "Sarah"; "Tom, Sarah and Grace's mum": both), unless ordinary ("me and Grace's mum", "you
    and dean's dad"). A lower-case word only when the owner was typed in lower case too ("sarah and grace's
    mum", but not "cake and Grace's mum"), and not after a number or an article ("6 wks and priya", "the
    rails and priya": `_counted`)."""
    spans: list[tuple[int, int]] = []
    joiner = "and"
    while (m := _JOINED.search(text[:start])) and len(spans) < 3:
        word = m.group(1)
        if m.group(2).strip() == "," and joiner == ",":
            break  # "a, b, c's mum": a list of two commas is more likely not a list of names
        if word.lower() in _RELATION_WORDS or not _is_name(word, None, cased=True):
            break
        if word[0].islower() and (not lower or _counted(text, m.start(1))):
            break
        spans.append((m.start(1), m.end(1)))
        joiner, start = m.group(2).strip() or ",", m.start(1)
    return spans


_JOINED_AFTER = re.compile(r"\s*(?:,\s*|\s+(?:and|&)\s+)([^\W\d_][\w'’-]*)")


def joined_names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the names joined by "and" or a comma to a known name at text[start:end]: "liam and
    maisie" -> "maisie", "Tom, Sarah and Liam" -> "Tom", "Sarah"; not an ordinary word ("Liam and me", "Liam
    and the dog"), and a lower-case word only when the known name was typed in lower case too."""
    lower = text[start:start + 1].islower()
    spans = _joined_before(text, start, lower=lower)
    m = _JOINED_AFTER.match(text, end)
    if m and (lower or m.group(1)[0].isupper()):
        word = m.group(1)
        bare = re.sub(r"['’]s?$", "", word)  # "Grace's mum": the name, not its "'s"
        if bare.lower() not in _RELATION_WORDS and _is_name(bare, None, cased=True):
            spans.append((m.start(1), m.start(1) + len(bare)))
    return spans


#: A name with an age after it, as case notes write children: "Liam (8) and Maisie (5)", "Tia (aged 14)".
_AGED = re.compile(
    r"(?<![\w'’])([A-Z][a-z'’-]+)\s*\((?:aged?\s*)?\d{1,2}(?:\s*(?:yrs?|years?|months?|mths?|y/o))?\)"
)


def other_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of each other person's name that the words around it say is a name."""
    spans = _owners(text)
    spans += [m.span(1) for m in _AGED.finditer(text) if _is_name(m.group(1), None, cased=True)]
    for m in _CUES.finditer(text):
        first, second = m.group("first"), m.group("second")
        bare = m.group("bare")  # "has friends online", "is mum ok": no possessive, unless "parents partner"
        if bare and bare.lower() in ORDINARY and bare.lower()[:-1] not in _RELATION_WORDS:
            continue
        joined = bool((m.group("gap") or "").strip())  # "jake and tom": "and Dad" is no name
        # After "mum, " a capital may start a clause ("Thanks mum, Love you"): a name unless ordinary.
        named = m.group("named")
        if named and re.split(r"[\s-]+", named.lower())[-1] in _COMPOUND_HEADS:
            continue
        # "their GP, NHS 111": after a comma a capital may start a list or a clause, as in apposition.
        comma = "," in text[m.start():m.start("first")]
        apposed = m.group("apposed") is not None or named is not None or comma
        guess = m.group("title") is None
        if not _is_name(first, None if joined else second, joined or apposed, guess):
            continue
        end = _name_end(m, "first")
        # After a name, "will" or "may" is the verb: "my colleague Sam will, and she..."; a surname is known
        # by the lists alone ("jake constable").
        after = "be" if second is not None and second.lower() in _MODALS else m.group("after")
        if second is not None and end == m.end("first") and _is_name(second, after, joined, guess=joined):
            end = _name_end(m, "second")
        spans.append((m.start("first"), end))
    return spans
