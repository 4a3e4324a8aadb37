"""Pure builders: (dataset, selection) -> plain data for figures, texts, tables and downloads.

They never touch Dash callbacks or mutate the dataset, and are cached per (dataset, selection), so a
selection seen once is served from memory.
"""
