"""Every event type of every aggregate is projected (or declared not projected) and labelled.

Adding an event to an aggregate without a projector handler, an entry in
`catalog.NOT_PROJECTED`, or a label in `vocabulary.EVENT_LABELS` fails here; so does a
label or declaration for an event type that no longer exists.
"""

from __future__ import annotations

from eventsourcing.domain import CanMutateAggregate

import rectify.domain.application  # noqa: F401  (imports every aggregate)
from rectify.domain.base import RectifyAggregate
from rectify.domain.vocabulary import EVENT_LABELS
from rectify.projections.catalog import NOT_PROJECTED, all_projectors
from rectify.projections.timeline import FINDING_TOPICS, OCCURRENCE_TOPIC, TimelineProjector


def _walk(cls: type) -> list[type]:
    return [cls, *[d for sub in cls.__subclasses__() for d in _walk(sub)]]


def event_topics() -> set[str]:
    topics: set[str] = set()
    for aggregate in _walk(RectifyAggregate):
        if aggregate is RectifyAggregate:
            continue
        for name, value in vars(aggregate).items():
            if (
                isinstance(value, type)
                and issubclass(value, CanMutateAggregate)
                and name != "Event"
            ):
                topics.add(value.__dict__["TOPIC"])
    return topics


def handled_topics() -> set[str]:
    return {topic for p in all_projectors() for topic in p.handlers()}


def test_the_aggregates_have_events() -> None:
    topics = event_topics()
    assert "rectify/Finding.Issued" in topics and "rectify/Budget.Adjusted" in topics
    assert len(topics) >= 30


def test_every_event_type_has_a_handler_or_is_declared_not_projected() -> None:
    topics = event_topics()
    handled = handled_topics()
    missing = sorted(t for t in topics if t not in handled and t not in NOT_PROJECTED)
    assert missing == [], f"no projector handler and not declared in NOT_PROJECTED: {missing}"
    both = sorted(t for t in NOT_PROJECTED if t in handled)
    assert both == [], f"declared not projected but handled: {both}"
    stale = sorted(set(NOT_PROJECTED) - topics)
    assert stale == [], f"NOT_PROJECTED names event types that do not exist: {stale}"


def test_every_event_type_has_a_chinese_label() -> None:
    topics = event_topics()
    assert sorted(topics - set(EVENT_LABELS)) == []
    assert sorted(set(EVENT_LABELS) - topics) == [], "labels for event types that do not exist"
    for topic, label in EVENT_LABELS.items():
        assert label.strip() and not label.isascii(), (topic, label)


def test_every_finding_event_and_clock_occurrence_is_on_the_timeline() -> None:
    finding_topics = {t for t in event_topics() if t.startswith("rectify/Finding.")}
    assert set(FINDING_TOPICS) == finding_topics
    assert OCCURRENCE_TOPIC in event_topics()
    assert set(TimelineProjector().handlers()) == finding_topics | {OCCURRENCE_TOPIC}
