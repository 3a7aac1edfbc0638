"""The bilans' daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.bilans.isolation_retention import isolation_checks_retention_apply_task
from tisser.bilans.tasks import (
    bilans_convention_remind,
    bilans_cpf_remind,
    bilans_followup_remind,
    bilans_retention_apply,
)
from tisser.core.daily_jobs import register

register(
    bilans_retention_apply,
    queued="Destruction des documents des bilans terminés mise en file.",
)
register(bilans_followup_remind, queued="Rappels de suivi des bilans mis en file.")
register(bilans_cpf_remind, queued="Rappels des déclarations CPF mis en file.")
register(bilans_convention_remind, queued="Rappels des conventions à signer mis en file.")

# Isolation checks taken outside any bilan (ADR 0019), kept in their own module.
register(
    isolation_checks_retention_apply_task,
    queued="Suppression des points sur l'isolement hors bilan arrivés à échéance mise en file.",
)
