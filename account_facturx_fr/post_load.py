# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Process-wide set-up, run by Odoo once the addon is imported (the
manifest's ``post_load``), as OCA queue_job does: never at the import of a
models file."""


def _give_stdnum_its_loader_back():
    """Let factur-x import inside Odoo.

    Odoo 19's ``PatchImportHook`` (odoo/_monkeypatches) replaces the loader of
    ``stdnum`` by a namespace without ``get_resource_reader``, so
    ``importlib.resources`` cannot open stdnum's data files any more and
    ``import facturx`` (which imports ``stdnum.iban``) fails with "Can't open
    orphan path". The wrapped file loader is put back on the module spec.
    """
    try:
        import stdnum
    except ImportError:
        return
    spec = stdnum.__spec__
    loader = getattr(getattr(spec.loader, "create_module", None), "__self__", None)
    if loader is not None and not hasattr(spec.loader, "get_resource_reader"):
        spec.loader = loader


def post_load():
    _give_stdnum_its_loader_back()
