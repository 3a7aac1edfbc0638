"""Only the members who have joined a peer group (accepted) take part in its meetings, and
its organiser is one of them or nobody (issue 13): the people merely proposed, or who left,
leave the series of existing groups; when that takes the organiser away, the first joined
member who takes part (in the group's order) organises, or nobody does until one joins.

Going back changes nothing: who was proposed then is not known from the series any more,
and putting people merely proposed back into the meetings is what this fixes."""

from django.db import migrations

ORGANISER = "organiser"


def only_joined_members(apps, schema_editor):
    PeerGroup = apps.get_model("peers", "PeerGroup")
    PeerGroupMember = apps.get_model("peers", "PeerGroupMember")
    SeriesParticipant = apps.get_model("meetings", "SeriesParticipant")
    for group in PeerGroup.objects.exclude(series=None).iterator():
        joined = list(
            PeerGroupMember.objects.filter(group=group, status="accepted")
            .order_by("position", "pk")
            .values_list("user_id", flat=True)
        )
        participants = SeriesParticipant.objects.filter(series_id=group.series_id)
        participants.exclude(user_id__in=joined).delete()
        if participants.filter(role=ORGANISER).exists():
            continue
        taking_part = set(participants.values_list("user_id", flat=True))
        successor = next((user for user in joined if user in taking_part), None)
        if successor is not None:
            participants.filter(user_id=successor).update(role=ORGANISER)


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0003_privacy_member_organises_meetings"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(only_joined_members, migrations.RunPython.noop)]
