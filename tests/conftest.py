import hashlib
import importlib
import os
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test import TransactionTestCase, override_settings

from articles.models import Story
from articles.publishing import Dispatch, publish, publish_new_stories
from articles.text import Kind
from newsdesk.database_roles import as_owner, owner_credentials
from newsdesk.embedded_postgres import VAR_DIR
from newsdesk.middleware import breaker
from newsdesk.middleware.invalidations import invalidations
from tests.helpers import BREAKING_NOTE, EDITOR_PASSWORD, SEED_PATH, SEED_SLUG, aware


def pytest_configure(config):
    """Without DATABASE_URL, start the embedded PostgreSQL before the test database is made."""
    from newsdesk import database_server

    database_server.start_unless_database_url()


def pytest_collection_modifyitems(items):
    # Browser tests last: Playwright keeps an event loop in the main thread once started.
    # pytest-xdist hands out tests in this order, so each of `make test`'s workers runs
    # its share of them last too, both at once.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


# `make test` keeps each test database between runs (--reuse-db): this file records the
# migrations each was made with, and a database made with other migrations is made again.
TEST_DATABASE_MARK = VAR_DIR / "test-databases" / os.environ.get("PYTEST_XDIST_WORKER", "main")


def migrations_digest():
    """A digest of the server and of every migration of every installed app, names and
    source."""
    digest = hashlib.sha256(
        f"{connection.settings_dict['HOST']}:{connection.settings_dict['PORT']}".encode()
    )
    for key, migration in sorted(
        MigrationLoader(None, ignore_no_migrations=True).disk_migrations.items()
    ):
        digest.update(repr(key).encode())
        digest.update(Path(sys.modules[type(migration).__module__].__file__).read_bytes())
    return digest.hexdigest()


def mark_test_database():
    TEST_DATABASE_MARK.parent.mkdir(parents=True, exist_ok=True)
    TEST_DATABASE_MARK.write_text(migrations_digest())


@pytest.fixture(scope="session")
def django_db_createdb(django_db_createdb):
    kept = TEST_DATABASE_MARK.read_text() if TEST_DATABASE_MARK.exists() else None
    return django_db_createdb or kept != migrations_digest()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Create, migrate, flush and finally drop the test database as the owner role.

    The database refuses TRUNCATE of stories and revisions unless a session opts in;
    pytest-django resets tables with `flush` after each transactional test, which runs
    as the owner: the owner's sessions in the suite opt in.
    """
    APPLICATION.update(
        {key: connection.settings_dict.get(key) for key in ("USER", "PASSWORD", "OPTIONS")}
    )
    owner = owner_credentials()
    if owner:
        options = connection.settings_dict.get("OPTIONS", {})
        opt_in = f"{options.get('options', '')} -c newsdesk.allow_truncate=on".strip()
        settings.DATABASE_OWNER = {**owner, "OPTIONS": {**options, "options": opt_in}}
        connection.settings_dict.update(settings.DATABASE_OWNER)


APPLICATION = {}  # the application role's credentials, while the owner's are in use


def no_waiting_for_the_disk(cursor):
    """A commit in the test database returns before its WAL reaches the disk: a crash
    could lose the last tests' writes, which nobody keeps."""
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = 'off'")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Run the tests as the application's role, with the privileges the site has: no
    TRUNCATE, ALTER or owning of tables.

    Without an owner role (DATABASE_URL alone), the one role opts its sessions in to
    emptying the archive tables of its own test database.
    """
    if not owner_credentials():
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET newsdesk.allow_truncate = 'on'")
            no_waiting_for_the_disk(cursor)
            cursor.execute("SET newsdesk.allow_truncate = 'on'")
        mark_test_database()
        yield
        invalidations.close()
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        no_waiting_for_the_disk(cursor)
        # Tests that insert thousands of rows by SQL ANALYZE them in their own transaction
        # (tests/helpers.py): only for the suite, the application's role may (PostgreSQL 17+).
        if connection.pg_version >= 170000:
            role = connection.ops.quote_name(APPLICATION["USER"])
            cursor.execute(f"GRANT MAINTAIN ON ALL TABLES IN SCHEMA public TO {role}")
    mark_test_database()
    owner = {key: connection.settings_dict.get(key) for key in APPLICATION}
    connection.close()
    connection.settings_dict.update(APPLICATION)
    yield
    # The page cache listens for changes on a connection of its own: let the test
    # database go.
    invalidations.close()
    connection.close()
    connection.settings_dict.update(owner)


@pytest.fixture(autouse=True)
def database_not_away():
    """A test that met a database outage leaves no open breaker to the next one."""
    yield
    breaker.reset()


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """No page cached by one test is served in another: tables emptied between tests
    announce nothing; nor any part of one (articles/site/fragments.py)."""
    yield
    caches["default"].clear()
    caches["fragments"].clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Run the database's deferred checks before each test's transaction is rolled back.

    A test runs inside a transaction that never commits, so the checks deferred to
    commit (a story matches its newest revision) would never run: fire them here, and
    a test that leaves the archive inconsistent fails.
    """
    result = yield
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return result


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Hash test passwords with MD5: the real hasher is slow by design, and the suite
    makes many editors. Processes the tests start keep the real settings."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# What migrate made and no test changes: a transactional test's flush keeps them.
KEPT_BY_FLUSH = {"django_migrations", "django_content_type", "auth_permission"}


def flush_all_but_what_migrate_made(self):
    """TransactionTestCase's teardown, without re-running post_migrate.

    Django's flush empties every table and then lets post_migrate make the content types
    and permissions again: most of a flush's time, after each transactional test. Kept
    instead, they also keep their ids, which ContentType's cache holds.
    """
    for alias in self._databases_names(include_mirrors=False):
        with as_owner(alias) as owner:
            tables = set(owner.introspection.django_table_names(only_existing=True))
            statements = owner.ops.sql_flush(no_style(), sorted(tables - KEPT_BY_FLUSH))
            with transaction.atomic(using=alias), owner.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


@pytest.fixture(scope="session", autouse=True)
def quick_flushes():
    with mock.patch.object(
        TransactionTestCase, "_fixture_teardown", flush_all_but_what_migrate_made
    ):
        yield


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest storage needs collectstatic first; tests/newsdesk/test_static.py covers it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def seed_text():
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture
def seed_parts(seed_text):
    """The seed as sent, cut at its blank lines: no parser involved."""
    blocks = seed_text.strip().split("\n\n")
    assert len(blocks) == 13 and blocks[6] == BREAKING_NOTE
    return SimpleNamespace(
        headline=blocks[0],
        time_line=blocks[1],
        top=blocks[2:6],  # the breaking update's four paragraphs
        earlier=blocks[7:12],  # the earlier story's five paragraphs
        story_text=blocks[2:12],  # top, note, earlier story: what the story page shows
        byline=blocks[12],
    )


@pytest.fixture
def seed_story(db):
    call_command("loaddata", "seed", verbosity=0)
    return Story.objects.get(slug=SEED_SLUG)


def story_dispatches(revisions=1, headline="Storm hits coast", when=None):
    """A story's dispatches, oldest first: revisions after the first are breaking updates
    over the earlier story, a minute apart."""
    when = when or aware(2025, 6, 17, 4, 31)
    return [
        Dispatch(
            headline=f"{headline} ({number})" if number > 1 else headline,
            body=f"Paragraph one of version {number}.\n\nParagraph two of version {number}.",
            kind=Kind.BREAKING_UPDATE if number > 1 else Kind.ORIGINAL,
            dateline_place="MIAMI",
            agency="AP",
            byline="By JANE DOE",
            wire_time=when + timedelta(minutes=number),
            editors_note=BREAKING_NOTE if number > 1 else "",
        )
        for number in range(1, revisions + 1)
    ]


@pytest.fixture
def make_story(db):
    """Publish a story with `revisions` revisions through the one write path, one by one."""

    def make(slug="a-story", revisions=1, headline="Storm hits coast", when=None):
        for number, dispatch in enumerate(story_dispatches(revisions, headline, when)):
            publish(slug, dispatch, expected_revision=number)
        return Story.objects.get(slug=slug)

    return make


@pytest.fixture
def make_stories(db):
    """`count` stories ("story-0", "story-1", ...) of `revisions` revisions each, archived
    at once through the bulk path: for tests that need an archive, not its making."""

    def make(count, revisions=1, first=0, when=None):
        """`when(index)`, if given, is the time of story-<index>'s first revision."""
        return publish_new_stories(
            (f"story-{index}", story_dispatches(revisions, when=when and when(index)))
            for index in range(first, first + count)
        )

    return make


# Browser tests (marked `browser`) drive Debian's Chromium through Playwright.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    # Depending on the test database makes it before Playwright starts its event loop,
    # in which Django refuses to create it (so a browser test module runs on its own too).
    if not CHROMIUM.exists():
        # CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing; .ci/run installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium):
    return {
        **browser_type_launch_args,
        "executable_path": str(chromium),
        # This machine reaches no outside network; without these Chromium keeps trying.
        "args": ["--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread for the rest of the
    # session, where Django's ORM would otherwise refuse to run. Browser tests run last
    # (see pytest_collection_modifyitems), so the other tests keep Django's guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def seeded_site(live_server, transactional_db, orm_beside_playwright):
    call_command("loaddata", "seed", verbosity=0)
    return live_server


# Editors: staff users in the Editors group that migration 0005 creates.


@pytest.fixture
def editors_group(db):
    """The Editors group as its migration makes it.

    A transactional test's flush empties auth_group, so it is made again from the
    migration's own function when missing.
    """
    group = Group.objects.filter(name="Editors").first()
    if group is None:
        migration = importlib.import_module("articles.migrations.0005_editors_group")
        migration.create_editors_group(django_apps, SimpleNamespace(connection=connection))
        group = Group.objects.get(name="Editors")
    return group


@pytest.fixture
def make_editor(editors_group, django_user_model):
    def make(username="alice", name="Alice Reed"):
        first_name, last_name = name.split(" ", 1)
        user = django_user_model.objects.create_user(
            username, password=EDITOR_PASSWORD, first_name=first_name, last_name=last_name
        )
        user.is_staff = True
        user.save()
        user.groups.add(editors_group)
        return user

    return make


@pytest.fixture
def editor(make_editor):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
