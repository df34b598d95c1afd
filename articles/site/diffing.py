"""Word-level differences between two texts, as HTML that is safe to show.

Pure functions with no database. Words are compared, not characters, so a reader sees
which words an update added or removed. Every piece of text is escaped before it is
wrapped in <ins> or <del>, and only then is the result marked safe.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.text import PARAGRAPH_BREAK

# A paragraph break, a run of other white space, a word, or one other character.
TOKEN = re.compile(r"\n\n|\s+|\w+|[^\w\s]")


def _tokens(text):
    return TOKEN.findall(text.replace("\r\n", "\n"))


def _opcodes(old, new):
    # autojunk off: in long texts it would ignore common words and misalign paragraphs.
    return SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def diff_paragraphs(old_text: str, new_text: str) -> list[SafeString]:
    """The new text, paragraph by paragraph, with <ins> and <del> marking the changes.

    Whole paragraphs are matched first, so an added or removed paragraph is marked
    whole; paragraphs that were rewritten are compared word by word.
    """
    old, new = old_text.split(PARAGRAPH_BREAK), new_text.split(PARAGRAPH_BREAK)
    paragraphs = []
    for op, i1, i2, j1, j2 in _opcodes(old, new):
        if op == "equal":
            paragraphs += [escape(paragraph) for paragraph in new[j1:j2]]
        elif op == "delete":
            paragraphs += [f"<del>{escape(paragraph)}</del>" for paragraph in old[i1:i2]]
        elif op == "insert":
            paragraphs += [f"<ins>{escape(paragraph)}</ins>" for paragraph in new[j1:j2]]
        else:
            paragraphs += _diff_words(
                PARAGRAPH_BREAK.join(old[i1:i2]), PARAGRAPH_BREAK.join(new[j1:j2])
            )
    return [mark_safe(paragraph) for paragraph in paragraphs]


def _diff_words(old_text, new_text):
    """Paragraphs of HTML: a removed paragraph break reads as a space inside the
    deletion, and markup never spans paragraphs, so each item is valid in one <p>."""
    old, new = _tokens(old_text), _tokens(new_text)
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

    for op, i1, i2, j1, j2 in _opcodes(old, new):
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
    """How many paragraphs `new_text` adds and removes, compared whole."""
    old, new = old_text.split(PARAGRAPH_BREAK), new_text.split(PARAGRAPH_BREAK)
    added = removed = 0
    for op, i1, i2, j1, j2 in _opcodes(old, new):
        if op in ("insert", "replace"):
            added += j2 - j1
        if op in ("delete", "replace"):
            removed += i2 - i1
    return added, removed
