"""Writes on questionnaires. Import from here: `from tisser.assessments import services`."""

from tisser.assessments.services.inventories import (
    interest_profile_latest,
    interests_record,
    inventory_results_read,
    values_profile_latest,
    values_record,
)
from tisser.assessments.services.isolation import isolation_check_record, isolation_results_read

__all__ = [
    "interest_profile_latest",
    "interests_record",
    "inventory_results_read",
    "isolation_check_record",
    "isolation_results_read",
    "values_profile_latest",
    "values_record",
]
