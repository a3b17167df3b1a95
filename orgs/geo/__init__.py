"""World outlines for the atlas's maps: Natural Earth, projected and drawn server-side.

``shapes`` decodes the vendored topology and projects it once per process; ``frames`` chooses
the part of the world a map shows; ``svg`` draws it. Nothing here touches the database.
"""
