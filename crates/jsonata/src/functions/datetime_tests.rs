//! One line per date-time picture component, formatting and parsing. The instant is
//! 2018-03-23T10:33:36.617Z (a Friday); the clock is 2024-01-02T03:04:05.678Z.

use crate::tests_support::run;

const T: &str = "1521801216617";

/// `(picture, timezone, formatted)`.
const FORMAT: &[(&str, &str, &str)] = &[
    ("literal text", "", "literal text"),
    ("[[x]]", "", "[x]"),
    ("[Y]", "", "2018"),
    ("[Y0001]", "", "2018"),
    ("[Y01]", "", "18"),
    ("[Y,2]", "", "18"),
    ("[Y0001,2-2]", "", "18"),
    ("[Y9,999,*]", "", "2,018"),
    ("[YI]", "", "MMXVIII"),
    ("[Yw]", "", "two thousand and eighteen"),
    ("[M]", "", "3"),
    ("[M01]", "", "03"),
    ("[MNn]", "", "March"),
    ("[MN,3-3]", "", "MAR"),
    ("[Mn]", "", "march"),
    ("[MA]", "", "C"),
    ("[D]", "", "23"),
    ("[D1o]", "", "23rd"),
    ("[Dwo]", "", "twenty-third"),
    ("[DWwo]", "", "Twenty-Third"),
    ("[Da]", "", "w"),
    ("[d]", "", "82"),
    ("[F]", "", "friday"),
    ("[F1]", "", "5"),
    ("[FNn,*-3]", "", "Fri"),
    ("[W]", "", "12"),
    ("[w]", "", "4"),
    ("[X]", "", "2018"),
    ("[xNn]", "", "March"),
    ("[H01]", "", "10"),
    ("[h]", "", "10"),
    ("[P]", "", "am"),
    ("[PN]", "", "AM"),
    ("[m01]", "", "33"),
    ("[s01]", "", "36"),
    ("[f001]", "", "617"),
    ("[Z]", "", "+00:00"),
    ("[Z01:01t]", "", "Z"),
    ("[Z]", "-0500", "-05:00"),
    ("[Z0]", "+0530", "+5:30"),
    ("[Z0101]", "+0100", "+0100"),
    ("[z]", "-0500", "GMT-05:00"),
    ("[H01]:[m01]", "+0530", "16:03"),
    ("[C] [E]", "", "ISO ISO"),
    ("[Y]-[M", "", "error D3135"),
    ("[q]", "", "error D3132"),
    ("[YN]", "", "error D3133"),
    ("[Z010101]", "+0100", "error D3134"),
];

#[test]
fn each_component_formats() {
    for (picture, tz, expected) in FORMAT {
        let expr = if tz.is_empty() {
            format!("$fromMillis({T}, '{picture}')")
        } else {
            format!("$fromMillis({T}, '{picture}', '{tz}')")
        };
        let got = run(&expr, None);
        let want = if expected.starts_with("error") {
            expected.to_string()
        } else {
            format!("{expected:?}")
        };
        assert_eq!(got, want, "{expr}");
    }
}

/// `(text, picture, what $fromMillis prints for the instant read)`.
const PARSE: &[(&str, &str, &str)] = &[
    ("2018", "[Y]", "2018-01-01T00:00:00.000Z"),
    ("201803", "[Y0001][M01]", "2018-03-01T00:00:00.000Z"),
    ("20180323", "[Y0001][M01][D01]", "2018-03-23T00:00:00.000Z"),
    ("23rd 3 2018", "[D1o] [M] [Y0001]", "2018-03-23T00:00:00.000Z"),
    ("MMXVIII", "[YI]", "2018-01-01T00:00:00.000Z"),
    ("w C mmxviii", "[Da] [MA] [Yi]", "2018-03-23T00:00:00.000Z"),
    ("23 Mar 2018", "[D] [MNn,3-3] [Y]", "2018-03-23T00:00:00.000Z"),
    (
        "twenty-third March two thousand and eighteen",
        "[Dw] [MNn] [Yw]",
        "2018-03-23T00:00:00.000Z",
    ),
    (
        "Friday 23 March 2018",
        "[FNn] [D] [MNn] [Y]",
        "2018-03-23T00:00:00.000Z",
    ),
    ("2018-082", "[Y]-[d001]", "2018-03-23T00:00:00.000Z"),
    ("10:33 pm", "[h]:[m] [P]", "2024-01-02T22:33:00.000Z"),
    ("12:05 am", "[h]:[m] [P]", "2024-01-02T00:05:00.000Z"),
    ("10:33:36.617", "[H]:[m]:[s].[f]", "2024-01-02T10:33:36.617Z"),
    (
        "2018-03-23 10:00 +05:30",
        "[Y]-[M]-[D] [H]:[m] [Z]",
        "2018-03-23T04:30:00.000Z",
    ),
    (
        "2018-03-23 10:00 GMT-5",
        "[Y]-[M]-[D] [H]:[m] [z01]",
        "2018-03-23T15:00:00.000Z",
    ),
    (
        "2018-03-23 10:00 +0530",
        "[Y]-[M]-[D] [H]:[m] [Z0001]",
        "2018-03-23T04:30:00.000Z",
    ),
];

#[test]
fn each_component_parses() {
    for (text, picture, expected) in PARSE {
        let expr = format!("$fromMillis($toMillis('{text}', '{picture}'))");
        assert_eq!(run(&expr, None), format!("{expected:?}"), "{expr}");
    }
}

/// `(expression, outcome)` for what does not read back as an instant.
const PARSE_ODD: &[(&str, &str)] = &[
    ("$toMillis('Hello', 'Hello')", "undefined"),
    ("$toMillis('nonsense', '[Y]-[M]-[D]')", "undefined"),
    ("$toMillis('2018-22', '[Y]-[D]')", "error D3136"),
    ("$toMillis('2018-32-5', '[X]-[W]-[F1]')", "error D3136"),
    ("$toMillis('2018-05-22', '[Y]-[M]-[q]')", "error D3132"),
    ("$toMillis('18', '[Y,2]')", "-1640995200000"),
    ("$now('[Y0001]-[M01]-[D01]')", r#""2024-01-02""#),
    ("$now('[H01]:[m01]', '-0500')", r#""22:04""#),
    ("$fromMillis(0, (), '+0100')", r#""1970-01-01T01:00:00.000+01:00""#),
];

#[test]
fn odd_cases() {
    for (expr, expected) in PARSE_ODD {
        assert_eq!(run(expr, None), *expected, "{expr}");
    }
}
