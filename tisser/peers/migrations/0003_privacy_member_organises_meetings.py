"""The meetings of existing peer groups pass from the coordinator who published them to the
group's first current member, and the coordinator leaves them (issue 13): what members write
for their meetings stays between them.

Reversible: going back gives the meetings to the coordinator who created them (the series'
`created_by`, who organised them before) and makes the member a participant again."""

from django.db import migrations

ORGANISER, PARTICIPANT = "organiser", "participant"
CURRENT = ("proposed", "accepted")


def to_a_member(apps, schema_editor):
    PeerGroup = apps.get_model("peers", "PeerGroup")
    PeerGroupMember = apps.get_model("peers", "PeerGroupMember")
    SeriesParticipant = apps.get_model("meetings", "SeriesParticipant")
    for group in PeerGroup.objects.exclude(series=None).iterator():
        members = list(
            PeerGroupMember.objects.filter(group=group, status__in=CURRENT)
            .order_by("position", "pk")
            .values_list("user_id", flat=True)
        )
        participants = SeriesParticipant.objects.filter(series_id=group.series_id)
        taking_part = set(participants.values_list("user_id", flat=True))
        successor = next((user for user in members if user in taking_part), None)
        outsiders = participants.exclude(user_id__in=members)
        if not outsiders.filter(role=ORGANISER).exists():
            continue
        if successor is not None:
            participants.filter(user_id=successor).update(role=ORGANISER)
        # The coordination leaves the meetings even when no member remains to organise them.
        outsiders.delete()


def to_the_coordinator(apps, schema_editor):
    PeerGroup = apps.get_model("peers", "PeerGroup")
    SeriesParticipant = apps.get_model("meetings", "SeriesParticipant")
    for group in PeerGroup.objects.exclude(series=None).select_related("series").iterator():
        creator = group.series.created_by_id
        participants = SeriesParticipant.objects.filter(series_id=group.series_id)
        if participants.filter(user_id=creator).exists():
            continue
        participants.filter(role=ORGANISER).update(role=PARTICIPANT)
        SeriesParticipant.objects.create(
            series_id=group.series_id, user_id=creator, role=ORGANISER
        )


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0002_formation_running"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_a_member, to_the_coordinator)]
