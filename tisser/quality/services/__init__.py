"""The quality app's services, one module per area: the only code that writes."""
