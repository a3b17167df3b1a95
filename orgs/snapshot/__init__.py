"""Bulk snapshots of the published atlas: built by ``manage.py export_atlas`` (and again on the
first download after a change), served at ``/downloads/``."""
