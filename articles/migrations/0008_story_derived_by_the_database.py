"""The database keeps the archive whole against its own user, and brings its contrib modules.

1. articles_story_derived(story) is the one SQL rule for the story row's columns that
   follow its revisions (number, kind, headline, dateline, byline, the stacked text,
   the times), as articles.publishing.current_fields() computes them; the deferred
   check at commit now compares every one of them, text and times included, naming
   the columns that differ. Existing rows are brought in line with it first.
2. A story's slug and first publication time never change (a BEFORE UPDATE trigger).
3. Revision numbers have no gap: a new revision is numbered one past the story's
   newest (lower numbers are refused by the unique and positive constraints).
4. pg_trgm and unaccent: trigram indexes for substring search of bylines and headlines,
   and a text search configuration that folds accents ("Sao Paulo" finds "SÃO PAULO"),
   which the stored search vector is rebuilt with. A server without them is refused
   here, with a message saying what to install.
"""

import importlib

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.contrib.postgres.indexes import OpClass

REQUIRED_EXTENSIONS = ["pg_trgm", "unaccent"]


def require_extensions(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_available_extensions WHERE name = ANY(%s)", [REQUIRED_EXTENSIONS]
        )
        available = {name for (name,) in cursor.fetchall()}
    missing = [name for name in REQUIRED_EXTENSIONS if name not in available]
    if missing:
        raise RuntimeError(
            f"This PostgreSQL server lacks the extension(s) {', '.join(missing)}, which "
            "Newsdesk needs (trigram indexes and accent-folding search). Install the "
            "server's contrib modules (Debian: the postgresql-NN package; managed "
            "services: enable them) and run migrate again."
        )


SEARCH_CONFIGURATION = """
CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english);
ALTER TEXT SEARCH CONFIGURATION english_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
"""
NO_SEARCH_CONFIGURATION = "DROP TEXT SEARCH CONFIGURATION english_unaccent;"

DERIVED = r"""
-- A revision's own text as the wire prints it: dateline, body, then its note.
CREATE FUNCTION articles_revision_published(revision articles_revision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN revision.dateline_place = '' THEN '' ELSE
               revision.dateline_place
               || CASE WHEN revision.agency = '' THEN '' ELSE ' (' || revision.agency || ')' END
               || ' — ' END
           || revision.body
           || CASE WHEN revision.editors_note = '' THEN '' ELSE E'\n\n' || revision.editors_note END
$$;

-- What story `target`'s row must hold, from its revisions alone: the newest revision's
-- fields, the text of its stack (it and, while each is a breaking update, the revision
-- below), and the first revision's time. The one rule the check at commit applies; no
-- row when the story has no revision. Each lookup goes by (story, number): index scans,
-- even while a bulk insert grows a table whose statistics say it is empty.
CREATE FUNCTION articles_story_derived(target bigint)
RETURNS TABLE (
    revision_number integer, kind varchar, headline varchar, dateline_place varchar,
    agency varchar, byline varchar, text text, updated_at timestamptz,
    archived_at timestamptz, first_published_at timestamptz
)
LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
DECLARE
    newest articles_revision%ROWTYPE;
    stacked text;
    first_time timestamptz;
BEGIN
    SELECT * INTO newest FROM articles_revision AS revision
    WHERE revision.story_id = target ORDER BY revision.number DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF newest.kind = 'breaking_update' THEN
        SELECT string_agg(articles_revision_published(revision), E'\n\n'
                          ORDER BY revision.number DESC) INTO stacked
        FROM articles_revision AS revision
        WHERE revision.story_id = target AND revision.number <= newest.number
          AND revision.number >= (
              SELECT below.number FROM articles_revision AS below
              WHERE below.story_id = target AND below.number < newest.number
                AND below.kind <> 'breaking_update'
              ORDER BY below.number DESC LIMIT 1);
    ELSE
        stacked := articles_revision_published(newest);
    END IF;
    IF newest.number = 1 THEN
        first_time := coalesce(newest.wire_time, newest.archived_at);
    ELSE
        SELECT coalesce(first.wire_time, first.archived_at) INTO first_time
        FROM articles_revision AS first WHERE first.story_id = target AND first.number = 1;
    END IF;
    RETURN QUERY SELECT newest.number, newest.kind, newest.headline, newest.dateline_place,
        newest.agency, newest.byline, stacked, coalesce(newest.wire_time, newest.archived_at),
        newest.archived_at, first_time;
END;
$$;

-- The columns of `story` that differ from what its revisions give (empty: none).
CREATE FUNCTION articles_story_defaced_columns(story articles_story) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT array_remove(ARRAY[
        CASE WHEN story.revision_number IS DISTINCT FROM derived.revision_number THEN 'revision_number' END,
        CASE WHEN story.kind IS DISTINCT FROM derived.kind THEN 'kind' END,
        CASE WHEN story.headline IS DISTINCT FROM derived.headline THEN 'headline' END,
        CASE WHEN story.dateline_place IS DISTINCT FROM derived.dateline_place THEN 'dateline_place' END,
        CASE WHEN story.agency IS DISTINCT FROM derived.agency THEN 'agency' END,
        CASE WHEN story.byline IS DISTINCT FROM derived.byline THEN 'byline' END,
        CASE WHEN story.text IS DISTINCT FROM derived.text THEN 'text' END,
        CASE WHEN story.updated_at IS DISTINCT FROM derived.updated_at THEN 'updated_at' END,
        CASE WHEN story.archived_at IS DISTINCT FROM derived.archived_at THEN 'archived_at' END,
        CASE WHEN story.first_published_at IS DISTINCT FROM derived.first_published_at
             THEN 'first_published_at' END
    ], NULL)
    FROM articles_story_derived(story.id) AS derived
$$;

-- Every lookup of the checks goes by (story, number): index scans, planned so even while
-- a bulk insert grows a table whose statistics say it is empty.
CREATE OR REPLACE FUNCTION articles_story_matches_newest_revision() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
    target bigint;
    story articles_story%ROWTYPE;
    defaced text[];
BEGIN
    IF TG_TABLE_NAME = 'articles_story' THEN
        target := NEW.id;
        -- A new story's revisions are all new too: the newest one's check compares the
        -- row; here it is enough that there is one.
        IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM articles_revision WHERE story_id = target)
        THEN
            RETURN NULL;
        END IF;
    ELSE
        target := NEW.story_id;
        -- An earlier revision of a load leaves the check to its story's newest.
        IF EXISTS (SELECT 1 FROM articles_revision
                   WHERE story_id = target AND number > NEW.number) THEN
            RETURN NULL;
        END IF;
    END IF;
    SELECT * INTO story FROM articles_story WHERE id = target;
    IF NOT FOUND THEN
        RETURN NULL;  -- deleted later in the same transaction
    END IF;
    defaced := articles_story_defaced_columns(story);
    IF defaced IS NULL THEN
        RAISE EXCEPTION 'story % has no revision: a story is made by publishing its first one',
            story.slug USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF cardinality(defaced) > 0 THEN
        RAISE EXCEPTION 'story % does not match its revisions (%): stories change only '
            'by publishing a new revision', story.slug, array_to_string(defaced, ', ')
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$;
"""

# Reverting puts back 0004's check, which compared fewer columns.
EARLIER_CHECK = (
    importlib.import_module("articles.migrations.0004_story_matches_newest_revision")
    .MATCHES_NEWEST_REVISION.split("CREATE CONSTRAINT TRIGGER")[0]
    .replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
)
NOT_DERIVED = EARLIER_CHECK + """
DROP FUNCTION articles_story_defaced_columns(articles_story);
DROP FUNCTION articles_story_derived(bigint);
DROP FUNCTION articles_revision_published(articles_revision);
"""

# Rows written before the check covered text and times take them from their revisions.
ALIGN_STORIES = """
UPDATE articles_story AS story
SET text = derived.text, archived_at = derived.archived_at,
    first_published_at = derived.first_published_at
FROM articles_story AS current, articles_story_derived(current.id) AS derived
WHERE story.id = current.id
  AND (story.text, story.archived_at, story.first_published_at)
      IS DISTINCT FROM (derived.text, derived.archived_at, derived.first_published_at);
"""

FIXED_FOREVER = """
CREATE FUNCTION articles_story_fixed_forever() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.slug, NEW.first_published_at)
       IS DISTINCT FROM (OLD.id, OLD.slug, OLD.first_published_at) THEN
        RAISE EXCEPTION 'story %: its address and first publication time never change',
            OLD.slug USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER articles_story_fixed_forever BEFORE UPDATE ON articles_story
    FOR EACH ROW EXECUTE FUNCTION articles_story_fixed_forever();

CREATE FUNCTION articles_revision_next_number() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
    next integer;
BEGIN
    SELECT coalesce(max(number), 0) + 1 INTO next
    FROM articles_revision WHERE story_id = NEW.story_id;
    IF NEW.number > next THEN
        RAISE EXCEPTION 'revision % of story % leaves a gap: the next revision is %',
            NEW.number, NEW.story_id, next USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER articles_revision_next_number BEFORE INSERT ON articles_revision
    FOR EACH ROW EXECUTE FUNCTION articles_revision_next_number();
"""

NOT_FIXED = """
DROP TRIGGER articles_revision_next_number ON articles_revision;
DROP FUNCTION articles_revision_next_number();
DROP TRIGGER articles_story_fixed_forever ON articles_story;
DROP FUNCTION articles_story_fixed_forever();
"""


def search_vector(config):
    return django.db.models.GeneratedField(
        db_persist=True,
        expression=SearchVector("headline", weight="A", config=config)
        + SearchVector("dateline_place", "byline", weight="B", config=config)
        + SearchVector("text", weight="C", config=config),
        help_text="Headline, dateline and byline, and text, weighted for full-text search.",
        output_field=django.contrib.postgres.search.SearchVectorField(),
    )


def trigram_index(field):
    return django.contrib.postgres.indexes.GinIndex(
        OpClass(django.db.models.functions.text.Upper(field), name="gin_trgm_ops"),
        name=f"articles_story_{field}_trgm",
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_plain_text_validators")]

    operations = [
        migrations.RunPython(require_extensions, migrations.RunPython.noop),
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(SEARCH_CONFIGURATION, NO_SEARCH_CONFIGURATION),
        migrations.RunSQL(DERIVED, NOT_DERIVED),
        migrations.RunSQL(ALIGN_STORIES, migrations.RunSQL.noop),
        migrations.RunSQL(FIXED_FOREVER, NOT_FIXED),
        migrations.RemoveIndex(model_name="story", name="articles_story_search_idx"),
        migrations.RemoveField(model_name="story", name="search_vector"),
        migrations.AddField(
            model_name="story", name="search_vector", field=search_vector("english_unaccent")
        ),
        migrations.AddIndex(
            model_name="story",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="articles_story_search_idx"
            ),
        ),
        migrations.AddIndex(model_name="story", index=trigram_index("byline")),
        migrations.AddIndex(model_name="story", index=trigram_index("headline")),
    ]
