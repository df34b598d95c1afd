"""The real wire: a story's keyword, embargo and withdrawal, each revision's wire version,
every transmission as it arrived (kept like the archive: no TRUNCATE), and ingest tokens."""

import articles.text
import django.db.models.deletion
import django.db.models.functions.datetime
import django.utils.timezone
from django.db import migrations, models


# Arrivals are history too: refused by the same trigger function as stories and revisions.
NO_TRUNCATE = """
CREATE TRIGGER articles_transmission_no_truncate BEFORE TRUNCATE ON articles_transmission
    FOR EACH STATEMENT EXECUTE FUNCTION articles_refuse_truncate();
"""
TRUNCATABLE = "DROP TRIGGER articles_transmission_no_truncate ON articles_transmission;"


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_story_derived_by_the_database'),
    ]

    operations = [
        migrations.CreateModel(
            name='IngestToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='Who the token is for.', max_length=100, unique=True)),
                ('digest', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Transmission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(help_text='SHA-256 of the bytes as received.', max_length=64, unique=True)),
                ('received_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now)),
                ('source', models.CharField(help_text="The file's name or the pushing client.", max_length=200)),
                ('wire_format', models.CharField(help_text='plain text, ANPA-1312 or NITF.', max_length=20)),
                ('wire_keyword', models.CharField(blank=True, default='', max_length=100)),
                ('wire_version', models.PositiveIntegerField(blank=True, null=True)),
                ('outcome', models.CharField(choices=[('published', 'Published as a revision'), ('unchanged', 'Archived already'), ('late', 'Kept as history: a newer version was archived first'), ('withdrawn', 'Withdrew its story')], max_length=20)),
                ('content', models.TextField(help_text='The transmission as received, decoded (bytes that are not UTF-8, and NUL, as \\xNN escapes).')),
            ],
            options={
                'ordering': ['-received_at', '-id'],
                'get_latest_by': 'received_at',
            },
        ),
        migrations.AddField(
            model_name='revision',
            name='wire_version',
            field=models.PositiveIntegerField(blank=True, help_text="The wire's version: 0 for the first transmission, N for the Nth Ld-Writethru; empty for plain-text copy and editors' revisions.", null=True),
        ),
        migrations.AddField(
            model_name='story',
            name='not_before',
            field=models.DateTimeField(blank=True, help_text='Embargoed: shown to nobody outside the admin before this time.', null=True),
        ),
        migrations.AddField(
            model_name='story',
            name='wire_keyword',
            field=models.CharField(blank=True, db_default='', default='', help_text="The wire's keyword this story's versions are threaded by, as a key (“giantlobsterdeath” for “BC-US--Giant Lobster Death”); empty for plain-text copy.", max_length=100),
        ),
        migrations.AddField(
            model_name='story',
            name='withdrawal_reason',
            field=models.TextField(blank=True, db_default='', default='', help_text='Why it was withdrawn, shown to readers in its place.', validators=[articles.text.validate_plain_text]),
        ),
        migrations.AddField(
            model_name='story',
            name='withdrawn_at',
            field=models.DateTimeField(blank=True, help_text='When the story was withdrawn (a kill); empty if not.', null=True),
        ),
        migrations.AddIndex(
            model_name='story',
            index=models.Index(condition=models.Q(('wire_keyword', ''), _negated=True), fields=['wire_keyword'], name='articles_story_keyword_idx'),
        ),
        migrations.AddIndex(
            model_name='story',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', False)), fields=['withdrawn_at'], name='articles_story_withdrawn_idx'),
        ),
        migrations.AddIndex(
            model_name='story',
            index=models.Index(condition=models.Q(('not_before__isnull', False)), fields=['not_before'], name='articles_story_embargo_idx'),
        ),
        migrations.AddField(
            model_name='transmission',
            name='story',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='transmissions', to='articles.story'),
        ),
        migrations.RunSQL(NO_TRUNCATE, TRUNCATABLE),
    ]
