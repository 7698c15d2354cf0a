"""Plain-Python logic of ledger_export: no Odoo import (see conventions.md)."""
