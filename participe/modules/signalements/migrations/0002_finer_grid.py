"""The duplicate look-up's grid goes from 0.01° to 0.001° cells: every report's cell is computed again."""

from django.db import migrations

GRID = 1000
ROW = 1_000_000


def recompute(apps, schema_editor):
    Report = apps.get_model("signalements", "Report")
    batch = []
    for report in Report.objects.only("pk", "lat", "lon").iterator(chunk_size=2000):
        report.cell = int((report.lat + 90) * GRID) * ROW + int((report.lon + 180) * GRID)
        batch.append(report)
        if len(batch) == 2000:
            Report.objects.bulk_update(batch, ["cell"])
            batch = []
    Report.objects.bulk_update(batch, ["cell"])


class Migration(migrations.Migration):
    dependencies = [("signalements", "0001_initial")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
