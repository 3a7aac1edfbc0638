"""What the quality app holds about a person, for "Mes données" and the erasers."""

from tisser.core.personal_data import leave_out

leave_out(
    {
        "quality.OrganismeDocument": (
            "The organisme's own documents (veilles, règlement intérieur, procedures): the "
            "organisation's work, not about the person; who keeps one up to date and who "
            "uploaded it are emptied when that person is erased."
        ),
    }
)
