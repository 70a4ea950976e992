//! One line per `$formatNumber` picture feature.

use crate::tests_support::run;

/// `(expression, outcome)`.
const CASES: &[(&str, &str)] = &[
    ("$formatNumber(1234.5, '0')", r#""1234""#),
    ("$formatNumber(7, '000')", r#""007""#),
    ("$formatNumber(-7, '000')", r#""-007""#),
    ("$formatNumber(0.5, '#')", r#""0""#),
    ("$formatNumber(1.5, '#')", r#""2""#),
    ("$formatNumber(1234567.891, '#,##0.00')", r#""1,234,567.89""#),
    ("$formatNumber(1234567, '#,##,##0')", r#""12,34,567""#),
    ("$formatNumber(3.14159, '0.0##')", r#""3.142""#),
    ("$formatNumber(3.1, '0.000')", r#""3.100""#),
    ("$formatNumber(0.25, '#0%')", r#""25%""#),
    ("$formatNumber(0.25, '#0‰')", r#""250‰""#),
    ("$formatNumber(1234.5, '0.0e0')", r#""1.2e3""#),
    ("$formatNumber(0.00123, '0.00e00')", r#""1.23e-03""#),
    ("$formatNumber(42, '$#0 USD')", r#""$42 USD""#),
    ("$formatNumber(-42, '#0;(#0)')", r#""(42)""#),
    (
        "$formatNumber(1234.5, '#.##0,00', {'decimal-separator': ',', 'grouping-separator': '.'})",
        r#""1.234,50""#,
    ),
    ("$formatNumber(12, '٠٠٠', {'zero-digit': '٠'})", r#""٠١٢""#),
    ("$formatNumber(-3, '0', {'minus-sign': '−'})", r#""−3""#),
    ("$formatNumber(nothing, '0')", "undefined"),
    ("$formatNumber(1, '0;0;0')", "error D3080"),
    ("$formatNumber(1, '0.0.0')", "error D3081"),
    ("$formatNumber(1, 'x')", "error D3085"),
    ("$formatNumber(1, '0,')", "error D3088"),
];

#[test]
fn each_picture_feature_formats() {
    for (expr, expected) in CASES {
        assert_eq!(run(expr, None), *expected, "{expr}");
    }
}
