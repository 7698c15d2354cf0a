"""Run in an ``odoo-bin shell`` of the upgraded database (today's addons).

Compares it with what bin/upgrade/populate_old.py recorded before the upgrade
(``UPGRADE_BEFORE``), issues one more invoice, and prints one JSON line: what
was checked and the problems found (read by bin/upgrade_check.py).
"""

import json
import os

BEFORE = json.loads(os.environ["UPGRADE_BEFORE"])


class Checks:
    def __init__(self):
        self.checked, self.problems = [], []

    def expect(self, what, ok, detail=""):
        if ok:
            self.checked.append(what)
        else:
            self.problems.append(f"{what}: {detail}" if detail else what)


def owners(env, name):
    env.cr.execute("SELECT module FROM ir_model_data WHERE name = %s", [name])
    return sorted(module for (module,) in env.cr.fetchall())


def check_modules(env, checks):
    states = dict(
        env["ir.module.module"]
        .search([("name", "in", ["account_invoice_fr", "account_facturx_fr"])])
        .mapped(lambda module: (module.name, module.state))
    )
    checks.expect(
        "account_invoice_fr and account_facturx_fr were installed by the upgrade",
        states
        == {"account_invoice_fr": "installed", "account_facturx_fr": "installed"},
        str(states),
    )


def check_archive(env, checks):
    archive = env["facturx.archive"].sudo().search([], order="id")
    now = {
        entry.id: {
            "id": entry.id,
            "move_id": entry.move_id.id,
            "sequence": entry.sequence,
            "entry_hash": entry.entry_hash,
            "pdf_sha256": entry.pdf_sha256,
            "xml_sha256": entry.xml_sha256,
        }
        for entry in archive
    }
    before = BEFORE["archive"]
    checks.expect(
        f"the {len(before)} archive entries are there, unchanged",
        bool(before) and all(now.get(entry["id"]) == entry for entry in before),
        f"before {before}, after {list(now.values())}",
    )
    integrity = archive._check_integrity()
    checks.expect(
        "every archive chain is intact (facturx.archive._check_integrity())",
        integrity and not any(result["break"] for result in integrity),
        str([result["message"] for result in integrity]),
    )
    checks.expect(
        "the chains hold the same entries",
        sorted([r["chain"], r["entries"], False] for r in integrity)
        == sorted(BEFORE["chains"]),
        f"{BEFORE['chains']} -> {[(r['chain'], r['entries']) for r in integrity]}",
    )
    for entry in archive:
        check_pdf = entry.pdf_sha256 and entry.pdf_file
        if not check_pdf:
            checks.expect("every archived PDF is stored", False, entry.number)
            break


def check_settings(env, checks):
    company = env["res.company"].browse(BEFORE["company_id"])
    now = {
        "late_payment_rate_type": company.late_payment_rate_type,
        "late_payment_rate": company.late_payment_rate,
        "late_payment_indemnity": company.late_payment_indemnity,
        "early_payment_discount_terms": company.early_payment_discount_terms,
        "vat_on_debits": company.vat_on_debits,
        "facturx_enabled": company.facturx_enabled,
    }
    checks.expect(
        "the late-payment settings, VAT on debits and Factur-X option kept "
        "their values",
        now == BEFORE["settings"],
        f"{BEFORE['settings']} -> {now}",
    )
    rates = [
        [str(r.date_start), r.ecb_rate, r.legal_rate, r.source or ""]
        for r in env["dunning.rate"].search([], order="date_start")
    ]
    checks.expect(
        f"the {len(BEFORE['rates'])} rate rows kept their values, none duplicated",
        rates == BEFORE["rates"],
        f"{BEFORE['rates']} -> {rates}",
    )
    for name in ("dunning_rate_2025_h2", "dunning_rate_2026_h1"):
        checks.expect(
            f"{name} belongs to account_invoice_fr",
            owners(env, name) == ["account_invoice_fr"],
            str(owners(env, name)),
        )


def check_references(env, checks):
    for before in BEFORE["moves"]:
        move = env["account.move"].browse(before["id"])
        lines = [
            [line.id, str(line.service_start_date), str(line.service_end_date)]
            for line in move.invoice_line_ids
            if line.service_start_date
        ]
        checks.expect(
            f"{before['name']}: buyer reference, purchase order and service "
            "periods kept",
            move.buyer_reference == (before["buyer_reference"] or False)
            and move.purchase_order_reference
            == (before["purchase_order_reference"] or False)
            and lines == before["lines"],
            f"{before} -> {move.buyer_reference}, {move.purchase_order_reference}, "
            f"{lines}",
        )
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name IN "
        "('account_move', 'res_company') AND column_name IN "
        "('purchase_order_ref', 'facturx_vat_on_debits')"
    )
    checks.expect("the renamed columns are gone", not env.cr.fetchall(), "still there")


def check_owners(env, checks):
    moved = [
        "dunning_rate_2025_h2",
        "dunning_rate_2026_h1",
        "dunning_rate_view_list",
        "dunning_rate_action",
        "report_invoice_document",
        *(
            f"field_{model}__{field}"
            for model in ("res_company", "res_config_settings")
            for field in (
                "late_payment_rate_type",
                "late_payment_rate",
                "late_payment_indemnity",
                "early_payment_discount_terms",
                "vat_on_debits",
                "facturx_vat_on_debits",
            )
        ),
        *(
            f"field_account_move__{field}"
            for field in (
                "buyer_reference",
                "purchase_order_ref",
                "purchase_order_reference",
                "service_start_date",
                "service_end_date",
            )
        ),
        "field_account_move_line__service_start_date",
        "field_account_move_line__service_end_date",
    ]
    env.cr.execute(
        "SELECT module || '.' || name FROM ir_model_data "
        "WHERE module IN ('consolidated_invoice', 'dunning_levels', "
        "'recurring_billing') AND (name = ANY(%s) OR name LIKE %s)",
        [moved, "%facturx%"],
    )
    left = [name for (name,) in env.cr.fetchall()]
    checks.expect("no moved record is left to its old addon", not left, str(left))
    for name, owner in (
        ("model_dunning_rate", "account_invoice_fr"),
        ("model_facturx_archive", "account_facturx_fr"),
    ):
        checks.expect(
            f"{owner} owns {name} (its table is dropped only with it)",
            owner in owners(env, name),
            str(owners(env, name)),
        )
    cron = env.ref("account_facturx_fr.ir_cron_facturx_archive_integrity")
    count = (
        env["ir.cron"]
        .with_context(active_test=False)
        .search_count([("code", "=", "model._cron_check_integrity()")])
    )
    checks.expect(
        "the archive's integrity cron is the same record, once",
        cron.id == BEFORE["cron_id"] and count == 1,
        f"{BEFORE['cron_id']} -> {cron.id}, {count} cron(s)",
    )


def check_dunning_run(env, checks):
    """dunning_levels 19.0.2.1.0 renames the run state preview to previewed."""
    run_id, state = BEFORE["dunning_run"]
    run = env["dunning.run"].browse(run_id)
    values = env["ir.model.fields"]._get("dunning.run", "state").selection_ids
    checks.expect(
        "a dunning run left previewed is previewed, the value renamed",
        state == "preview"
        and run.state == "previewed"
        and values.mapped("value")
        == ["draft", "previewed", "running", "done", "partly_failed", "failed"],
        f"{state} -> {run.state}, values {values.mapped('value')}",
    )


def check_new_invoice(env, checks):
    """Factur-X still issues after the upgrade, on the same chain."""
    params = env["ir.config_parameter"].sudo()
    params.set_param("report.url", os.environ["UPGRADE_REPORT_URL"])
    # one invoice per wkhtmltopdf call (Debian's wkhtmltopdf cannot do more)
    params.set_param("account.pdf_generation_batch", "0")
    first = env["account.move"].browse(BEFORE["moves"][0]["id"])
    invoice = first.copy({"invoice_date": "2026-04-28"})
    invoice.invoice_line_ids.tax_ids = first.invoice_line_ids.tax_ids
    invoice.action_post()
    # the server that serves wkhtmltopdf its assets must see the data (the
    # database is dropped after the check)
    env.cr.commit()
    env["account.move.send"].with_context(
        force_report_rendering=True
    )._generate_and_send_invoices(invoice, sending_methods=["manual"])
    entry = invoice.sudo().facturx_archive_ids
    integrity = env["facturx.archive"].sudo()._check_integrity()
    previous = max(
        (e for e in BEFORE["archive"] if e["move_id"] != entry.move_id.id),
        key=lambda e: e["sequence"],
    )
    checks.expect(
        "a new invoice is issued as Factur-X and chained after the old entries",
        len(entry) == 1
        and entry.previous_hash in {e["entry_hash"] for e in BEFORE["archive"]}
        and not any(result["break"] for result in integrity),
        f"entry {entry.read(['sequence', 'previous_hash'])}, last {previous}",
    )


def main(env):
    checks = Checks()
    check_modules(env, checks)
    check_archive(env, checks)
    check_settings(env, checks)
    check_references(env, checks)
    check_owners(env, checks)
    check_dunning_run(env, checks)
    check_new_invoice(env, checks)
    print(json.dumps({"checked": checks.checked, "problems": checks.problems}))


main(env)  # noqa: F821 - the Odoo shell provides env
