"""Plain-Python logic of recurring_usage: no Odoo import (see conventions.md)."""
