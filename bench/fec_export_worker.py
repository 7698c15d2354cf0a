"""One step of the FEC bench, run inside an Odoo shell.

Usage (normally through bench/fec_export.py):
    BENCH_N=1000000 BENCH_STEP=setup|ours|anchor \
        odoo-bin shell -c CONFIG -d DATABASE < this file

setup: a French company's 2025 ledger of N journal items (N/5 balanced
entries of 5 lines: a receivable debit over 200 customers, four revenue
credits), plus a 2024 entry carried forward, inserted with SQL from one
ORM-built template entry (every stored column copied, amounts scaled, the
receivable residuals kept), then committed.
ours: ledger_export's FEC generation (extract, file, checks, attachment).
ours_file: the same file alone, without the checks and the attachment.
anchor: Odoo 19's l10n_fr_account FEC generator (``generate_fec``, its
stream consumed into a file), on the same data.
Prints one JSON line: seconds, peak RSS of this process, RSS before the run.
"""

import json
import os
import resource
import tempfile
import time

from odoo.fields import Command

LINES_PER_ENTRY = 5
CUSTOMERS = 200


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def peak_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cr.fetchall()]


COMPANY = "Facturo Bench SAS"


def bench_env(env):
    """The environment of the bench company (created on first call)."""
    company = env["res.company"].search([("name", "=", COMPANY)], limit=1)
    if not company:
        company = env["res.company"].create(
            {
                "name": COMPANY,
                "country_id": env.ref("base.fr").id,
                "company_registry": "732829320",
                "vat": "FR44732829320",
            }
        )
        env.user.company_ids |= company
        env["account.chart.template"].try_loading("fr", company, install_demo=False)
    return env(context=dict(env.context, allowed_company_ids=company.ids))


def setup(env, n):
    env = bench_env(env)
    company = env.company
    partners = env["res.partner"].create(
        [{"name": f"Client {i}", "ref": f"C{i:04d}"} for i in range(CUSTOMERS)]
    )
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "general")], limit=1
    )
    Account = env["account.account"]
    receivable = Account.search(
        [("company_ids", "in", company.ids), ("account_type", "=", "asset_receivable")],
        limit=1,
    )
    revenue = Account.search(
        [("company_ids", "in", company.ids), ("account_type", "=", "income")], limit=1
    )
    template = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": journal.id,
            "date": "2024-12-31",
            "ref": "Bench template",
            "line_ids": [
                Command.create(
                    {
                        "account_id": receivable.id,
                        "partner_id": partners[0].id,
                        "name": "Subscription",
                        "debit": 100.0,
                    }
                ),
                *[
                    Command.create(
                        {
                            "account_id": revenue.id,
                            "name": f"Service {k}",
                            "credit": amount,
                        }
                    )
                    for k, amount in enumerate((40.0, 30.0, 20.0, 10.0))
                ],
            ],
        }
    )
    template.action_post()
    env.flush_all()
    cr = env.cr
    entries = n // LINES_PER_ENTRY
    move_columns = columns(cr, "account_move")
    overrides = {
        "name": "'BENCH/2025/' || lpad(g::text, 7, '0')",
        "date": "DATE '2025-01-01' + ((g - 1) * 365 / %(entries)s)::int",
        "ref": "'Facture ' || g",
        "sequence_prefix": "'BENCH/2025/'",
        "sequence_number": "g",
        "partner_id": "NULL",
        "inalterable_hash": "NULL",
    }
    for name in move_columns:
        if name.startswith("amount_") and name not in overrides:
            overrides[name] = f"t.{name} * (1 + g %% 97)"
    select = ", ".join(overrides.get(c, f"t.{c}") for c in move_columns)
    cr.execute(
        f"INSERT INTO account_move ({', '.join(move_columns)}) "
        f"SELECT {select} FROM account_move t, generate_series(1, %(entries)s) g "
        "WHERE t.id = %(template)s ORDER BY g",
        {"entries": entries, "template": template.id},
    )
    line_columns = columns(cr, "account_move_line")
    scaled = "t.{0} * (1 + m.sequence_number %% 97)"
    line_overrides = {
        "move_id": "m.id",
        "move_name": "m.name",
        "date": "m.date",
        "ref": "m.ref",
        "partner_id": (
            "CASE WHEN t.partner_id IS NULL THEN NULL "
            "ELSE (%(partners)s)[1 + m.sequence_number %% %(customers)s] END"
        ),
        "full_reconcile_id": "NULL",
        "matching_number": "NULL",
    }
    for name in (
        "debit",
        "credit",
        "balance",
        "amount_currency",
        "amount_residual",
        "amount_residual_currency",
    ):
        line_overrides[name] = scaled.format(name)
    select = ", ".join(line_overrides.get(c, f"t.{c}") for c in line_columns)
    cr.execute(
        f"INSERT INTO account_move_line ({', '.join(line_columns)}) "
        f"SELECT {select} FROM account_move m "
        "JOIN account_move_line t ON t.move_id = %(template)s "
        "WHERE m.name LIKE 'BENCH/2025/%%' ORDER BY m.id, t.id",
        {
            "template": template.id,
            "partners": partners.ids,
            "customers": CUSTOMERS,
        },
    )
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    cr.execute(
        "SELECT COUNT(*), SUM(debit) - SUM(credit) FROM account_move_line "
        "WHERE date >= '2025-01-01' AND date <= '2025-12-31'"
    )
    count, difference = cr.fetchone()
    env.cr.commit()
    return {"step": "setup", "lines": count, "unbalanced": float(difference)}


def timed(model, names, spent):
    """Wrap methods of ``model``'s class to add their run time to ``spent``."""
    cls = type(model)
    for name in names:
        method = getattr(cls, name)

        def wrapper(self, *args, _method=method, _name=name, **kwargs):
            start = time.monotonic()
            try:
                return _method(self, *args, **kwargs)
            finally:
                spent[_name] = round(spent.get(_name, 0) + time.monotonic() - start, 2)

        setattr(cls, name, wrapper)


def run_ours(env):
    env = bench_env(env)
    spent = {}
    timed(env["ledger.export"], ["_write_file", "_store_file"], spent)
    export = env["ledger.export"].create(
        {"date_from": "2025-01-01", "date_to": "2025-12-31", "official": True}
    )
    before = rss_mb()
    start = time.monotonic()
    export._generate()
    seconds = time.monotonic() - start
    row = {
        "engine": "ledger_export",
        "lines": export.line_count,
        "seconds": round(seconds, 1),
        "peak_rss_mb": peak_mb(),
        "rss_before_mb": before,
        "check_state": export.check_state,
        "check_errors": export.check_error_count,
        "check_warnings": export.check_warning_count,
        "bytes": export.file_size,
        "check_summary": (export.check_report or "").split("\n\n")[0],
        "file_and_checks_s": spent.get("_write_file"),
        "attachment_s": spent.get("_store_file"),
        "first_finding": (export.check_report or "").split("\n\n")[-1][:300],
    }
    env.cr.rollback()
    return row


def run_ours_file(env):
    """The file alone, as ``ledger.export.fec._write`` writes it, no checks."""
    from odoo.addons.ledger_export.tools import fec, text

    env = bench_env(env)
    export = env["ledger.export"].create(
        {"date_from": "2025-01-01", "date_to": "2025-12-31", "official": True}
    )
    extract = env["ledger.export.extract"]
    before = rss_mb()
    start = time.monotonic()
    lines = 0
    with tempfile.TemporaryFile() as out:
        writer = fec.FecWriter(out)
        writer.write_header()
        writer.write_lines(extract._opening_lines(export))
        lines = writer.close().lines
        transcoder = text.Transcoder("iso8859-15")

        def write_lines(data, _count):
            out.write(transcoder.encode(data.decode().replace("\n", "\r\n")))

        lines += extract._copy_fec_lines(export, "|", write_lines)
        size = out.tell()
    seconds = time.monotonic() - start
    env.cr.rollback()
    return {
        "engine": "ledger_export (file only)",
        "lines": lines,
        "seconds": round(seconds, 1),
        "peak_rss_mb": peak_mb(),
        "rss_before_mb": before,
        "bytes": size,
    }


def run_anchor(env):
    env = bench_env(env)
    wizard = env["l10n_fr.fec.export.wizard"].create(
        {
            "date_from": "2025-01-01",
            "date_to": "2025-12-31",
            "export_type": "official",
            "test_file": True,
        }
    )
    # its stream reads on a cursor of its own, as after the wizard's request
    env.cr.commit()
    before = rss_mb()
    start = time.monotonic()
    result = wizard.generate_fec()
    size = lines = 0
    with tempfile.TemporaryFile() as handle:
        for chunk in result["file_content"]:
            handle.write(chunk)
            size += len(chunk)
            lines += 1
    seconds = time.monotonic() - start
    env.cr.rollback()
    return {
        "engine": "l10n_fr_account",
        "lines": lines - 1,
        "seconds": round(seconds, 1),
        "peak_rss_mb": peak_mb(),
        "rss_before_mb": before,
        "bytes": size,
    }


def main(env):
    step = os.environ["BENCH_STEP"]
    if step == "setup":
        row = setup(env, int(os.environ["BENCH_N"]))
    elif step == "ours":
        row = run_ours(env)
    elif step == "ours_file":
        row = run_ours_file(env)
    else:
        row = run_anchor(env)
    print(json.dumps(row), flush=True)


main(env)  # noqa: F821 - `env` is given by odoo-bin shell
