//! Number formatting for the report's text: thousands separators, scientific notation for
//! astronomically large trees, ratios and milliseconds.

use num_bigint::BigUint;
use num_traits::ToPrimitive;

/// Integers up to this many digits print in full (with separators); larger ones as `1.23e45`.
const MAX_FULL_DIGITS: usize = 15;

/// An exact size with thousands separators, or in scientific notation when very large.
///
/// ```
/// use symdiff_swell::format_count;
/// assert_eq!(format_count(&390_146u32.into()), "390,146");
/// assert_eq!(format_count(&7u32.into()), "7");
/// let huge: num_bigint::BigUint = "123456789012345678901234".parse().unwrap();
/// assert_eq!(format_count(&huge), "1.23e23");
/// ```
pub fn format_count(n: &BigUint) -> String {
    let digits = n.to_string();
    if digits.len() > MAX_FULL_DIGITS {
        let mantissa = format!("{}.{}", &digits[..1], &digits[1..3]);
        return format!("{mantissa}e{}", digits.len() - 1);
    }
    let chars: Vec<char> = digits.chars().collect();
    let groups: Vec<String> = chars
        .rchunks(3)
        .rev()
        .map(|group| group.iter().collect())
        .collect();
    groups.join(",")
}

/// [`format_count`] of a machine integer.
///
/// ```
/// assert_eq!(symdiff_swell::format_usize(1234), "1,234");
/// ```
pub fn format_usize(n: usize) -> String {
    format_count(&BigUint::from(n))
}

/// A ratio with two significant decimals (`1.94×`), or in scientific notation when large.
///
/// ```
/// use symdiff_swell::format_ratio;
/// assert_eq!(format_ratio(1.944), "1.94×");
/// assert_eq!(format_ratio(2_500_000.0), "2.50e6×");
/// ```
pub fn format_ratio(r: f64) -> String {
    if r >= 1e5 {
        let exp = r.log10().floor() as i32;
        format!("{:.2}e{exp}×", r / 10f64.powi(exp))
    } else if r >= 100.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.2}×")
    }
}

/// Milliseconds with a precision that suits the magnitude.
///
/// ```
/// use symdiff_swell::format_ms;
/// assert_eq!(format_ms(0.01234), "0.012");
/// assert_eq!(format_ms(3.456), "3.46");
/// assert_eq!(format_ms(1234.5), "1,235");
/// ```
pub fn format_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format_count(&BigUint::from(ms.round() as u64))
    } else if ms >= 100.0 {
        format!("{ms:.0}")
    } else if ms >= 1.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.3}")
    }
}

/// A big integer as f64 (for ratios and plots).
pub(crate) fn big_f64(n: &BigUint) -> f64 {
    n.to_f64().unwrap_or(f64::INFINITY)
}
