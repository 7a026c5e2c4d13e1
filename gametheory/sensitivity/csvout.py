"""Vectorised CSV writing: numbers to text without a Python loop over rows.

A sweep of 100,001 points has a few hundred thousand rows; formatting them
one number at a time in Python takes seconds.  Here each column is turned
into a byte matrix (one row per CSV row, one column per character position)
with integer arithmetic over the whole column, together with a mask of the
characters to keep; the masked bytes of all columns, separated by commas and
newlines, are the file.  Floats are written in fixed point with up to 12
decimals and trailing zeros removed (``-2.94``, ``0.333333333333``, ``1``);
columns with values of 10**15 or more fall back to ``%.15g`` per value; NaN
is an empty field.  Text columns (numpy string or object arrays) format
each distinct string once, quoted where needed; a :class:`Categorical`
(codes into a list of labels) skips finding the distinct strings.
"""

from __future__ import annotations

from typing import Any, Sequence

DECIMALS = 12


def _float_bytes(values: Any) -> tuple[Any, Any]:
    """(chars, keep), both (width, rows): position-major, so every write is contiguous."""
    import numpy as np

    v = np.asarray(values, dtype=float)
    rows = len(v)
    neg = v < 0
    a = np.abs(v)
    ip = np.floor(a)
    fp = np.rint((a - ip) * 10.0**DECIMALS).astype(np.int64)
    ip = ip.astype(np.int64)
    carry = fp >= 10**DECIMALS
    if carry.any():
        ip = ip + carry
        fp = np.where(carry, 0, fp)
    int_digits = max(1, len(str(int(ip.max())))) if rows else 1
    width = 1 + int_digits + 1 + DECIMALS
    chars = np.empty((width, rows), dtype=np.uint8)
    keep = np.empty((width, rows), dtype=bool)
    chars[0] = ord("-")
    keep[0] = neg & ((ip != 0) | (fp != 0))
    rest = ip
    for p in range(int_digits, 0, -1):  # units digit first
        digit = rest % 10
        chars[p] = digit + ord("0")
        keep[p] = rest > 0 if p < int_digits else True
        rest = rest // 10
    chars[1 + int_digits] = ord(".")
    keep[1 + int_digits] = fp != 0
    rest = fp
    seen = np.zeros(rows, dtype=bool)
    for q in range(width - 1, 1 + int_digits, -1):  # last decimal first
        digit = rest % 10
        seen |= digit != 0
        chars[q] = digit + ord("0")
        keep[q] = seen
        rest = rest // 10
    used = keep.any(axis=1)  # drop positions no row needs (the sign, trailing decimals)
    if not used.all():
        chars, keep = chars[used], keep[used]
    return chars, keep


def _text_bytes(texts: Sequence[str]) -> tuple[Any, Any]:
    import numpy as np

    width = max((len(t.encode()) for t in texts), default=0)
    rows = len(texts)
    chars = np.zeros((max(width, 1), rows), dtype=np.uint8)
    keep = np.zeros((max(width, 1), rows), dtype=bool)
    for r, t in enumerate(texts):
        b = t.encode()
        chars[: len(b), r] = np.frombuffer(b, dtype=np.uint8)
        keep[: len(b), r] = True
    return chars, keep


def _slow_float_bytes(values: Any) -> tuple[Any, Any]:
    return _text_bytes(["" if v != v else f"{v:.15g}" for v in values.tolist()])


def _quote(text: str) -> str:
    """A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180)."""
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


class Categorical:
    """A text column given as ``labels[codes]``: each label is formatted once (fast for long columns)."""

    def __init__(self, codes: Any, labels: Sequence[str]):
        import numpy as np

        self.codes = np.asarray(codes, dtype=np.int64)
        self.labels = [str(x) for x in labels]

    def __len__(self) -> int:
        return len(self.codes)


def _categorical_bytes(col: Categorical) -> tuple[Any, Any]:
    import numpy as np

    chars, keep = _text_bytes([_quote(u) for u in col.labels] or [""])
    return np.ascontiguousarray(chars[:, col.codes]), np.ascontiguousarray(keep[:, col.codes])


def _strings_bytes(values: Any) -> tuple[Any, Any]:
    """A text column: each distinct string formatted once, then gathered for every row."""
    import numpy as np

    uniq, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return _categorical_bytes(Categorical(codes.ravel(), uniq.tolist()))


def column_bytes(values: Any) -> tuple[Any, Any]:
    """(chars, keep), each (width, rows), of one column.

    Floats (NaN is an empty field), ints, booleans (``true``/``false``) or
    strings (quoted where needed).
    """
    import numpy as np

    if isinstance(values, Categorical):
        return _categorical_bytes(values)
    v = np.asarray(values)
    if v.dtype.kind in "OUS":
        return _strings_bytes(v)
    if v.dtype == bool:
        words = np.array([list(b"false"), list(b"true\0")], dtype=np.uint8)
        chars = np.ascontiguousarray(words[v.astype(int)].T)
        keep = np.ones(chars.shape, dtype=bool)
        keep[4] = ~v
        return chars, keep
    if v.dtype.kind in "iu":
        return _float_bytes(v.astype(float))
    missing = np.isnan(v)
    finite = np.isfinite(v)
    if not (finite | missing).all() or (np.abs(v[finite]) >= 1e15).any():
        return _slow_float_bytes(v)
    if missing.any():
        chars, keep = _float_bytes(np.where(missing, 0.0, v))
        keep[:, missing] = False
        return chars, keep
    return _float_bytes(v)


def csv_bytes(header: Sequence[str], columns: Sequence[Any]) -> bytes:
    """A CSV file (header line, then one line per row) from equally long columns."""
    import csv
    import io

    import numpy as np

    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(list(header))
    rows = len(columns[0]) if columns else 0
    if rows == 0:
        return head.getvalue().encode()
    parts_c, parts_k = [], []
    for k, col in enumerate(columns):
        chars, keep = column_bytes(col)
        parts_c.append(chars)
        parts_k.append(keep)
        parts_c.append(np.full((1, rows), ord("," if k < len(columns) - 1 else "\n"), dtype=np.uint8))
        parts_k.append(np.ones((1, rows), dtype=bool))
    chars = np.concatenate(parts_c).T
    keep = np.concatenate(parts_k).T
    return head.getvalue().encode() + chars[keep].tobytes()


__all__ = ["csv_bytes", "column_bytes", "Categorical"]
