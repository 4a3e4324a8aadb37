"""The one rounding rule for every figure: half-up, in decimal arithmetic.

Figures are computed in `derived` and rounded there, once, to the precision they are stated at (USD to the
cent, a rate to 0.1 %); the page's number formats (Babel, in `i18n`) round what they shorten ($17.3M, 79 %)
under the same rule. Python's `round`, `Decimal.quantize` and Babel all round half-even by default, so
13,625,051.765 USD would be 13,625,051.76 in one place and .77 in another: here it is .77 everywhere.
"""

from __future__ import annotations

import decimal as _decimal
import math
import numbers
from decimal import ROUND_HALF_UP, Decimal

ROUNDING = ROUND_HALF_UP


def decimal(value) -> Decimal | None:
    """int, float (numpy's too), Decimal or numeric text as a Decimal; None for a missing value.

    A float goes through its shortest repr, so it reads as written in the file: 2.675 is Decimal('2.675'),
    not the binary 2.67499999999999982236431605997495353221893310546875.
    """
    if value is None or (isinstance(value, numbers.Real) and math.isnan(value)):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    if isinstance(value, numbers.Real):
        return Decimal(repr(float(value)))
    return Decimal(str(value).strip())


def exact(value, places: int) -> Decimal | None:
    """`value` as a Decimal rounded half-up to `places` decimals (None for a missing value), so exports
    never show float noise: 7449999.490000001 at 2 places is Decimal('7449999.49')."""
    number = decimal(value)
    return None if number is None else number.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)


def half_up():
    """A decimal context that rounds by the rule: Babel rounds in the current context's mode."""
    return _decimal.localcontext(rounding=ROUNDING)
