import pytest

from domain.money import format_money


@pytest.mark.parametrize(
    ("minor_units", "currency", "text"),
    [
        (12_550, "USD", "$125.50"),
        (5, "USD", "$0.05"),
        (123_456_789, "USD", "$1,234,567.89"),
        (-2_500, "USD", "-$25.00"),
        (99_900, "CAD", "999.00 CAD"),
    ],
)
def test_amounts_read_as_money(minor_units: int, currency: str, text: str) -> None:
    assert format_money(minor_units, currency) == text
