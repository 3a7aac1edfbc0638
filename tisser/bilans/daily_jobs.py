"""The bilans' daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.bilans.tasks import bilans_followup_remind, bilans_retention_apply
from tisser.core.daily_jobs import register

register(
    bilans_retention_apply,
    queued="Destruction des documents des bilans terminés mise en file.",
)
register(bilans_followup_remind, queued="Rappels de suivi des bilans mis en file.")
