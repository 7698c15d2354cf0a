"""Streaming: constant memory, DB-API cursors, COPY text format (fec.md §7)."""

import gc
import io
import sqlite3
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

import pytest
from ledger_export_tools import fec, fec_check, stream
from ledger_export_tools.canonical import FecLine
from ledger_export_tools.exceptions import InvalidOptionError

D = Decimal
Z = D("0.00")
DAYS = [date(2024, 1, 1) + timedelta(days=i) for i in range(366)]
AMOUNTS = [D(cents) / 100 for cents in range(1, 10_001)]


def journal_items(count):
    """``count`` journal items (two per entry), built lazily."""
    entries = count // 2
    for index in range(entries):
        day = DAYS[index * len(DAYS) // entries]
        amount = AMOUNTS[index % len(AMOUNTS)]
        number = f"INV/2024/{index + 1:06d}"
        yield (
            "VT", "Ventes", number, day, "411000", "Clients", "C0042", "Dupont SA",
            number, day, "Facture", amount, Z, None, None, day, None, None,
        )  # fmt: skip
        yield (
            "VT", "Ventes", number, day, "706000", "Prestations", None, None,
            number, day, "Facture", Z, amount, None, None, day, None, None,
        )  # fmt: skip


def traced_peak(function):
    gc.collect()
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_constant_for_200000_lines(tmp_path):
    path = tmp_path / "732829320FEC20241231.txt"
    with path.open("wb") as out:
        result, peak = traced_peak(lambda: fec.write_fec(out, journal_items(200_000)))
    assert result.lines == 200_000
    assert path.stat().st_size == result.bytes_written > 25_000_000
    # the writer holds one 64 KiB batch and a few cached dates, not the file
    assert peak < 1_000_000, f"peak {peak} bytes"


def test_checker_memory_is_bounded(tmp_path):
    path = tmp_path / "732829320FEC20241231.txt"
    with path.open("wb") as out:
        fec.write_fec(out, journal_items(40_000))
    report, peak = traced_peak(lambda: fec_check.check_fec(path))
    assert report.counts == {} and report.lines == 40_000
    assert report.entries == 20_000
    assert peak < 1_000_000, f"peak {peak} bytes"


def test_batches_are_written_incrementally():
    writes = []

    class Recorder(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            writes.append(len(data))
            return len(data)

    result = fec.write_fec(Recorder(), journal_items(5_000))
    assert len(writes) > 5
    assert max(writes) < 2 * fec.FLUSH_SIZE
    assert sum(writes) == result.bytes_written


def test_writer_as_context_manager():
    out = io.BytesIO()
    with fec.FecWriter(out) as writer:
        for row in journal_items(4):
            writer.write_line(row)
    assert writer.result.lines == 4
    assert out.getvalue().count(b"\r\n") == 5
    assert writer.close() is writer.result  # closing twice is harmless
    with pytest.raises(Exception, match="already written"):
        writer.write_header()


# ----------------------------------------------------------------------
# DB-API cursors
# ----------------------------------------------------------------------


@pytest.fixture
def database():
    connection = sqlite3.connect(":memory:")
    columns = ", ".join(f"c{index} TEXT" for index in range(18))
    connection.execute(f"CREATE TABLE aml (id INTEGER PRIMARY KEY, {columns})")
    rows = [
        tuple(None if value is None else str(value) for value in row)
        for row in journal_items(1_000)
    ]
    connection.executemany(
        f"INSERT INTO aml VALUES (NULL, {', '.join('?' * 18)})", rows
    )
    yield connection
    connection.close()


def test_rows_fetched_in_batches_from_a_cursor(database):
    calls = []

    class Counting:
        def __init__(self, cursor):
            self.cursor = cursor

        def fetchmany(self, size):
            calls.append(size)
            return self.cursor.fetchmany(size)

    cursor = database.execute(
        f"SELECT {', '.join(f'c{i}' for i in range(18))} FROM aml ORDER BY id"
    )
    out = io.BytesIO()
    result = fec.write_fec(out, stream.iter_fetchmany(Counting(cursor), 300))
    assert result.lines == 1_000
    assert calls == [300] * 5  # 4 full batches, 1 partial, 1 empty
    expected = io.BytesIO()
    fec.write_fec(expected, journal_items(1_000))
    assert out.getvalue() == expected.getvalue()


def test_server_side_cursor_is_named_and_closed():
    log = []

    class NamedCursor:
        itersize = None

        def __init__(self, rows):
            self.rows = rows

        def execute(self, query, params):
            log.append(("execute", query, params, self.itersize))

        def fetchmany(self, size):
            batch, self.rows = self.rows[:size], self.rows[size:]
            return batch

        def close(self):
            log.append("close")

    class Connection:
        def cursor(self, name):
            log.append(("cursor", name))
            return NamedCursor(list(journal_items(10)))

    class Cursor:
        connection = Connection()

    rows = stream.iter_server_side(
        Cursor(), "SELECT … WHERE company_id = %s", (1,), batch_size=4
    )
    assert len(list(rows)) == 10
    assert log == [
        ("cursor", "ledger_export"),
        ("execute", "SELECT … WHERE company_id = %s", (1,), 4),
        "close",
    ]


def test_batch_size_must_be_positive():
    with pytest.raises(InvalidOptionError, match="batch size"):
        list(stream.iter_fetchmany(None, 0))


# ----------------------------------------------------------------------
# COPY … TO STDOUT
# ----------------------------------------------------------------------


def copy_text(rows):
    def field(value):
        if value is None:
            return "\\N"
        text = str(value)
        for char, escaped in (
            ("\\", "\\\\"),
            ("\t", "\\t"),
            ("\n", "\\n"),
            ("\r", "\\r"),
        ):
            text = text.replace(char, escaped)
        return text

    return "".join("\t".join(field(v) for v in row) + "\n" for row in rows)


def test_copy_text_format_is_decoded():
    assert stream.parse_copy_line("a\\tb\t\\N\tc\\\\d\te\\nf\t\\101\t\\x41\t") == (
        "a\tb", None, "c\\d", "e\nf", "A", "A", ""
    )  # fmt: skip


def test_copy_sink_handles_any_chunking():
    rows = [("é\tà", "x\\y", None), ("漢字", "line\nbreak", "")]
    data = copy_text(rows).encode()
    received = []
    sink = stream.CopyRowSink(received.append)
    for start in range(0, len(data), 3):  # cuts inside UTF-8 characters
        sink.write(data[start : start + 3])
    assert sink.finish() == 2
    assert received == rows


def test_fec_written_from_copy_equals_fec_written_from_rows():
    items = list(journal_items(2_000))
    items[1] = FecLine(*items[1])._replace(
        label="Prestation\tde | conseil",
        currency_amount=D("-12.5"),
        currency_code="USD",
    )
    data = copy_text(items).encode()
    statements = []

    def copy_expert(sql, file, size=8192):
        statements.append(sql)
        for start in range(0, len(data), size):
            file.write(data[start : start + size])

    sql = "COPY (SELECT … FROM account_move_line) TO STDOUT"
    out = io.BytesIO()
    result = stream.write_fec_from_copy(copy_expert, sql, out)
    expected = io.BytesIO()
    fec.write_fec(expected, items)
    assert statements == [sql]
    assert result.lines == 2_000
    assert out.getvalue() == expected.getvalue()
    assert fec_check.check_fec(out.getvalue()).counts == {}


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM account_move_line",
        "COPY (SELECT 1) TO '/tmp/file'",
        "COPY (SELECT 1) TO STDOUT WITH (FORMAT csv)",
        "COPY (SELECT 1) TO STDOUT BINARY",
    ],
)
def test_copy_statement_must_be_text_to_stdout(sql):
    with pytest.raises(InvalidOptionError):
        stream.copy_rows(lambda sql, file: None, sql, print)


# ----------------------------------------------------------------------
# Checks run while the file is written
# ----------------------------------------------------------------------


def test_checks_run_while_the_file_is_written():
    """The checker reads the very bytes the writer writes, in a thread."""
    year = (date(2024, 1, 1), date(2024, 12, 31))
    plain = io.BytesIO()
    fec.write_fec(plain, journal_items(3000))
    expected = fec_check.check_fec(plain.getvalue(), fiscal_year=year)
    written = io.BytesIO()
    with stream.BackgroundConsumer(
        lambda source: fec_check.check_fec(source, fiscal_year=year), max_chunks=2
    ) as consumer:
        fec.write_fec(stream.TeeFile(written, consumer), journal_items(3000))
    report = consumer.result
    assert written.getvalue() == plain.getvalue()
    assert report.lines == expected.lines == 3000
    assert report.entries == expected.entries
    assert report.total_debit == expected.total_debit
    assert report.counts == expected.counts


def test_consumer_error_is_raised_in_the_writer_thread():
    def failing(source):
        source.read()
        raise ValueError("checker broke")

    consumer = stream.BackgroundConsumer(failing, max_chunks=1).start()
    for _ in range(20):  # never blocks although the reader stopped
        consumer.write(b"x" * 10)
    with pytest.raises(ValueError, match="checker broke"):
        consumer.close()


def test_consumer_stops_with_the_writer_error():
    seen = []
    with pytest.raises(RuntimeError, match="writer broke"):
        with stream.BackgroundConsumer(lambda s: seen.append(s.read())) as consumer:
            consumer.write(b"abc")
            raise RuntimeError("writer broke")
    assert seen == [b"abc"]


def _line_batches(chunks, batch_size):
    handed = []
    sink = stream.CopyLineBatches(
        lambda data, count: handed.append((data, count)), batch_size
    )
    for chunk in chunks:
        sink.write(chunk)
    return sink.finish(), handed


def test_copied_lines_are_handed_over_whole_in_batches():
    """One write per row, as psycopg2's copy_expert does."""
    rows = [f"JRNL|ligne {i}|100,00\n".encode() for i in range(25)]
    total, handed = _line_batches(rows, batch_size=10)
    assert total == 25
    assert [count for _data, count in handed] == [10, 10, 5]
    assert b"".join(data for data, _count in handed) == b"".join(rows)
    assert all(data.endswith(b"\n") for data, _count in handed)


@pytest.mark.parametrize("size", [1, 2, 7, 64])
def test_copied_lines_survive_any_chunking(size):
    """Lines cut anywhere by the transport still come out whole."""
    payload = "".join(f"é|{i}|x\n" for i in range(40)).encode()
    chunks = [payload[i : i + size] for i in range(0, len(payload), size)]
    total, handed = _line_batches(chunks, batch_size=8)
    assert total == 40
    assert b"".join(data for data, _count in handed) == payload
    for data, count in handed:
        assert data.count(b"\n") == count
        data.decode()  # never cut inside a character


def test_a_last_line_without_line_break_is_completed():
    total, handed = _line_batches([b"a\n", b"b"], batch_size=5)
    assert total == 2
    assert b"".join(data for data, _count in handed) == b"a\nb\n"


def test_raw_copy_options_neither_quote_nor_escape():
    options = stream.RAW_LINES_COPY_OPTIONS
    assert "FORMAT csv" in options
    # delimiter and quote are control characters cleaned out of FEC values
    assert "\\x1f" in options and "\\x01" in options
