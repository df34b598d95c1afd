"""Revisions know when they were archived and who posted them; stories get the kind of
their current revision, times that are never empty, and a full-text search vector.

The wire's time line moves to Revision.wire_time. Stories and pages go by "the wire's
time when given, else when archived", so rows archived before this migration take their
archived time from the migration itself.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.datetime
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

KINDS = [
    ("original", "Original"),
    ("breaking_update", "Breaking update"),
    ("update", "Update"),
    ("correction", "Correction"),
]

# Revisions cannot be updated (the trigger of 0002), but stories can: bring each story
# in line with its newest revision, and fill the times no row may lack any more.
FILL_STORIES = """
UPDATE articles_story AS story
SET kind = newest.kind,
    archived_at = newest.archived_at,
    updated_at = coalesce(story.updated_at, newest.archived_at),
    first_published_at = coalesce(story.first_published_at, first.archived_at)
FROM articles_revision AS newest, articles_revision AS first
WHERE newest.story_id = story.id AND newest.number = story.revision_number
  AND first.story_id = story.id AND first.number = 1;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_revision_immutable"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("revision", "published_at", "wire_time"),
        migrations.AlterField(
            model_name="revision",
            name="wire_time",
            field=models.DateTimeField(
                blank=True,
                help_text="The wire's time line; empty when the wire gave none.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="archived_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                db_index=True,
                default=django.utils.timezone.now,
                help_text="When this revision was archived, by the server's clock.",
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="posted_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The editor who posted it; empty for wire imports and fixtures.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="posted_revisions",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="contributors",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="Contributor lines as sent, one per line, e.g. “Associated Press "
                "writer Jane Doe in Tokyo contributed to this report.”",
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="kind",
            field=models.CharField(choices=KINDS, default="original", max_length=20),
        ),
        migrations.AlterField(
            model_name="revision",
            name="editors_note",
            field=models.TextField(
                blank=True,
                help_text="For a breaking update, the note above the earlier story, e.g. "
                "“THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below.”; for a "
                "correction, what was corrected.",
            ),
        ),
        migrations.RemoveConstraint(model_name="revision", name="articles_revision_kind_valid"),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=[value for value, _ in KINDS]),
                name="articles_revision_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=~models.Q(kind="correction") | ~models.Q(editors_note=""),
                name="articles_revision_correction_says_what",
                violation_error_message="A correction needs an editor's note saying what was "
                "corrected.",
            ),
        ),
        migrations.AlterModelOptions(
            name="revision",
            options={"get_latest_by": "number", "ordering": ["story_id", "-number"]},
        ),
        # Stories: the current revision's kind, and times that are never empty.
        migrations.AddField(
            model_name="story",
            name="kind",
            field=models.CharField(
                choices=KINDS,
                default="original",
                help_text="The kind of the current revision.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="archived_at",
            field=models.DateTimeField(
                db_index=True, help_text="When the current revision was archived.", null=True
            ),
        ),
        migrations.RunSQL(FILL_STORIES, migrations.RunSQL.noop),
        migrations.RemoveField(model_name="story", name="is_breaking"),
        migrations.AlterField(
            model_name="story",
            name="archived_at",
            field=models.DateTimeField(
                db_index=True, help_text="When the current revision was archived."
            ),
        ),
        migrations.AlterField(
            model_name="story",
            name="first_published_at",
            field=models.DateTimeField(
                help_text="The first revision's time: the wire's time line, else when it was "
                "archived."
            ),
        ),
        migrations.AlterField(
            model_name="story",
            name="updated_at",
            field=models.DateTimeField(
                help_text="The current revision's time: the wire's time line, else when it was "
                "archived."
            ),
        ),
        migrations.AddConstraint(
            model_name="story",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=[value for value, _ in KINDS]),
                name="articles_story_kind_valid",
            ),
        ),
        migrations.AlterModelOptions(
            name="story",
            options={
                "get_latest_by": "updated_at",
                "ordering": ["-updated_at", "-id"],
                "verbose_name_plural": "stories",
            },
        ),
        migrations.RemoveIndex(model_name="story", name="articles_story_latest_idx"),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                models.OrderBy(models.F("updated_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="articles_story_latest_idx",
            ),
        ),
        # Matching a wire file's earlier story to the story it continues.
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                django.db.models.functions.text.MD5("text"), name="articles_story_text_md5_idx"
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=SearchVector("headline", weight="A", config="english")
                + SearchVector("dateline_place", "byline", weight="B", config="english")
                + SearchVector("text", weight="C", config="english"),
                help_text="Headline, dateline and byline, and text, weighted for full-text "
                "search.",
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="story",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="articles_story_search_idx"
            ),
        ),
    ]
