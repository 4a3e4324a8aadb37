"""Addresses and header names of our own that more than one module builds or matches (the server's routes, the links the views
write, the caching rules, the offline worker's configuration): each defined here once.

A module of constants, importing nothing, so any layer can use it without an import running back up
(`files` serves the downloads but imports the views, which write their links).
"""

# Where the downloads are served: `<DOWNLOADS><view id>.csv?<selection>` and `<DOWNLOADS><WORKBOOK>?<selection>`.
DOWNLOADS = "/download/"
WORKBOOK = "workbook.xlsx"

# The header that names the data version of every answer (the server sets it, the offline worker reads it).
DATA_VERSION_HEADER = "X-Data-Version"
