"""Plain-Python logic of dunning_levels: no Odoo import (see conventions.md)."""
