"""Stream the canonical extract out of the database with bounded memory.

Never LIMIT/OFFSET (re-sorts on every page) and never the whole result in
memory. Two ways are offered, both without importing a driver:

* a DB-API cursor read with ``fetchmany`` (:func:`iter_fetchmany`); with
  psycopg2 the rows stay on the server when the cursor is a *named*
  (server-side) cursor, which :func:`iter_server_side` opens on the
  connection of the cursor it receives;
* PostgreSQL ``COPY (…) TO STDOUT`` through a ``copy_expert``-like callable
  (``cursor.copy_expert(sql, file)`` in psycopg2): :class:`CopyRowSink` is the
  file it writes to; it decodes the text format line by line and hands each
  row to a callback, e.g. :meth:`.fec.FecWriter.write_line`;
  :class:`CopyLineBatches` receives lines PostgreSQL formatted whole, and
  hands them over in batches of bytes.

:class:`BackgroundConsumer` runs a reader of the bytes being written (the
checks) in a thread, fed through a bounded queue.

Rows are tuples in :class:`~.canonical.FecLine` order; from COPY every value
is text (or ``None``), which the writers accept.
"""

import codecs
import queue
import re
import threading

from .exceptions import InvalidOptionError
from .fec import FecWriter

DEFAULT_BATCH_SIZE = 5000

_COPY_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))", re.DOTALL)
_COPY_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _check_batch_size(batch_size):
    if not isinstance(batch_size, int) or batch_size < 1:
        raise InvalidOptionError(
            f"The batch size is a positive integer, not {batch_size!r}."
        )


def iter_fetchmany(cursor, batch_size=DEFAULT_BATCH_SIZE):
    """Yield the rows of an executed DB-API cursor, ``batch_size`` at a time."""
    _check_batch_size(batch_size)
    while True:
        rows = cursor.fetchmany(batch_size)
        if not rows:
            return
        yield from rows


def iter_server_side(
    cursor, query, params=None, batch_size=DEFAULT_BATCH_SIZE, name="ledger_export"
):
    """Run ``query`` on a psycopg2 server-side cursor and yield its rows.

    The named cursor is opened on ``cursor.connection`` (an Odoo ``env.cr``
    passes the attribute through to its psycopg2 cursor) inside the current
    transaction, fetches ``batch_size`` rows per round trip and is closed at
    the end, also when the consumer stops early. ``query`` and ``params``
    follow the driver's placeholder rules (no string formatting here).
    """
    _check_batch_size(batch_size)
    named = cursor.connection.cursor(name=name)
    try:
        named.itersize = batch_size
        named.execute(query, params)
        yield from iter_fetchmany(named, batch_size)
    finally:
        named.close()


def _unescape(match):
    octal, hexa, char = match.groups()
    if octal:
        return chr(int(octal, 8))
    if hexa:
        return chr(int(hexa, 16))
    return _COPY_SIMPLE.get(char, char)


def parse_copy_line(line):
    """One line of PostgreSQL's COPY text format as a tuple (``\\N`` → ``None``)."""
    return tuple(
        None
        if value == "\\N"
        else (_COPY_ESCAPE.sub(_unescape, value) if "\\" in value else value)
        for value in line.split("\t")
    )


class CopyRowSink:
    """Write-only file object receiving ``COPY … TO STDOUT`` (text format).

    Each complete line is decoded and passed to ``callback(row)``; only the
    last incomplete line is buffered. Call :meth:`finish` once the copy is
    done. ``rows`` counts the rows handed over.
    """

    def __init__(self, callback, encoding="utf-8"):
        self.callback = callback
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.pending = ""
        self.rows = 0

    def writable(self):
        return True

    def write(self, data):  # pylint: disable=method-required-super
        text = self.decoder.decode(bytes(data)) if not isinstance(data, str) else data
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            self._emit(line)
        return len(data)

    def flush(self):
        """Nothing to flush: an incomplete line waits for the rest."""

    def finish(self):
        tail = self.pending + self.decoder.decode(b"", final=True)
        self.pending = ""
        if tail and tail != "\\.":
            self._emit(tail)
        return self.rows

    def _emit(self, line):
        if line == "\\.":  # end-of-data marker of the old protocol
            return
        self.callback(parse_copy_line(line))
        self.rows += 1


def copy_rows(copy_expert, copy_sql, callback, encoding="utf-8"):
    """Run ``copy_sql`` (``COPY (…) TO STDOUT``) and call ``callback`` per row.

    ``copy_expert(sql, file)`` is e.g. a psycopg2 cursor's ``copy_expert``.
    Only the text format is understood. Returns the number of rows.
    """
    statement = copy_sql.strip().lower()
    if not statement.startswith("copy") or not re.search(r"\bto\s+stdout\b", statement):
        raise InvalidOptionError("Expected a 'COPY (…) TO STDOUT' statement.")
    if re.search(r"to\s+stdout\b.*\b(csv|binary)\b", statement, re.DOTALL):
        raise InvalidOptionError("Only the COPY text format is supported.")
    sink = CopyRowSink(callback, encoding)
    copy_expert(copy_sql, sink)
    return sink.finish()


def write_fec_from_copy(
    copy_expert, copy_sql, out, opening=(), options=None, encoding="utf-8"
):
    """Write a FEC file whose journal items come from a ``COPY`` statement.

    ``opening`` (the à-nouveaux) is written first; ``encoding`` is the client
    encoding of the COPY output. Returns the :class:`.fec.FecWriteResult`.
    """
    writer = FecWriter(out, options)
    writer.write_header()
    writer.write_lines(opening)
    copy_rows(copy_expert, copy_sql, writer.write_line, encoding)
    return writer.close()


#: ``COPY … TO STDOUT`` options under which one text column comes out as it
#: is: the CSV format escapes nothing (the text format doubles backslashes and
#: writes tabs as ``\t``), and with these delimiter and quote characters it
#: quotes nothing, as long as the values hold no control character and no line
#: break, as cleaned FEC lines never do.
RAW_LINES_COPY_OPTIONS = "FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x01'"


class CopyLineBatches:
    """Write-only file object receiving ``COPY (SELECT line …) TO STDOUT WITH
    (RAW_LINES_COPY_OPTIONS)``: whole lines are handed to
    ``callback(data, count)`` about ``batch_size`` lines at a time, ``data``
    being the bytes of ``count`` lines, each ended by ``\n``. Call
    :meth:`finish` once the copy is done; it returns the number of lines.
    """

    def __init__(self, callback, batch_size=DEFAULT_BATCH_SIZE):
        _check_batch_size(batch_size)
        self.callback = callback
        self.batch_size = batch_size
        self.parts = []
        self.pending = 0
        self.lines = 0

    def writable(self):
        return True

    def write(self, data):  # pylint: disable=method-required-super
        data = bytes(data)
        self.parts.append(data)
        self.pending += data.count(b"\n")
        if self.pending >= self.batch_size:
            self._hand_over()
        return len(data)

    def flush(self):
        """Nothing to flush: lines go out in batches, the last by :meth:`finish`."""

    def finish(self):
        self._hand_over()
        if self.parts:  # a last line without its line break
            self.parts.append(b"\n")
            self.pending = 1
            self._hand_over()
        return self.lines

    def _hand_over(self):
        data = b"".join(self.parts)
        end = data.rfind(b"\n") + 1
        self.parts = [data[end:]] if end < len(data) else []
        if end:
            count = data.count(b"\n", 0, end)
            self.callback(data[:end], count)
            self.lines += count
        self.pending = 0


class _PipeReader:
    """The reading end of a :class:`BackgroundConsumer`: a binary file object."""

    def __init__(self, chunks):
        self._chunks = chunks
        self._closed = False

    def readable(self):
        return True

    def read(self, size=-1):  # pylint: disable=method-required-super
        """The next chunk written (whatever ``size``), ``b""`` at the end."""
        if self._closed:
            return b""
        data = self._chunks.get()
        if data is None:
            self._closed = True
            return b""
        return data


class BackgroundConsumer:
    """Run ``function(source)`` in a thread while the bytes of ``source`` are
    being written: the checks of a file run while the file is generated.

    ``source`` is a binary file object whose ``read`` returns the chunks given
    to :meth:`write`, in order, then ``b""`` once :meth:`close` is called.
    At most ``max_chunks`` chunks wait in between (the writer blocks), so
    memory stays bounded. Use as a context manager; :attr:`result` holds what
    ``function`` returned, and an exception it raised is raised again by
    ``close``. Writes after the consumer stopped early are dropped.
    """

    def __init__(self, function, max_chunks=8):
        self._queue = queue.Queue(max_chunks)
        self._function = function
        self._error = None
        self.result = None
        self._thread = threading.Thread(
            target=self._run, name="ledger_export_consumer", daemon=True
        )

    def _run(self):
        try:
            self.result = self._function(_PipeReader(self._queue))
        except Exception as exc:
            # raised again by close(), in the writer's thread
            self._error = exc
        finally:
            # unblock a writer waiting on a full queue
            while not self._queue.empty():
                self._queue.get_nowait()

    def start(self):
        self._thread.start()
        return self

    def write(self, data):  # pylint: disable=method-required-super
        data = bytes(data)
        while self._thread.is_alive():
            try:
                self._queue.put(data, timeout=0.5)
                return len(data)
            except queue.Full:
                continue
        return len(data)

    def close(self):
        """Signal the end of the data, wait for ``function`` and return its result."""
        while self._thread.is_alive():
            try:
                self._queue.put(None, timeout=0.5)
                break
            except queue.Full:
                continue
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.result

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, traceback):
        try:
            self.close()
        except Exception:
            if exc_type is None:
                raise


class TeeFile:
    """Binary file object writing every chunk to several file objects."""

    def __init__(self, *targets):
        self.targets = targets

    def write(self, data):  # pylint: disable=method-required-super
        for target in self.targets:
            target.write(data)
        return len(data)
