"""Statistics kept per day (decision 0028): the two tables of figures, counted from the existing reports."""

import math
from collections import Counter

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

OPEN = {"nouveau", "pris_en_compte", "programme", "en_cours"}
ACK_STEPS = ((86_400, 360), (7 * 86_400, 3_600), (None, 86_400))
RESOLVE_STEPS = ((30 * 86_400, 8_640), (None, 86_400))


def bucket(seconds, steps):
    base, lower = 0, 0
    for limit, size in steps:
        if limit is None or seconds <= limit:
            return base + max(0, math.ceil((seconds - lower) / size))
        base += (limit - lower) // size
        lower = limit


def count(apps, schema_editor):
    """The same count as ``figures.rebuild``, with the models of this migration."""
    Report = apps.get_model("signalements", "Report")
    Assignment = apps.get_model("assignments", "Assignment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    DayFigures = apps.get_model("signalements", "DayFigures")
    DelayFigures = apps.get_model("signalements", "DelayFigures")
    content_type = ContentType.objects.filter(app_label="signalements", model="report").first()
    service_of = {}
    if content_type is not None:
        service_of = dict(
            Assignment.objects.filter(content_type=content_type).values_list("object_id", "service_id")
        )
    days, delays = Counter(), Counter()
    fields = ("pk", "module_id", "category_id", "status", "created_at", "acknowledged_at", "resolved_at")
    for report in Report.objects.filter(confirmed_at__isnull=False).only(*fields).iterator(chunk_size=5000):
        is_open = report.status in OPEN
        service = service_of.get(report.pk) or 0
        key = (report.module_id, timezone.localdate(report.created_at), report.category_id, service)
        days[(*key, "total")] += 1
        days[(*key, "open" if is_open else "closed")] += 1
        if report.acknowledged_at:
            seconds = (report.acknowledged_at - report.created_at).total_seconds()
            delays[(report.module_id, report.category_id, service, "ack", bucket(seconds, ACK_STEPS))] += 1
        if report.resolved_at and not is_open:
            seconds = (report.resolved_at - report.created_at).total_seconds()
            delays[(report.module_id, report.category_id, service, "resolve", bucket(seconds, RESOLVE_STEPS))] += 1
    merged = {}
    for (module, day, category, service, name), value in days.items():
        merged.setdefault((module, day, category, service), {})[name] = value
    DayFigures.objects.bulk_create(
        [
            DayFigures(module_id=m, day=d, category_id=c, service_id=s, **values)
            for (m, d, c, s), values in merged.items()
        ],
        batch_size=2000,
    )
    DelayFigures.objects.bulk_create(
        [
            DelayFigures(module_id=m, category_id=c, service_id=s, kind=k, bucket=b, count=n)
            for (m, c, s, k, b), n in delays.items()
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('signalements', '0003_text_limits'),
        ('spaces', '0003_organisation_space'),
        ('assignments', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='DayFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('service_id', models.PositiveIntegerField(default=0)),
                ('total', models.IntegerField(default=0)),
                ('open', models.IntegerField(default=0)),
                ('closed', models.IntegerField(default=0)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='signalements.category')),
                ('module', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='spaces.module')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('module', 'day', 'category', 'service_id'), name='signalements_day_figures')],
            },
        ),
        migrations.CreateModel(
            name='DelayFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('service_id', models.PositiveIntegerField(default=0)),
                ('kind', models.CharField(choices=[('ack', 'ack'), ('resolve', 'resolve')], max_length=8)),
                ('bucket', models.IntegerField()),
                ('count', models.IntegerField(default=0)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='signalements.category')),
                ('module', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='spaces.module')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('module', 'category', 'service_id', 'kind', 'bucket'), name='signalements_delay_figures')],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
