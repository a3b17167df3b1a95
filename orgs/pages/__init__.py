"""The public site: thin class-based views over ``orgs.selectors``, one module per page family.

Every page shares ``mixins.AtlasPageMixin`` (``?as_of`` and draft preview) and numbers the
footnotes of the facts it shows with ``footnotes.Footnotes``.
"""
