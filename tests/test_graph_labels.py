"""Mermaid labels show exactly what the author wrote (issue 12, item 8).

`mermaid_shows` is a model of what Mermaid does to a quoted flowchart label, from its documentation
("Entity codes to escape characters": `#quot;` is a double quote, `#9829;` a character by its base-10
number, "so `#` can be encoded as `#35;`", and HTML character names work too) and from how it renders
labels (as HTML, tags it does not know removed, HTML entities decoded; and its pre-pass that drops the
last ';' of a `style...:x#...;` stretch of the source, meant for CSS colours).
"""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.authoring.graph import line_start, to_mermaid
from trainer.scenario.schema import Scenario


def mermaid_shows(source: str, node: str = "n0") -> str:
    """The text Mermaid draws for node `node` of a flowchart's source."""
    # 1. Mermaid's encodeEntities pre-pass over the whole source, in its order.
    for keyword in ("style", "classDef"):
        source = re.sub(keyword + r".*:\S*#.*;", lambda m: m.group()[:-1], source)
    source = re.sub(r"#([A-Za-z0-9_]+);",
                    lambda m: f"&#{m.group(1)};" if m.group(1).isdigit() else f"&{m.group(1)};", source)
    # 2. The label: between the quotes of `n0["..."]` or `n0(["..."])`.
    match = re.search(rf'^\s+{node}\(?\["(.*?)"\]\)?', source, re.M)
    assert match, source
    label = match.group(1)
    # 3. Rendered as HTML: tags removed (Mermaid's sanitiser drops the ones it does not allow; none of an
    #    author's is wanted), then entities decoded.
    label = re.sub(r"<[A-Za-z/!?][^>]*>?", "", label)
    return html.unescape(label)


def one_node(say: str) -> Scenario:
    return Scenario.model_validate({
        "schema_version": 1, "title": "t", "summary": "s", "setting": "s", "objectives": ["o"],
        "service_user": {"name": "A", "situation": "s", "wants": "w", "fears": "f"},
        "start": "hello",
        "nodes": {"hello": {"say": say, "ending": {"outcome": "built", "title": "T", "note": "N"}}},
    })


def test_the_issue_example_is_shown_as_written() -> None:
    say = '<Sighs> ... "#quot;"'
    shown = mermaid_shows(to_mermaid(one_node(say)))
    assert shown == f"hello (built): {say}"


def test_entity_names_tags_and_pipes_survive() -> None:
    for say in ["&amp; &lt;b&gt; #35; #9829;", "<b>bold</b> or not", "a | b `code` c", "style: #fff;"]:
        assert mermaid_shows(to_mermaid(one_node(say))) == f"hello (built): {line_start(say)}"


LABEL_TEXT = st.lists(
    st.sampled_from([*"ab #;:&<>|\"'`/=!9", "style", "classDef", "#quot;", "&lt;", "<b>", "#35;", "\u2028"]),
    min_size=1, max_size=12,
).map("".join).filter(lambda s: s.strip())


@settings(max_examples=200, deadline=None)
@given(say=LABEL_TEXT)
def test_any_line_is_shown_by_mermaid_exactly_as_written(say: str) -> None:
    source = to_mermaid(one_node(say))
    assert mermaid_shows(source) == f"hello (built): {line_start(say)}"


def test_a_line_said_by_someone_else_shows_who_says_it() -> None:
    scenario = one_node("(He shuffles in.) Hello, darling!")
    node = scenario.nodes["hello"].model_copy(update={"speaker": "George (Helen's father)"})
    scenario = scenario.model_copy(update={"nodes": {"hello": node}})
    assert mermaid_shows(to_mermaid(scenario)) == "hello (built): George: (He shuffles in.) Hello, darling!"
    assert mermaid_shows(to_mermaid(one_node("Hello."))) == "hello (built): Hello."
