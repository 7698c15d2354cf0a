from . import facturx_archive_export
