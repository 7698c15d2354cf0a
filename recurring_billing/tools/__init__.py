"""Plain-Python logic of recurring_billing: no Odoo import (see conventions.md)."""
