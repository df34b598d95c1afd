"""Two more rules the database keeps, whatever the code path.

1. A story row always describes its newest revision: a deferred constraint trigger
   checks at commit that the story's revision number, kind, headline, dateline, byline
   and time are those of its newest revision, so a story without revisions cannot
   exist, `UPDATE articles_story SET revision_number = 1` cannot commit, and loading
   an old fixture over a story that has moved on fails instead of rolling it back.
   Deferred, because publishing writes the story row before the revision it describes.
2. The archive tables cannot be emptied by TRUNCATE (and so not by `manage.py flush`),
   unless a session deliberately sets `newsdesk.allow_truncate` to `on` (the test
   suite does, on its own test database).
"""

from django.db import migrations

MATCHES_NEWEST_REVISION = """
CREATE FUNCTION articles_story_matches_newest_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    target bigint;
    story articles_story%ROWTYPE;
    newest articles_revision%ROWTYPE;
BEGIN
    IF TG_TABLE_NAME = 'articles_story' THEN
        target := NEW.id;
    ELSE
        target := NEW.story_id;
    END IF;
    SELECT * INTO story FROM articles_story WHERE id = target;
    IF NOT FOUND THEN
        RETURN NULL;  -- deleted later in the same transaction
    END IF;
    SELECT * INTO newest FROM articles_revision
    WHERE story_id = story.id ORDER BY number DESC LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'story % has no revision: a story is made by publishing its first one',
            story.slug USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (story.revision_number, story.kind, story.headline, story.dateline_place,
        story.agency, story.byline, story.updated_at)
       IS DISTINCT FROM
       (newest.number, newest.kind, newest.headline, newest.dateline_place,
        newest.agency, newest.byline, coalesce(newest.wire_time, newest.archived_at))
    THEN
        RAISE EXCEPTION 'story % does not match its newest revision %: stories change only '
            'by publishing a new revision', story.slug, newest.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER articles_story_matches_newest_revision
    AFTER INSERT OR UPDATE ON articles_story
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION articles_story_matches_newest_revision();

CREATE CONSTRAINT TRIGGER articles_revision_story_matches_newest_revision
    AFTER INSERT ON articles_revision
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION articles_story_matches_newest_revision();
"""

UNMATCHED = """
DROP TRIGGER articles_revision_story_matches_newest_revision ON articles_revision;
DROP TRIGGER articles_story_matches_newest_revision ON articles_story;
DROP FUNCTION articles_story_matches_newest_revision();
"""

NO_TRUNCATE = """
CREATE FUNCTION articles_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('newsdesk.allow_truncate', true), '') <> 'on' THEN
        RAISE EXCEPTION '% cannot be truncated: the archive keeps every story and revision',
            TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER articles_story_no_truncate BEFORE TRUNCATE ON articles_story
    FOR EACH STATEMENT EXECUTE FUNCTION articles_refuse_truncate();
CREATE TRIGGER articles_revision_no_truncate BEFORE TRUNCATE ON articles_revision
    FOR EACH STATEMENT EXECUTE FUNCTION articles_refuse_truncate();
"""

TRUNCATE_ALLOWED = """
DROP TRIGGER articles_revision_no_truncate ON articles_revision;
DROP TRIGGER articles_story_no_truncate ON articles_story;
DROP FUNCTION articles_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_story_times_kind_search")]

    operations = [
        migrations.RunSQL(MATCHES_NEWEST_REVISION, UNMATCHED),
        migrations.RunSQL(NO_TRUNCATE, TRUNCATE_ALLOWED),
    ]
