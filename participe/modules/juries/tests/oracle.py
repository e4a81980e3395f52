"""``sortition-algorithms`` (GPL-3.0, dev requirements only: never shipped) as an oracle: feasibility and maximin."""

from __future__ import annotations

from participe.modules.juries.sortition import Instance


def _inputs(instance: Instance):  # type: ignore[no-untyped-def]
    from sortition_algorithms.features import read_in_features
    from sortition_algorithms.people import read_in_people
    from sortition_algorithms.settings import Settings

    head = ["feature", "value", "min", "max"]
    body = [{"feature": q.feature, "value": q.value, "min": str(q.min), "max": str(q.max)} for q in instance.quotas]
    features, _, _ = read_in_features(head, body)
    people_head = ["id", *instance.features]
    people_body = [{"id": p.id, **dict(zip(instance.features, p.profile, strict=True))} for p in instance.people]
    settings = Settings(id_column="id", columns_to_keep=[])
    people, _ = read_in_people(people_head, people_body, features, settings)
    return features, people


def feasible(instance: Instance) -> bool:
    from sortition_algorithms.committee_generation import find_any_committee
    from sortition_algorithms.errors import InfeasibleQuotasError, SelectionError

    features, people = _inputs(instance)
    try:
        find_any_committee(features, people, instance.size, [])
    except (InfeasibleQuotasError, SelectionError):
        return False
    return True


def maximin_probability(instance: Instance) -> float:
    """The lowest selection probability of anyone under sortition-algorithms' maximin distribution."""
    from sortition_algorithms.committee_generation.maximin import find_distribution_maximin

    features, people = _inputs(instance)
    committees, probabilities, _ = find_distribution_maximin(features, people, instance.size, [])
    chance = {p.id: 0.0 for p in instance.people}
    for committee, probability in zip(committees, probabilities, strict=True):
        for pid in committee:
            chance[pid] += probability
    return min(chance.values())
