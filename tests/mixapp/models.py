"""A survey-like consumer of the mixer: answers staged, then mixed into anonymous answers, per questionnaire."""

from django.db import models

from participe.anonymity.models import MixedEntry, StagedEntry


class Questionnaire(models.Model):
    title = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """The record that someone took part (written with the staged answer)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE)
    person = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.person


class StagedAnswer(StagedEntry):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()


class AnonymousAnswer(MixedEntry):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField()
