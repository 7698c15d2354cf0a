"""Translatable message templates of the tools (no Odoo import here).

:func:`_lt` marks a template for translation and returns it unchanged: Odoo
extracts the ``_lt("...")`` calls of every Python file of the addon into its
``.pot``, so the model can translate a template in the reader's language,
then fill in its ``%(name)s`` values. The tools themselves speak English.
"""


def _lt(template):
    """``template`` (a literal with ``%(name)s`` placeholders), unchanged."""
    return template


def render(template, params):
    """``template`` filled with ``params`` (a template without values is
    returned as it is, so that it may hold a literal ``%``)."""
    return template % params if params else template
