"""Counters of the respondents who answered each multiple choice and ranking (key ``0:0:0:<territory>``), computed
from the answers already received; new responses keep them up to date."""

from django.db import migrations
from django.db.models import Count


def count_respondents(apps, schema_editor):
    Answer = apps.get_model("surveys", "Answer")
    Tally = apps.get_model("surveys", "Tally")
    rows = (
        Answer.objects.filter(question__kind__in=("multiple", "ranking"), response__submitted_at__isnull=False)
        .values("question_id", "response__territory_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    )
    Tally.objects.bulk_create(
        [
            Tally(
                question_id=row["question_id"],
                key=f"0:0:0:{row['response__territory_id'] or 0}",
                territory_id=row["response__territory_id"],
                count=row["n"],
            )
            for row in rows.iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def remove_counters(apps, schema_editor):
    Tally = apps.get_model("surveys", "Tally")
    Tally.objects.filter(question__kind__in=("multiple", "ranking"), key__startswith="0:0:0:").delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_answer_choice_index_with_response")]

    operations = [migrations.RunPython(count_respondents, remove_counters)]
