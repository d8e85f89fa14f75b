"""Unit tests: no network, no real sleeping; HTTP is faked with aioresponses."""
