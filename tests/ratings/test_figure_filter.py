"""How a figure reads on a page."""

import pytest

from ratings.templatetags.figures import figure


@pytest.mark.parametrize(("value", "shown"), [
    ("100.00", "100"), ("59.18", "59.18"), ("0.5000", "0.5"), ("0.8625", "0.8625"), ("1E+2", "100"),
    # A computed ratio (a growth rate from two incomes) reads with four decimals at most, half up.
    ("15.584158742575267539031335", "15.5842"), ("0.00004", "0"), ("-0.00004", "0"), ("2.99995", "3"),
    (None, ""), ("", ""), ("abc", "abc"),
])
def test_a_figure_reads_without_exponent_zeros_or_noise_digits(value, shown):
    assert figure(value) == shown
