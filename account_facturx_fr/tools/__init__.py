"""Plain-Python logic of account_facturx_fr: no Odoo import (see conventions.md)."""
