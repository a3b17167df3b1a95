"""The seed data set: ``fixtures/seed.json`` built from the reference facts.

``reference`` reads the facts and the seed article, ``mapping`` holds the editorial decisions
that turn facts into records, ``builder`` applies them and ``fixture`` orders and writes the
records. ``manage.py build_seed`` runs them.
"""
