# Imports too large for one request run as background jobs: the file, who sent it, how far the
# job got and what it found.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0012_names_in_russian'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('membership', 'membership spells'), ('source', 'sources'), ('citation', 'citations of membership spells')], max_length=12)),
                ('file_name', models.CharField(max_length=255)),
                ('file_format', models.CharField(help_text='csv or xlsx', max_length=8)),
                ('content', models.BinaryField(help_text='The file as uploaded; the worker reads it.')),
                ('state', models.CharField(choices=[('queued', 'waiting for the worker'), ('running', 'importing'), ('done', 'imported'), ('failed', 'refused: nothing was imported')], db_index=True, default='queued', max_length=8)),
                ('rows_total', models.PositiveIntegerField(default=0)),
                ('rows_done', models.PositiveIntegerField(default=0)),
                ('totals', models.JSONField(blank=True, default=dict)),
                ('problems', models.JSONField(blank=True, default=list)),
                ('task_id', models.CharField(blank=True, editable=False, max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('change_sets', models.ManyToManyField(blank=True, related_name='import_jobs', to='orgs.changeset')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='import_jobs', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'import job',
                'ordering': ['-created_at', '-pk'],
            },
        ),
    ]
