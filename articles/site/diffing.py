"""Word-level differences between two texts, as HTML that is safe to show.

Pure functions with no database. Words are compared, not characters, so a reader sees
which words an update added or removed. Every piece of text is escaped before it is
wrapped in <ins> or <del>, and only then is the result marked safe.

Matching is bounded: difflib's matcher can take time in the cube of a text's length
(a megabyte of one paragraph, the same word a thousand times), so each comparison gets
a budget of matching steps (PARAGRAPH_STEPS, WORD_STEPS). Past it, paragraphs not yet compared word by
word are shown whole, removed then added, and the result says it is coarse.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.text import PARAGRAPH_BREAK

# A paragraph break, a run of other white space, a word, or one other character.
TOKEN = re.compile(r"\n\n|\s+|\w+|[^\w\s]")
# Steps of difflib's inner loop one comparison may take (and tokens it may make):
# matching the paragraphs of the longest wire story takes a few thousand, comparing a
# long story rewritten in every paragraph word by word about 600,000. Past them the
# comparison falls back to whole paragraphs.
PARAGRAPH_STEPS = 100_000
WORD_STEPS = 600_000
# The longest rewritten passage (old and new together) compared word by word at all:
# several times the longest wire story.
WORD_DIFF_CHARS = 100_000


class OverBudget(Exception):
    """The comparison has used its steps."""


class Budget:
    def __init__(self, steps):
        self.left = steps

    def spend(self, steps):
        self.left -= steps
        if self.left < 0:
            raise OverBudget


def _is_space(token):
    # White space is not matched on its own (it is everywhere), only alongside words.
    return token.isspace() and token != PARAGRAPH_BREAK


class _BoundedMatcher(SequenceMatcher):
    """difflib's matcher, charged for the steps each longest-match search takes: the
    number of places in b of each element of a it scans."""

    def __init__(self, a, b, budget, isjunk=None):
        # autojunk off: in long texts it would ignore common words and misalign paragraphs.
        super().__init__(isjunk, a, b, autojunk=False)
        self.budget = budget
        self.steps_before = [0]
        for element in a:
            self.steps_before.append(self.steps_before[-1] + len(self.b2j.get(element, ())) + 1)

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        self.budget.spend(self.steps_before[ahi] - self.steps_before[alo])
        return super().find_longest_match(alo, ahi, blo, bhi)


def _tokens(text):
    return TOKEN.findall(text.replace("\r\n", "\n"))


def _opcodes(old, new, budget, isjunk=None):
    """difflib's opcodes from a to b, raising OverBudget past the budget."""
    return _BoundedMatcher(old, new, budget, isjunk).get_opcodes()


def _paragraph_opcodes(old, new):
    """Opcodes over paragraphs, and whether they are coarse: the common head and tail
    are found directly; the middle is matched within the budget, else is one replace."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_end, new_end = len(old) - tail, len(new) - tail
    opcodes, coarse = [("equal", 0, head, 0, head)] if head else [], False
    if head < old_end or head < new_end:
        try:
            middle = _opcodes(old[head:old_end], new[head:new_end], Budget(PARAGRAPH_STEPS))
            opcodes += [
                (op, i1 + head, i2 + head, j1 + head, j2 + head) for op, i1, i2, j1, j2 in middle
            ]
        except OverBudget:
            opcodes.append(("replace", head, old_end, head, new_end))
            coarse = True
    if tail:
        opcodes.append(("equal", old_end, len(old), new_end, len(new)))
    return opcodes, coarse


@dataclass(frozen=True)
class TextDiff:
    paragraphs: list  # of SafeString: the new text with <ins> and <del>, paragraph by paragraph
    added: int  # paragraphs, compared whole
    removed: int
    coarse: bool  # some rewritten paragraphs were too long to compare word by word


def compare(old_text: str, new_text: str, word_steps=WORD_STEPS) -> TextDiff:
    """The new text, paragraph by paragraph, with <ins> and <del> marking the changes.

    Whole paragraphs are matched first, so an added or removed paragraph is marked
    whole; paragraphs that were rewritten are compared word by word while the budget
    lasts, else shown whole, removed then added.
    """
    budget = Budget(word_steps)
    old, new = old_text.split(PARAGRAPH_BREAK), new_text.split(PARAGRAPH_BREAK)
    opcodes, coarse = _paragraph_opcodes(old, new)
    paragraphs, added, removed = [], 0, 0
    for op, i1, i2, j1, j2 in opcodes:
        if op in ("insert", "replace"):
            added += j2 - j1
        if op in ("delete", "replace"):
            removed += i2 - i1
        if op == "equal":
            paragraphs += [escape(paragraph) for paragraph in new[j1:j2]]
            continue
        if op == "replace":
            old_block, new_block = (
                PARAGRAPH_BREAK.join(old[i1:i2]),
                PARAGRAPH_BREAK.join(new[j1:j2]),
            )
            try:
                if len(old_block) + len(new_block) > WORD_DIFF_CHARS:
                    raise OverBudget
                paragraphs += _diff_words(old_block, new_block, budget)
                continue
            except OverBudget:
                coarse = True
        paragraphs += [f"<del>{escape(paragraph)}</del>" for paragraph in old[i1:i2]]
        paragraphs += [f"<ins>{escape(paragraph)}</ins>" for paragraph in new[j1:j2]]
    return TextDiff([mark_safe(paragraph) for paragraph in paragraphs], added, removed, coarse)


def diff_paragraphs(old_text: str, new_text: str) -> list[SafeString]:
    """compare()'s paragraphs."""
    return compare(old_text, new_text).paragraphs


def _diff_words(old_text, new_text, budget):
    """Paragraphs of HTML: a removed paragraph break reads as a space inside the
    deletion, and markup never spans paragraphs, so each item is valid in one <p>."""
    old, new = _tokens(old_text), _tokens(new_text)
    opcodes = _opcodes(old, new, budget, isjunk=_is_space)
    paragraphs = [[]]

    def add(tag, tokens):
        text = "".join(tokens)
        if text:
            wrap = tag and text.strip()
            paragraphs[-1].append(f"<{tag}>{escape(text)}</{tag}>" if wrap else escape(text))

    def add_across_paragraphs(tag, tokens):
        run = []
        for token in tokens:
            if token == PARAGRAPH_BREAK:
                add(tag, run)
                paragraphs.append([])
                run = []
            else:
                run.append(token)
        add(tag, run)

    for op, i1, i2, j1, j2 in opcodes:
        if op in ("delete", "replace"):
            add("del", [" " if token == PARAGRAPH_BREAK else token for token in old[i1:i2]])
        if op == "equal":
            add_across_paragraphs(None, new[j1:j2])
        if op in ("insert", "replace"):
            add_across_paragraphs("ins", new[j1:j2])
    return [html for html in map("".join, paragraphs) if html.strip()]


def diff_line(old: str, new: str) -> SafeString:
    """One line (a headline, a dateline) with its changed words marked."""
    return mark_safe("".join(diff_paragraphs(old.replace("\n", " "), new.replace("\n", " "))))


# The one-line parts of a revision that comparisons show beside its text: (label, attribute).
LINE_FIELDS = [("Headline", "headline"), ("Dateline", "dateline"), ("Byline", "byline")]


def changed_lines(old, new) -> list[tuple[str, SafeString]]:
    """(label, the line with its changed words marked) for each of LINE_FIELDS that
    differs between revisions `old` and `new`."""
    return [
        (label, diff_line(getattr(old, field), getattr(new, field)))
        for label, field in LINE_FIELDS
        if getattr(old, field) != getattr(new, field)
    ]


def paragraph_changes(old_text: str, new_text: str) -> tuple[int, int]:
    """How many paragraphs `new_text` adds and removes, compared whole (within the budget)."""
    old, new = old_text.split(PARAGRAPH_BREAK), new_text.split(PARAGRAPH_BREAK)
    added = removed = 0
    for op, i1, i2, j1, j2 in _paragraph_opcodes(old, new)[0]:
        if op in ("insert", "replace"):
            added += j2 - j1
        if op in ("delete", "replace"):
            removed += i2 - i1
    return added, removed
