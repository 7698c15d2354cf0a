"""Plain-Python logic of account_invoice_fr: no Odoo import (see conventions.md)."""
