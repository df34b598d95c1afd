"""The release (newsdesk/release.py): RELEASE when set, else the digest of the source a
deploy ships, computed once per process."""

import pytest

from newsdesk import release
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


def test_the_release_variable_names_the_build_and_nothing_is_digested(settings, monkeypatch):
    monkeypatch.setattr(release, "source_digest", lambda base_dir: pytest.fail("digested"))
    release.source_release.cache_clear()
    settings.RELEASE = "4f2a9c1"

    assert release.current() == "4f2a9c1"


def test_without_it_the_source_is_digested_once_per_process(settings, monkeypatch):
    digested = []
    monkeypatch.setattr(release, "source_digest", lambda base_dir: digested.append(base_dir) or "d")
    release.source_release.cache_clear()
    settings.RELEASE = ""

    try:
        assert (release.current(), release.current()) == ("d", "d")
    finally:
        release.source_release.cache_clear()
    assert digested == [release.BASE_DIR]
