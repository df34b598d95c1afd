"""The release digest (newsdesk/release.py) follows the source a deploy ships."""

from newsdesk.release import source_digest


def write(base, relative, text):
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_digest_changes_with_a_template_and_not_with_bytecode(tmp_path):
    write(tmp_path, "templates/base.html", "<p>one</p>")
    write(tmp_path, "articles/views.py", "VIEWS = 1")
    before = source_digest(tmp_path)

    write(tmp_path, "articles/__pycache__/views.cpython-311.pyc", "bytecode")
    unchanged = source_digest(tmp_path)
    write(tmp_path, "templates/base.html", "<p>two</p>")

    assert unchanged == before
    assert source_digest(tmp_path) != before


def test_the_digest_changes_when_a_file_moves(tmp_path):
    write(tmp_path, "static/css/a.css", "p {}")
    before = source_digest(tmp_path)
    (tmp_path / "static/css/a.css").rename(tmp_path / "static/css/b.css")

    assert source_digest(tmp_path) != before
