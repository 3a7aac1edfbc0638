"""The quality app's models in "Mes données" (see `tisser.core.personal_data`)."""

from tisser.core.personal_data import leave_out

leave_out(
    {
        "quality.AuditExport": (
            "An export for the auditor is the organisme's management record: it holds only "
            "who asked it (a coordinator, set to nothing if that person is erased) and when, "
            "and its archive is deleted after TISSER_EXPORT_KEEP_DAYS; the people named in the "
            "archive find their own paperwork in their bilan's archive."
        ),
    }
)
