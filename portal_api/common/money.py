from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
VAT_RATES = [Decimal("20.00"), Decimal("10.00"), Decimal("5.50"), Decimal("2.10"), Decimal("0.00")]


def round_money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_amount(amount_excl_tax: Decimal, rate: Decimal) -> Decimal:
    return round_money(Decimal(amount_excl_tax) * Decimal(rate) / Decimal(100))
