"""Make revisions immutable in the database, whatever the code path.

A trigger refuses any UPDATE that changes a revision and any DELETE of one. An UPDATE
that leaves the row as it was is let through, so loading a fixture twice still works.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION articles_revision_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'revision % of story % cannot be deleted: revisions are kept forever',
            OLD.number, OLD.story_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'revision % of story % cannot be changed: publish a new revision instead',
            OLD.number, OLD.story_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER articles_revision_immutable
    BEFORE UPDATE OR DELETE ON articles_revision
    FOR EACH ROW EXECUTE FUNCTION articles_revision_immutable();
"""

DROP = """
DROP TRIGGER articles_revision_immutable ON articles_revision;
DROP FUNCTION articles_revision_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
