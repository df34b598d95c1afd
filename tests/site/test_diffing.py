"""The word diff: what changed between two texts, escaped, as <ins> and <del>."""

from articles.site.diffing import diff_line, diff_paragraphs, paragraph_changes
from articles.text import PARAGRAPH_BREAK


def test_unchanged_text_has_no_marks():
    text = "One paragraph.\n\nAnother paragraph."

    assert diff_paragraphs(text, text) == ["One paragraph.", "Another paragraph."]


def test_a_changed_word_is_deleted_then_inserted():
    assert diff_line("Storm hits coast", "Storm leaves coast") == (
        "Storm <del>hits</del><ins>leaves</ins> coast"
    )


def test_new_paragraphs_on_top_are_inserted_whole_and_the_rest_untouched():
    earlier = "The earlier story.\n\nIts second paragraph."
    newer = "A new top.\n\nMore news.\n\nNOTE.\n\n" + earlier

    diffed = diff_paragraphs(earlier, newer)

    assert diffed == [
        "<ins>A new top.</ins>",
        "<ins>More news.</ins>",
        "<ins>NOTE.</ins>",
        "The earlier story.",
        "Its second paragraph.",
    ]


def test_a_removed_paragraph_is_deleted_where_it_stood():
    diffed = diff_paragraphs("Keep.\n\nDrop this.\n\nKeep too.", "Keep.\n\nKeep too.")

    assert diffed == ["Keep.", "<del>Drop this.</del>", "Keep too."]


def test_markup_in_either_text_is_escaped_not_rendered():
    diffed = diff_line("<b>old</b>", "<script>alert(1)</script>")

    assert "<script>" not in diffed and "<b>" not in diffed
    assert diffed.startswith("&lt;<del>b</del><ins>script</ins>&gt;")


def test_a_rewritten_paragraph_is_compared_word_by_word():
    diffed = diff_paragraphs("Same.\n\nThe storm hit Miami.", "Same.\n\nThe storm missed Miami.")

    assert diffed == ["Same.", "The storm <del>hit</del><ins>missed</ins> Miami."]


def test_every_paragraph_is_well_formed_on_its_own():
    diffed = diff_paragraphs("a b c", "x\n\ny\n\nz a b c")

    for paragraph in diffed:
        assert paragraph.count("<ins>") == paragraph.count("</ins>")
        assert paragraph.count("<del>") == paragraph.count("</del>")


def test_paragraph_changes_counts_added_and_removed_paragraphs():
    old = PARAGRAPH_BREAK.join(["a", "b", "c"])
    new = PARAGRAPH_BREAK.join(["new", "a", "c", "d"])

    assert paragraph_changes(old, new) == (2, 1)
    assert paragraph_changes(old, old) == (0, 0)


def test_seed_update_inserts_the_new_top_and_note_and_deletes_nothing(seed_parts):
    earlier = PARAGRAPH_BREAK.join(seed_parts.earlier)
    newer = PARAGRAPH_BREAK.join(seed_parts.story_text)

    diffed = diff_paragraphs(earlier, newer)

    assert len(diffed) == 10
    assert all(paragraph.startswith("<ins>") for paragraph in diffed[:5])
    assert not any("<ins>" in paragraph or "<del>" in paragraph for paragraph in diffed[5:])
