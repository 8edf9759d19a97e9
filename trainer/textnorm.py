"""Text at the boundaries: one normalisation for every way text comes in (scenario files, `--replies`
files, stdin in plain mode, `trainer score` JSON lines, text pasted into the app's reply box).

- A UTF-8 byte-order mark (U+FEFF) at the start is dropped (`strip_bom`), so "#1" on the first line of a
  replies file is still an option pick, and the first JSON line is still JSON.
- Lines are split only at \\n, \\r\\n and \\r (`split_lines`): what an editor numbers as lines. The other
  characters some tools treat as line breaks - vertical tab (Word's Shift+Enter), form feed (a page
  break), NEL (U+0085), line and paragraph separators (U+2028/U+2029, common in text copied from web
  pages) - stay inside their line and become a space (`clean_line`, `for_yaml`). The YAML parser treats
  NEL, U+2028 and U+2029 as line breaks, so `for_yaml` turns them into spaces before a file is parsed:
  the parser's line numbers are then the editor's, and so are the lines diagnostics quote.
- Other control characters (NUL, bell, ...) and invisible formatting characters (zero-width space, word
  joiner, soft hyphen, a byte-order mark inside the text) are dropped from typed and scripted text
  (`clean_line`); `is_blank` says a text has nothing visible in it; `describe` names an invisible
  character, and says how it usually gets into a file, for messages.
- A service user's line as heard (`spoken`): stage directions in brackets ("(Quietly.)", "(She folds her
  arms.)", "[sighs]") are not words said, so the scorer does not take them for words a reply gives back.

Standard library only, so every layer may import it.
"""

from __future__ import annotations

import re
import unicodedata

BOM = "\ufeff"

#: Characters other tools treat as line breaks, kept inside a line here (as a space).
SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Invisible formatting characters dropped from typed text. Zero-width joiner and non-joiner are kept:
#: emoji sequences and several scripts need them.
INVISIBLE = "\u200b\u2060\ufeff\u00ad\u180e"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")
_SEPARATOR = re.compile(f"[{SEPARATORS}]")
# C0 controls except tab, LF and CR; DEL; C1 controls except NEL; invisible formatting characters.
_DROPPED = re.compile(f"[\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f{INVISIBLE}]")

_NAMES = {
    "\x00": ("NUL (a zero byte)", "often from a file saved in UTF-16 or copied out of another program"),
    "\x07": ("bell", "from copying out of a terminal or another program"),
    "\x08": ("backspace", "from copying out of a terminal or another program"),
    "\x0b": ("vertical tab", "Word's Shift+Enter (a manual line break) is saved as one"),
    "\x0c": ("form feed (a page break)", "Word's Ctrl+Enter (a page break) is saved as one"),
    "\x1b": ("escape", "from copying coloured text out of a terminal"),
    "\x7f": ("delete", "from copying out of a terminal or another program"),
    "\x85": ("next-line character (NEL)", "from text converted from an old mainframe encoding"),
    "\u2028": ("line separator (U+2028)", "common in text copied from web pages"),
    "\u2029": ("paragraph separator (U+2029)", "common in text copied from web pages"),
    "\u200b": ("zero-width space", "common in text copied from web pages and chat apps"),
    "\u2060": ("word joiner", "common in text copied from web pages"),
    "\ufeff": ("byte-order mark", "some editors write one at the start of a file"),
    "\u00ad": ("soft hyphen", "common in text copied from web pages and word processors"),
}


def strip_bom(text: str) -> str:
    """`text` without a leading byte-order mark."""
    return text[1:] if text.startswith(BOM) else text


def split_lines(text: str) -> list[str]:
    """The lines of `text` as an editor numbers them: split at \\n, \\r\\n and \\r only, without the
    breaks. Unlike `str.splitlines`, a vertical tab, form feed or U+2028 does not start a new line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def clean_line(text: str) -> str:
    """One line of typed, pasted or scripted text as trainer uses it: without a byte-order mark or other
    invisible formatting characters and control characters, separators (vertical tab, form feed, U+2028,
    ...) as spaces, and line breaks (\\n, \\r) as spaces too. Tabs are kept."""
    text = _DROPPED.sub("", text)
    text = _SEPARATOR.sub(" ", text)
    return _LINE_BREAK.sub(" ", text)


def clean_text(text: str) -> str:
    """Several lines of text, each cleaned as `clean_line`, joined by \\n (a trailing break is kept)."""
    return "\n".join(clean_line(line) for line in _LINE_BREAK.split(text))


def for_yaml(text: str) -> str:
    """A YAML file's text as it is parsed: no leading byte-order mark, and NEL, U+2028 and U+2029 (line
    breaks to the YAML parser, not to editors) as spaces, so line numbers and quoted lines agree with
    what the author's editor shows. Every other character is kept: the loader names the ones YAML
    rejects (`yaml_rejects`)."""
    text = strip_bom(text)
    return _YAML_BREAKS.sub(" ", text) if _YAML_BREAKS.search(text) else text


# What YAML 1.2 does not allow in a file (its printable set, section 5.1), as ruamel's reader checks it.
_YAML_REJECTS = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _located(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    """(line, column, character), both 1-based, of every match of `pattern` in `text`, lines counted as
    `split_lines` counts them."""
    if not pattern.search(text):
        return []
    return [(number, match.start() + 1, match.group())
            for number, line in enumerate(split_lines(text), start=1)
            for match in pattern.finditer(line)]


def yaml_rejects(text: str) -> list[tuple[int, int, str]]:
    """(line, column, character), both 1-based, of every character a YAML parser refuses in `text`
    (control characters such as a vertical tab or a NUL), lines counted as `split_lines` counts them."""
    return _located(_YAML_REJECTS, text)


_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def invisible_at(text: str) -> list[tuple[int, int, str]]:
    """(line, column, character), both 1-based, of every invisible formatting character (`INVISIBLE`) in
    `text`, lines counted as `split_lines` counts them."""
    return _located(_INVISIBLE, text)


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: only whitespace, separators, control and invisible characters."""
    return not clean_line(text).strip()


def describe(char: str) -> str:
    """An invisible character named for a message, with how it usually gets into a file: "a vertical tab
    (U+000B; Word's Shift+Enter (a manual line break) is saved as one)"."""
    code = f"U+{ord(char):04X}"
    if char in _NAMES:
        name, how = _NAMES[char]
        return f"a {name} ({code}; {how})" if code not in name else f"a {name} ({how})"
    name = unicodedata.name(char, "").lower() or "control character"
    return f"an invisible {name} ({code})"


def invisible_in(text: str) -> list[str]:
    """The distinct control and invisible characters in `text`, in order of first appearance."""
    found = dict.fromkeys(ch for ch in text if _DROPPED.match(ch) or _SEPARATOR.match(ch))
    return list(found)


#: A stage direction: a bracketed sentence ("(She folds her arms.)") or a single bracketed word ("(sighs)").
#: A lower-case aside of several words ("my son (he's 6) won't sleep") is speech and stays.
_DIRECTION = re.compile(r"\((?:[A-Z][^()]*|[a-z]+)\)|\[(?:[A-Z][^\[\]]*|[a-z]+)\]")


def spoken(text: str) -> str:
    """`text` without its stage directions, spaces closed up; "" when it was only directions."""
    return " ".join(_DIRECTION.sub(" ", text).split())
