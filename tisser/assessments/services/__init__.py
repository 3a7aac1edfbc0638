"""Writes on questionnaires. Import from here: `from tisser.assessments import services`."""

from tisser.assessments.services.inventories import interest_profile_latest
from tisser.assessments.services.isolation import isolation_check_record, isolation_results_read

__all__ = ["interest_profile_latest", "isolation_check_record", "isolation_results_read"]
