"""The period and promotion the programme's outcomes are read for: the people whose bilan ended
in the months from `first_month` to `last_month` (both included), of one promotion or all."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Period:
    first_month: date  # the first day of its first month
    last_month: date  # the first day of its last month
    promotion: str | None = None  # a promotion's name; None: every person
    # Every promotion but `promotion`: the rest of the organisation, against which a
    # promotion's figures are checked (`programme.programme_tables`).
    others: bool = False

    def __post_init__(self) -> None:
        if self.first_month.day != 1 or self.last_month.day != 1:
            raise ValueError("a period runs from the first day of a month to that of another")
        if self.last_month < self.first_month:
            raise ValueError("a period ends after it starts")

    @property
    def end(self) -> date:
        """The first day after the period."""
        return self.last_month + relativedelta(months=1)

    def holds(self, month: date) -> bool:
        return self.first_month <= month <= self.last_month

    def takes(self, promotion: str) -> bool:
        """Whether a person of `promotion` ("" for none) is among the period's people."""
        if self.promotion is None:
            return True
        return (promotion != self.promotion) if self.others else (promotion == self.promotion)

    @classmethod
    def last_months(cls, today: date, months: int = 12, promotion: str | None = None) -> "Period":
        """The `months` months up to and including the current one."""
        last = today.replace(day=1)
        return cls(last - relativedelta(months=months - 1), last, promotion)
