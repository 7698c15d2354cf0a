"""Plain-Python logic of consolidated_invoice: no Odoo import (see conventions.md)."""
