# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The canonical extract of the ledger: one row per journal item, in the FEC
column order (``tools/canonical.py``), read with a server-side cursor."""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.query import Query

from ..tools import canonical, stream
from ..tools.exceptions import LedgerExportError

THIRD_PARTY_TYPES = ("asset_receivable", "liability_payable")
# tools/text.py clean_text in PostgreSQL: a value holding a separator, a
# control character or blanks at an end is cleaned, the others kept as they
# are. BLANK is what Python's str.isspace() accepts (PostgreSQL's \s is ASCII).
BLANK = (
    r"[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000]"
)
UNSAFE = r"[\u0001-\u001f\u007f-\u009f|\u2028\u2029]"
UNSAFE_VALUE = f"{UNSAFE}|^{BLANK}|{BLANK}$"
UNSAFE_RUN = f"{BLANK}*(?:{UNSAFE}{BLANK}*)+"
OUTER_BLANKS = f"^{BLANK}+|{BLANK}+$"
FETCH_SIZE = 10000
# formats whose exported entries remember their export batch
MARKED_FORMATS = ("csv", "quadra")


class LedgerExportExtract(models.AbstractModel):
    _name = "ledger.export.extract"
    _description = "Ledger Export: canonical extract"

    # ------------------------------------------------------------------
    # Selection
    # ------------------------------------------------------------------

    @api.model
    def _base_domain(self, export):
        """Journal items of ``export``, whatever their date (hook)."""
        company = export.company_id
        domain = Domain(
            [
                ("company_id", "in", company._accessible_branches().ids),
                ("balance", "!=", 0.0),
                (
                    "parent_state",
                    "in",
                    ["posted"] if export.official else ["posted", "draft"],
                ),
            ]
        )
        if export.excluded_journal_ids:
            domain &= Domain("journal_id", "not in", export.excluded_journal_ids.ids)
        if export.only_not_exported and export.export_format in MARKED_FORMATS:
            domain &= Domain("move_id.ledger_export_id", "=", False)
        return domain

    @api.model
    def _period_domain(self, export):
        return self._base_domain(export) & Domain(
            [("date", ">=", export.date_from), ("date", "<=", export.date_to)]
        )

    @api.model
    def _period_query(self, export):
        """The ``Query`` of the journal items of the period (access rules apply)."""
        MoveLine = self.env["account.move.line"].with_company(export.company_id)
        query = MoveLine._search(self._period_domain(export))
        query.order = None
        return query

    @api.model
    def _count_lines(self, export):
        self.env.flush_all()
        self.env.cr.execute(self._period_query(export).select(SQL("COUNT(*)")))
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Journal items of the period
    # ------------------------------------------------------------------

    @api.model
    def _lines_sql(self, export):
        """SELECT of the period's journal items, in FEC order: the company's
        opening move first, then by date, entry number and line."""
        company = export.company_id
        query = self._period_query(export)
        line = "account_move_line"
        move = query.left_join(line, "move_id", "account_move", "id", "move_id")
        journal = query.left_join(
            line, "journal_id", "account_journal", "id", "journal_id"
        )
        account = query.left_join(
            line, "account_id", "account_account", "id", "account_id"
        )
        partner = query.left_join(line, "partner_id", "res_partner", "id", "partner_id")
        currency = query.left_join(
            line, "currency_id", "res_currency", "id", "currency_id"
        )
        matching = query.left_join(
            line,
            "full_reconcile_id",
            "account_full_reconcile",
            "id",
            "full_reconcile_id",
        )
        Journal = self.env["account.journal"].with_company(company)
        Account = self.env["account.account"].with_company(company)
        m, j, a, p, c, r = (
            SQL.identifier(alias)
            for alias in (move, journal, account, partner, currency, matching)
        )
        third_party = SQL(
            "%s.account_type IN %s AND %s.partner_id IS NOT NULL",
            a,
            THIRD_PARTY_TYPES,
            SQL.identifier(line),
        )
        foreign = SQL(
            "%(l)s.currency_id IS DISTINCT FROM %(l)s.company_currency_id",
            l=SQL.identifier(line),
        )
        columns = SQL(
            """
            %(j)s.code,
            %(journal_name)s,
            COALESCE(NULLIF(%(m)s.name, '/'), %(draft)s || %(m)s.id::text),
            %(m)s.date,
            %(account_code)s,
            %(account_name)s,
            CASE WHEN %(third)s
                THEN COALESCE(NULLIF(%(p)s.ref, ''), %(p)s.id::text) END,
            CASE WHEN %(third)s THEN %(p)s.name END,
            %(m)s.ref,
            COALESCE(%(m)s.invoice_date, %(m)s.date),
            %(l)s.name,
            %(l)s.debit,
            %(l)s.credit,
            %(l)s.full_reconcile_id::text,
            %(r)s.create_date::date,
            %(m)s.date,
            CASE WHEN %(foreign)s THEN %(l)s.amount_currency END,
            CASE WHEN %(foreign)s THEN %(c)s.name END
            """,
            j=j,
            m=m,
            p=p,
            c=c,
            r=r,
            l=SQL.identifier(line),
            journal_name=Journal._field_to_sql(journal, "name", query),
            account_code=Account._field_to_sql(account, "code", query),
            account_name=Account._field_to_sql(account, "name", query),
            third=third_party,
            foreign=foreign,
            draft=self.env._("DRAFT") + "/",
        )
        query.order = self._order_sql(export, m, SQL.identifier(line))
        return query.select(columns)

    @api.model
    def _iter_lines(self, export, batch_size=stream.DEFAULT_BATCH_SIZE):
        """Yield the period's rows from a server-side cursor: memory stays
        bounded by ``batch_size`` whatever the number of journal items."""
        self.env.flush_all()
        sql = self._lines_sql(export)
        yield from stream.iter_server_side(
            self.env.cr,
            sql.code,
            sql.params,
            batch_size=batch_size,
            name=f"ledger_export_{export.id}",
        )

    # ------------------------------------------------------------------
    # FEC lines formatted by PostgreSQL
    # ------------------------------------------------------------------

    @api.model
    def _clean_sql(self, value):
        """``clean_text(value)`` of tools/text.py as SQL (``''`` for NULL)."""
        return SQL(
            "CASE WHEN %(v)s ~ %(unsafe)s THEN regexp_replace(regexp_replace("
            "%(v)s, %(run)s, ' ', 'g'), %(blanks)s, '', 'g') "
            "ELSE COALESCE(%(v)s, '') END",
            v=value,
            unsafe=UNSAFE_VALUE,
            run=UNSAFE_RUN,
            blanks=OUTER_BLANKS,
        )

    @api.model
    def _amount_sql(self, value):
        """``fec.format_amount(value)`` (width 18, comma decimal) as SQL."""
        return SQL(
            "CASE WHEN %(v)s < 0 THEN '-' || replace(to_char(-%(v)s, "
            "'FM00000000000000.00'), '.', ',') ELSE replace(to_char(%(v)s, "
            "'FM000000000000000.00'), '.', ',') END",
            v=value,
        )

    @api.model
    def _fec_lines_sql(self, export, separator):
        """SELECT of the period's FEC lines, each one text already formatted
        and cleaned as ``fec.FecWriter`` writes it (tests compare both), in
        the order of :meth:`_lines_sql`. Journals, accounts, partners,
        currencies and entries are cleaned once each, in CTEs PostgreSQL
        inlines (NOT MATERIALIZED) so that it can run the query in parallel
        workers."""
        company = export.company_id
        query = self._period_query(export)
        line = "account_move_line"
        item = SQL.identifier(line)
        move = query.left_join(line, "move_id", "account_move", "id", "move_id")
        m = SQL.identifier(move)
        joins = {}
        for column, cte in (
            ("move_id", "le_move"),
            ("journal_id", "le_journal"),
            ("account_id", "le_account"),
            ("partner_id", "le_partner"),
            ("currency_id", "le_currency"),
            ("full_reconcile_id", "account_full_reconcile"),
        ):
            joins[cte] = SQL.identifier(
                query.left_join(line, column, cte, "id", f"le_{column}")
            )
        Journal = self.env["account.journal"].with_company(company)
        Account = self.env["account.account"].with_company(company)
        journal_query = Query(self.env, "account_journal")
        account_query = Query(self.env, "account_account")
        ctes = SQL(
            """
            WITH le_journal AS NOT MATERIALIZED (
                SELECT id, %(journal_code)s AS code, %(journal_name)s AS name
                FROM account_journal
            ), le_account AS NOT MATERIALIZED (
                SELECT id, %(account_code)s AS code, %(account_name)s AS name,
                       account_type IN %(third)s AS third
                FROM account_account
            ), le_partner AS NOT MATERIALIZED (
                SELECT id, %(partner_aux)s AS aux, %(partner_name)s AS name
                FROM res_partner
            ), le_currency AS NOT MATERIALIZED (
                SELECT id, %(currency_name)s AS name FROM res_currency
            ), le_move AS NOT MATERIALIZED (
                SELECT id, %(number)s AS number,
                       to_char(date, 'YYYYMMDD') AS entry_date,
                       COALESCE(NULLIF(%(ref)s, ''), '-') AS ref,
                       to_char(COALESCE(invoice_date, date), 'YYYYMMDD') AS doc_date
                FROM account_move
                WHERE company_id IN %(companies)s
                  AND date BETWEEN %(date_from)s AND %(date_to)s
            )
            """,
            journal_code=self._clean_sql(SQL("code")),
            journal_name=self._clean_sql(
                Journal._field_to_sql("account_journal", "name", journal_query)
            ),
            account_code=self._clean_sql(
                Account._field_to_sql("account_account", "code", account_query)
            ),
            account_name=self._clean_sql(
                Account._field_to_sql("account_account", "name", account_query)
            ),
            third=THIRD_PARTY_TYPES,
            partner_aux=self._clean_sql(SQL("COALESCE(NULLIF(ref, ''), id::text)")),
            partner_name=self._clean_sql(SQL("name")),
            currency_name=self._clean_sql(SQL("name")),
            # an entry's own columns, formatted once for all its lines
            number=self._clean_sql(
                SQL(
                    "COALESCE(NULLIF(name, '/'), %(draft)s || id::text)",
                    draft=self.env._("DRAFT") + "/",
                )
            ),
            ref=self._clean_sql(SQL("ref")),
            companies=tuple(company._accessible_branches().ids),
            date_from=export.date_from,
            date_to=export.date_to,
        )
        e, j, a, p, c, r = (
            joins[name]
            for name in (
                "le_move",
                "le_journal",
                "le_account",
                "le_partner",
                "le_currency",
                "account_full_reconcile",
            )
        )
        third = SQL("%s.third AND %s.partner_id IS NOT NULL", a, item)
        foreign = SQL(
            "%(l)s.currency_id IS DISTINCT FROM %(l)s.company_currency_id", l=item
        )
        columns = SQL(
            """concat_ws(%(sep)s,
                %(j)s.code, %(j)s.name, %(e)s.number, %(e)s.entry_date,
                %(a)s.code, %(a)s.name,
                CASE WHEN %(third)s THEN %(p)s.aux ELSE '' END,
                CASE WHEN %(third)s THEN COALESCE(%(p)s.name, '') ELSE '' END,
                %(e)s.ref, %(e)s.doc_date,
                COALESCE(NULLIF(%(label)s, ''), '/'),
                %(debit)s, %(credit)s,
                COALESCE(%(l)s.full_reconcile_id::text, ''),
                COALESCE(to_char(%(r)s.create_date, 'YYYYMMDD'), ''),
                %(e)s.entry_date,
                CASE WHEN %(foreign)s THEN %(currency_amount)s ELSE '' END,
                CASE WHEN %(foreign)s THEN %(c)s.name ELSE '' END
            )""",
            sep=separator,
            e=e,
            j=j,
            a=a,
            p=p,
            c=c,
            r=r,
            l=item,
            third=third,
            label=self._clean_sql(SQL("%s.name", item)),
            debit=self._amount_sql(SQL("%s.debit", item)),
            credit=self._amount_sql(SQL("%s.credit", item)),
            currency_amount=self._amount_sql(SQL("%s.amount_currency", item)),
            foreign=foreign,
        )
        query.order = self._order_sql(export, m, item)
        return SQL("%s %s", ctes, query.select(columns))

    @api.model
    def _order_sql(self, export, move, line):
        return SQL(
            "CASE WHEN %(m)s.id = %(opening)s THEN 0 ELSE 1 END, "
            "%(m)s.date, %(m)s.name, %(m)s.id, %(l)s.id",
            m=move,
            l=line,
            opening=export.company_id.account_opening_move_id.id or 0,
        )

    @api.model
    def _copy_fec_lines(self, export, separator, consume, batch_size=FETCH_SIZE):
        """Stream the period's FEC lines out of PostgreSQL with ``COPY … TO
        STDOUT``: ``consume(data, count)`` receives ``count`` whole lines at a
        time, as UTF-8 bytes each ended by ``\\n``. Unlike a cursor, a COPY
        lets PostgreSQL format and sort the lines in parallel workers.
        Returns the number of lines."""
        self.env.flush_all()
        sql = self._fec_lines_sql(export, separator)
        query = self.env.cr.mogrify(sql.code, sql.params).decode()
        sink = stream.CopyLineBatches(consume, batch_size)
        self.env.cr.copy_expert(
            f"COPY ({query}) TO STDOUT WITH ({stream.RAW_LINES_COPY_OPTIONS})", sink
        )
        return sink.finish()

    @api.model
    def _moves_subquery(self, export):
        """SQL of the ids of the entries the period's rows belong to."""
        return self._period_query(export).subselect(
            SQL.identifier("account_move_line", "move_id")
        )

    # ------------------------------------------------------------------
    # Opening entry (à-nouveaux)
    # ------------------------------------------------------------------

    @api.model
    def _opening_balances(self, export):
        """Balances carried forward at ``date_from``: one per balance-sheet
        account, receivables and payables one per partner."""
        company = export.company_id
        MoveLine = self.env["account.move.line"].with_company(company)
        query = MoveLine._search(
            self._base_domain(export)
            & Domain(
                [
                    ("date", "<", export.date_from),
                    ("account_id.include_initial_balance", "=", True),
                ]
            )
        )
        query.order = None
        line = "account_move_line"
        account = query.left_join(
            line, "account_id", "account_account", "id", "account_id"
        )
        partner = query.left_join(line, "partner_id", "res_partner", "id", "partner_id")
        a, p = SQL.identifier(account), SQL.identifier(partner)
        Account = self.env["account.account"].with_company(company)
        third_party = SQL(
            "%s.account_type IN %s AND %s.partner_id IS NOT NULL",
            a,
            THIRD_PARTY_TYPES,
            SQL.identifier(line),
        )
        select = query.select(
            SQL(
                """
                MIN(%(code)s) AS code,
                MIN(%(name)s) AS name,
                SUM(%(l)s.balance) AS balance,
                MIN(CASE WHEN %(third)s
                    THEN COALESCE(NULLIF(%(p)s.ref, ''), %(p)s.id::text) END) AS aux,
                MIN(CASE WHEN %(third)s THEN %(p)s.name END) AS aux_label
                """,
                code=Account._field_to_sql(account, "code", query),
                name=Account._field_to_sql(account, "name", query),
                l=SQL.identifier(line),
                third=third_party,
                p=p,
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "%s GROUP BY %s.id, CASE WHEN %s THEN %s.id END ORDER BY 1, 4",
                select,
                a,
                third_party,
                p,
            )
        )
        return [
            canonical.OpeningBalance(code, label, balance, aux, aux_label)
            for code, label, balance, aux, aux_label in self.env.cr.fetchall()
        ]

    @api.model
    def _result_account(self, company, profit=True):
        """``(code, label)`` of the account receiving the undistributed result:
        the current year earnings account when its code is a PCG one, else
        the PCG account 120 (profit) or 129 (loss), else the current year
        earnings account whatever its code (Odoo creates it as 999999)."""
        Account = self.env["account.account"].with_company(company)
        # a list for accounts (check_companies_domain_parent_of)
        domain = Domain(Account._check_company_domain(company))
        unaffected = Account.search(
            domain & Domain("account_type", "=", "equity_unaffected"), order="code"
        )
        pcg = unaffected.filtered(lambda account: account.code[:1] in "1234567")
        if not pcg:
            prefixes = ("120", "129") if profit else ("129", "120")
            for prefix in prefixes:
                pcg = Account.search(
                    domain
                    & Domain(
                        [
                            ("account_type", "in", ("equity", "equity_unaffected")),
                            ("code", "=like", f"{prefix}%"),
                        ]
                    ),
                    order="code",
                    limit=1,
                )
                if pcg:
                    break
        account = (pcg or unaffected)[:1]
        return (account.code, account.name) if account else None

    @api.model
    def _opening_lines(self, export):
        """The opening entry of ``export`` as canonical rows (a list)."""
        balances = self._opening_balances(export)
        try:
            return list(
                canonical.opening_lines(
                    balances,
                    export.date_from,
                    result_account=self._result_account(
                        export.company_id,
                        profit=sum(balance.balance for balance in balances) >= 0,
                    ),
                )
            )
        except LedgerExportError as exc:
            raise UserError(
                self.env._(
                    "The opening entry of %(company)s cannot be built: %(error)s "
                    "Create an account of type 'Current Year Earnings'.",
                    company=export.company_id.display_name,
                    error=str(exc),
                )
            ) from exc
