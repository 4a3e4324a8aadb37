"""Walking a Dash component tree in tests."""

from __future__ import annotations


def components(tree):
    """Every Dash component in `tree` (a component, or lists and tuples of them), through `children`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(node)
        elif node is not None and not isinstance(node, str | int | float):
            yield node
            stack.append(getattr(node, "children", None))
