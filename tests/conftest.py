"""Repository-level pytest set-up (layer 1, no Odoo).

Each addon keeps its database-free logic in ``<addon>/tools/``, a package of
plain Python. Importing it the normal way would run the addon's
``__init__.py``, which imports the models and therefore Odoo. Here every
``<addon>/tools/`` is loaded by file location as a standalone package named
``<addon>_tools`` (``recurring_billing_tools``, ``dunning_levels_tools`` …),
so tests write ``from recurring_billing_tools import periods``.
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def addon_dirs():
    """Top-level folders holding a ``tools/`` package (the addons)."""
    return sorted(p.parent.parent for p in ROOT.glob("*/tools/__init__.py"))


def load_tools_package(addon_dir):
    """Import ``<addon>/tools`` as the top-level package ``<addon>_tools``."""
    init = addon_dir / "tools" / "__init__.py"
    name = f"{addon_dir.name}_tools"
    if name in sys.modules or not init.is_file():
        return sys.modules.get(name)
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(init.parent)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


for _addon in addon_dirs():
    load_tools_package(_addon)
