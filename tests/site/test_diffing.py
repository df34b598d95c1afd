"""The word diff: what changed between two texts, escaped, as <ins> and <del>."""

from articles.site.diffing import compare, diff_line, diff_paragraphs, paragraph_changes
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


def test_a_rewrite_past_the_work_budget_is_shown_whole_and_said_to_be_coarse():
    # The same word over and over, every few changed: difflib's worst case, which
    # took minutes on a few thousand words.
    old = " ".join(["the"] * 300)
    new = old.replace("the the the the the the the", "the zz the the the the the")

    diff = compare(old, new)

    assert diff.coarse and diff.paragraphs == [f"<del>{old}</del>", f"<ins>{new}</ins>"]
    assert (diff.added, diff.removed) == (1, 1)


def test_within_the_budget_the_same_rewrite_is_compared_word_by_word():
    old = " ".join(["the"] * 30)
    new = old.replace("the the the the the the the", "the zz the the the the the")

    assert compare(old, new, word_steps=100).coarse
    diff = compare(old, new)
    assert not diff.coarse and diff.paragraphs[0].count("<ins>zz") == 4


def test_a_long_passage_is_compared_by_paragraphs_and_the_rest_word_by_word():
    kept = "\n\n".join(f"Paragraph {number} stays." for number in range(200))
    long_old, long_new = "old words " * 6000, "new words " * 6000  # 120 kB rewritten
    old = f"The storm hit Miami.\n\n{kept}\n\n{long_old}"
    new = f"The storm missed Miami.\n\n{kept}\n\n{long_new}"

    diff = compare(old, new)

    assert diff.coarse
    assert diff.paragraphs[0] == "The storm <del>hit</del><ins>missed</ins> Miami."
    assert diff.paragraphs[-2:] == [f"<del>{long_old}</del>", f"<ins>{long_new}</ins>"]


def test_thousands_of_alike_paragraphs_are_matched_within_the_budget():
    old = "\n\n".join(["a", "b"] * 3000)
    new = "\n\n".join(["b", "a"] * 3000)

    diff = compare(old, new)

    assert diff.coarse
    assert (diff.added, diff.removed) == (6000, 6000) == paragraph_changes(old, new)
    assert len(diff.paragraphs) == 12000
