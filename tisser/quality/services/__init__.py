"""The quality app's services, one module per area: the only writers of its models."""
