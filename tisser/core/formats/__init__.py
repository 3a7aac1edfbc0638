"""The project's date formats by language (settings.FORMAT_MODULE_PATH), over Django's: only
what differs from them. Dates go through tisser.core.dates.french_date (ADR 0027)."""
