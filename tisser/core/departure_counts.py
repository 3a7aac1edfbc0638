"""A helper for the departure erasers: add the counts of a `QuerySet.delete()` to a report."""


def add_deleted(counts: dict[str, int], result) -> dict[str, int]:
    for label, count in result[1].items():
        if count:
            counts[label] = counts.get(label, 0) + count
    return counts
