"""The bilans' daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.bilans.tasks import (
    bilans_convention_remind,
    bilans_followup_remind,
    bilans_retention_apply,
)
from tisser.core.daily_jobs import register

register(
    bilans_retention_apply,
    queued="Suppression des documents de bilans arrivés à échéance mise en file.",
)
register(bilans_followup_remind, queued="Rappels de suivi des bilans mis en file.")
register(bilans_convention_remind, queued="Rappels des conventions à signer mis en file.")
