"""Writes on questionnaires. Import from here: `from tisser.assessments import services`."""

from tisser.assessments.services.isolation import isolation_check_record, isolation_results_read

__all__ = ["isolation_check_record", "isolation_results_read"]
