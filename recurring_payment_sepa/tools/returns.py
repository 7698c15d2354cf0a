"""SEPA direct debit returns: reason codes, decline kinds, presentations.

Plain Python (no Odoo): the models call these functions, layer-1 tests call
them without a database.

- A SEPA direct debit is presented at most twice (``MAX_PRESENTATIONS``):
  the first debit and one retry.
- A return (R-transaction: reject, return or refund) carries an ISO 20022
  reason code. A hard reason (closed or blocked account, no or revoked
  mandate, deceased debtor...) is never presented again; any other reason
  (insufficient funds AM04, technical reasons) is retried once.
"""

MAX_PRESENTATIONS = 2

HARD = "hard"
SOFT = "soft"

#: ISO 20022 return reason codes (ExternalReturnReason1Code) used by SEPA
#: banks, and whether the debit may be presented again; the labels are in
#: the return wizard (translated)
RETURN_KINDS = {
    "AC01": HARD,  # Incorrect account number
    "AC04": HARD,  # Closed account number
    "AC06": HARD,  # Blocked account
    "AC13": HARD,  # Invalid debtor account type
    "AG01": HARD,  # Transaction forbidden on this account
    "AG02": SOFT,  # Invalid bank operation code
    "AM04": SOFT,  # Insufficient funds
    "AM05": HARD,  # Duplicate collection
    "BE05": HARD,  # Unrecognised initiating party
    "CNOR": SOFT,  # Creditor bank is not registered
    "DNOR": SOFT,  # Debtor bank is not registered
    "FF01": SOFT,  # Invalid file format
    "MD01": HARD,  # No valid mandate
    "MD02": HARD,  # Missing or wrong mandate data
    "MD06": HARD,  # Refund request by the debtor
    "MD07": HARD,  # Debtor deceased
    "MS02": HARD,  # Refused by the debtor
    "MS03": SOFT,  # Reason not specified
    "RC01": HARD,  # Bank identifier incorrect
    "RR01": HARD,  # Missing debtor account or identification
    "RR02": SOFT,  # Missing debtor name or address
    "RR03": SOFT,  # Missing creditor name or address
    "RR04": HARD,  # Regulatory reason
    "SL01": HARD,  # Specific service offered by the debtor bank
}


class ReturnError(ValueError):
    """A return reason code that is not known."""


def return_kind(code):
    """``hard`` or ``soft`` for the return reason ``code`` (case and spaces
    ignored); an unknown code raises :class:`ReturnError`."""
    key = (code or "").strip().upper()
    if key not in RETURN_KINDS:
        raise ReturnError(f"unknown SEPA return reason {code!r}")
    return RETURN_KINDS[key]


def capped_retry_days(retry_days, limit=MAX_PRESENTATIONS):
    """The retry schedule of a direct debit: the company's schedule cut so
    that the debit is presented at most ``limit`` times."""
    if limit < 1:
        raise ReturnError("a debit is presented at least once")
    return tuple(retry_days)[: limit - 1]


def debit_sequence(mandate_type, sequence_type):
    """The SEPA sequence type (FRST, RCUR, FNAL, OOFF) the next debit of a
    mandate is sent with, as OCA's pain.008 writes it."""
    if mandate_type == "oneoff":
        return "OOFF"
    return {"first": "FRST", "recurring": "RCUR", "final": "FNAL"}.get(
        sequence_type, "FRST"
    )
