"""Writes on questionnaires. Import from here: `from tisser.assessments import services`."""

from tisser.assessments.services.inventories import (
    interest_profile_latest,
    interests_record,
    inventory_results_read,
    values_profile_latest,
    values_record,
)
from tisser.assessments.services.isolation import isolation_check_record, isolation_results_read
from tisser.assessments.services.safety import (
    safety_concern_read,
    safety_concern_tell,
    safety_concern_withdraw,
    safety_concerns_expire,
    safety_consultant_of,
)

__all__ = [
    "interest_profile_latest",
    "interests_record",
    "inventory_results_read",
    "isolation_check_record",
    "isolation_results_read",
    "safety_concern_read",
    "safety_concern_tell",
    "safety_concern_withdraw",
    "safety_concerns_expire",
    "safety_consultant_of",
    "values_profile_latest",
    "values_record",
]
