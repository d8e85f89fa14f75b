"""Optional integrations, each behind its own extra (``pip install mautic-async[redis]``)."""
