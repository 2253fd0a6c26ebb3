"""Tests of the public pages (no sign-in)."""
