//! Date and time: `$now`, `$millis`, `$fromMillis` and `$toMillis`, with XPath F&O 3.1
//! date-time picture strings (`[Y0001]-[M01]-[D01]`, `[FNn,*-3]`, `[D1o]`, `[Z01:01t]`…) as
//! jsonata-js implements them.
//!
//! The clock is the evaluation's ([`super::super::Bindings::now_millis`]), fixed for the whole
//! evaluation as in jsonata-js. Without a picture, timestamps are ISO 8601 in UTC. A picture is
//! literal text and `[…]` markers: a component letter, presentation modifiers (an integer
//! picture as `$formatInteger` takes, or `N`/`n`/`Nn` for names), and an optional width
//! `,min-max`. Parsing builds one regular expression from the picture, reads each component
//! back, then fills the gaps: components more significant than any given come from the clock,
//! less significant ones default to zero (or 1 for months and days), and a hole between given
//! components is an error (`D3136`). jsonata-js's quirks are kept on purpose (a component read
//! as zero does not count as given when choosing between date forms; a two-digit year reads as
//! 19xx, as `Date.UTC` does). One deviation: an unknown component letter is always `D3132`,
//! where jsonata-js prints `undefined` if the marker has a presentation modifier.

use super::format::{words_to_number, Case, Grouping, IntPicture, Primary};
use super::{arg, num_arg, str_arg, Args};
use crate::error::JsonataError;
use crate::runtime::{err, Call, Evaluator, R};
use crate::value::Val;
use aslkit_base::calendar::{civil_from_days, days_from_civil};
use aslkit_base::Span;

const MS_PER_DAY: i64 = 86_400_000;

/// ISO 8601 (the forms jsonata-js accepts without a picture) → milliseconds.
fn parse_iso(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let t = s.get(from..from + len)?;
        t.bytes().all(|c| c.is_ascii_digit()).then(|| t.parse().ok())?
    };
    let year = num(0, 4)?;
    let mut pos = 4;
    let (mut month, mut day) = (1, 1);
    if b.get(pos) == Some(&b'-') {
        month = num(pos + 1, 2)?;
        pos += 3;
        if b.get(pos) == Some(&b'-') {
            day = num(pos + 1, 2)?;
            pos += 3;
        }
    }
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    if b.get(pos) == Some(&b'T') {
        let h = num(pos + 1, 2)?;
        let mi = num(pos + 4, 2)?;
        let sec = num(pos + 7, 2)?;
        ms += ((h * 60 + mi) * 60 + sec) * 1000;
        pos += 9;
        if b.get(pos) == Some(&b'.') {
            let digits: String = s[pos + 1..].chars().take_while(char::is_ascii_digit).collect();
            let frac: f64 = format!("0.{digits}").parse().ok()?;
            ms += (frac * 1000.0).floor() as i64;
            pos += 1 + digits.len();
        }
    }
    match s.get(pos..)? {
        "" | "Z" => {}
        tz => {
            let sign = match tz.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = tz[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 4 {
                return None;
            }
            let h: i64 = digits[..2].parse().ok()?;
            let m: i64 = digits[2..].parse().ok()?;
            ms -= sign * (h * 60 + m) * 60_000;
        }
    }
    Some(ms as f64)
}

/// The picture used when none is given: ISO 8601, `Z` for UTC.
const ISO_PICTURE: &str = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

const DAYS: [&str; 8] = [
    "",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// One piece of an analysed date-time picture.
#[derive(Debug)]
enum Part {
    Literal(String),
    Marker(Marker),
}

/// A variable marker `[…]`.
#[derive(Debug)]
struct Marker {
    component: char,
    /// The second presentation modifier (`o`, `t`, `c`, `a`), if any.
    modifier: Option<char>,
    /// The maximum width, for names (truncated) and years (digits kept).
    max_width: Option<usize>,
    /// Names instead of numbers (months, days, am/pm), in this case.
    names: Option<Case>,
    /// The integer picture of a numeric component or of a time zone.
    integer: Option<IntPicture>,
    /// How many low digits of the year to show (`[Y01]` → 2).
    year_digits: Option<usize>,
    /// How many digits to read when parsing, if fixed.
    parse_width: Option<usize>,
}

/// The default presentation of each component (jsonata-js's `defaultPresentationModifiers`).
fn default_presentation(component: char) -> Option<&'static str> {
    Some(match component {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

/// JavaScript's `parseInt(s)` in base 10: leading blanks, a sign, then as many digits as there
/// are; `NaN` without any.
fn js_parse_int(s: &str) -> f64 {
    let s = s.trim_start();
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'-') => (-1.0, &s[1..]),
        Some(b'+') => (1.0, &s[1..]),
        _ => (1.0, s),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<f64>().map_or(f64::NAN, |v| sign * v)
}

/// jsonata-js's `analyseDateTimePicture`.
fn analyse(picture: &str, span: Span) -> Result<Vec<Part>, JsonataError> {
    let chars: Vec<char> = picture.chars().collect();
    let mut parts = Vec::new();
    let literal = |parts: &mut Vec<Part>, from: usize, to: usize| {
        if to > from {
            let text: String = chars[from..to].iter().collect();
            parts.push(Part::Literal(text.replace("]]", "]")));
        }
    };
    let (mut start, mut pos) = (0, 0);
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                literal(&mut parts, start, pos);
                parts.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            literal(&mut parts, start, pos);
            start = pos;
            let Some(close) = chars[start..].iter().position(|c| *c == ']') else {
                return Err(err(
                    "D3135",
                    span,
                    "a date-time picture opens a marker with [ but never closes it",
                ));
            };
            pos = start + close;
            let text: String = chars[start + 1..pos].iter().filter(|c| !c.is_whitespace()).collect();
            let m = marker(&text, span)?;
            // Two numbers with nothing between them (`[Y0001][M01]`): the first must be read
            // with exactly its mandatory digits, or it would swallow the second.
            if m.integer.is_some() && m.component != 'Z' && m.component != 'z' {
                if let Some(Part::Marker(prev)) = parts.last_mut() {
                    prev.parse_width = prev.integer.as_ref().and_then(IntPicture::mandatory);
                }
            }
            parts.push(Part::Marker(m));
            start = pos + 1;
        }
        pos += 1;
    }
    literal(&mut parts, start, pos);
    Ok(parts)
}

fn marker(text: &str, span: Span) -> Result<Marker, JsonataError> {
    let mut chars = text.chars();
    let unknown = |c: &str| {
        err(
            "D3132",
            span,
            format!("unknown component {c:?} in a date-time picture: use one of YMDdFWwXxHhPmsfZzCE"),
        )
    };
    let Some(component) = chars.next() else {
        return Err(unknown(""));
    };
    if default_presentation(component).is_none() {
        return Err(unknown(&component.to_string()));
    }
    let rest = chars.as_str();
    let (presentation, width) = match rest.rfind(',') {
        Some(comma) => (&rest[..comma], Some(&rest[comma + 1..])),
        None => (rest, None),
    };
    let parse_width = |w: &str| -> Option<usize> {
        let v = js_parse_int(w);
        (w != "*" && v.is_finite() && v >= 0.0).then_some(v as usize)
    };
    let (min_width, max_width) = match width {
        None => (None, None),
        Some(w) => match w.find('-') {
            Some(dash) => (parse_width(&w[..dash]), parse_width(&w[dash + 1..])),
            None => (parse_width(w), None),
        },
    };
    let mut modifier = None;
    let primary: String = match presentation.chars().count() {
        0 => default_presentation(component).unwrap_or("1").to_string(),
        1 => presentation.to_string(),
        _ => {
            let last = presentation.chars().last().unwrap_or(' ');
            if "atco".contains(last) {
                modifier = Some(last);
                presentation[..presentation.len() - last.len_utf8()].to_string()
            } else {
                presentation.to_string()
            }
        }
    };
    let mut m = Marker {
        component,
        modifier,
        max_width,
        names: None,
        integer: None,
        year_digits: None,
        parse_width: None,
    };
    let mut first = primary.chars();
    match (first.next(), first.next()) {
        (Some('n'), _) => m.names = Some(Case::Lower),
        (Some('N'), Some('n')) => m.names = Some(Case::Title),
        (Some('N'), _) => m.names = Some(Case::Upper),
        _ if "YMDdFWwXxHhmsf".contains(component) => {
            let pattern = match modifier {
                Some(o) => format!("{primary};{o}"),
                None => primary.clone(),
            };
            let mut integer = IntPicture::analyse(&pattern, span)?;
            if let Some(min) = min_width {
                integer.widen(min);
            }
            if component == 'Y' {
                if let Some(max) = max_width {
                    m.year_digits = Some(max);
                    integer.set_mandatory(max);
                } else if let Primary::Decimal {
                    mandatory, optional, ..
                } = integer.primary
                {
                    m.year_digits = (mandatory + optional >= 2).then_some(mandatory + optional);
                }
            }
            m.integer = Some(integer);
        }
        _ => {}
    }
    if component == 'Z' || component == 'z' {
        m.integer = Some(IntPicture::analyse(&primary, span)?);
    }
    Ok(m)
}

/// Day of the week of a day number, 0 for Sunday (`Date#getUTCDay`).
fn weekday(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

/// `(year, month0)` with the month brought into 0..12.
fn year_month(year: i64, month0: i64) -> (i64, i64) {
    (year + month0.div_euclid(12), month0.rem_euclid(12))
}

/// The Monday that starts week 1 of a year or month: the week holding its first Thursday.
fn start_of_first_week(year: i64, month0: i64) -> i64 {
    let (y, m) = year_month(year, month0);
    let first = days_from_civil(y, m + 1, 1);
    let dow = match weekday(first) {
        0 => 7,
        d => d,
    };
    if dow > 4 {
        first + 8 - dow
    } else {
        first - (dow - 1)
    }
}

fn delta_weeks(start: i64, end: i64) -> f64 {
    (end - start) as f64 / 7.0 + 1.0
}

/// The value of one numeric component at `days` (since the epoch) and `ms` into that day
/// (jsonata-js's `getDateTimeFragment`); `P` is 0 for am, 1 for pm.
fn fragment(days: i64, ms: i64, component: char) -> f64 {
    let (y, mo, d) = civil_from_days(days);
    let v = match component {
        'Y' => y,
        'M' => mo,
        'D' => d,
        'd' => days - days_from_civil(y, 1, 1) + 1,
        'F' => match weekday(days) {
            0 => 7,
            w => w,
        },
        'W' => {
            let mut week = delta_weeks(start_of_first_week(y, 0), days);
            if week > 52.0 {
                if days >= start_of_first_week(y + 1, 0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(y - 1, 0), days);
            }
            week.floor() as i64
        }
        'w' => {
            let mut week = delta_weeks(start_of_first_week(y, mo - 1), days);
            if week > 4.0 {
                if days >= start_of_first_week(y, mo) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(y, mo - 2), days);
            }
            week.floor() as i64
        }
        'X' => {
            if days < start_of_first_week(y, 0) {
                y - 1
            } else if days >= start_of_first_week(y + 1, 0) {
                y + 1
            } else {
                y
            }
        }
        'x' => {
            if days < start_of_first_week(y, mo - 1) {
                year_month(y, mo - 2).1 + 1
            } else if days >= start_of_first_week(y, mo) {
                year_month(y, mo).1 + 1
            } else {
                mo
            }
        }
        'H' => ms / 3_600_000,
        'h' => match ms / 3_600_000 % 12 {
            0 => 12,
            h => h,
        },
        'P' => i64::from(ms >= 12 * 3_600_000),
        'm' => ms / 60_000 % 60,
        's' => ms / 1000 % 60,
        'f' => ms % 1000,
        _ => 0,
    };
    v as f64
}

fn cased(s: &str, case: Case) -> String {
    match case {
        Case::Upper => s.to_uppercase(),
        Case::Lower => s.to_lowercase(),
        Case::Title => {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect())
                .unwrap_or_default()
        }
    }
}

/// jsonata-js's `formatComponent`.
fn format_marker(m: &Marker, days: i64, ms: i64, offset: (i64, i64), span: Span) -> Result<String, JsonataError> {
    let no_names = || {
        err(
            "D3133",
            span,
            format!("the component {:?} has no names: use a number picture", m.component),
        )
    };
    match m.component {
        'Z' | 'z' => format_zone(m, offset, span),
        'C' | 'E' => Ok("ISO".into()),
        'P' => {
            let v = if fragment(days, ms, 'P') > 0.0 { "pm" } else { "am" };
            Ok(m.names.map_or_else(|| v.to_string(), |case| cased(v, case)))
        }
        c => {
            let mut v = fragment(days, ms, c);
            if let (Some(n), 'Y') = (m.year_digits, c) {
                v %= 10f64.powi(n as i32);
            }
            if let Some(case) = m.names {
                let name = match c {
                    'M' | 'x' => MONTHS.get((v as usize).wrapping_sub(1)),
                    'F' => DAYS.get(v as usize),
                    _ => None,
                }
                .ok_or_else(no_names)?;
                let mut name = cased(name, case);
                if let Some(max) = m.max_width {
                    name = name.chars().take(max).collect();
                }
                return Ok(name);
            }
            match &m.integer {
                Some(pic) => pic.format(v, span),
                None => Err(no_names()),
            }
        }
    }
}

fn format_zone(m: &Marker, (hours, minutes): (i64, i64), span: Span) -> Result<String, JsonataError> {
    let offset = hours * 100 + minutes;
    let Some(pic) = &m.integer else {
        return Err(err("D3134", span, "the time zone picture has no digits"));
    };
    let mut s = match &pic.primary {
        Primary::Decimal {
            grouping: Grouping::Regular(..),
            ..
        } => pic.format(offset as f64, span)?,
        _ => match pic.mandatory() {
            Some(1 | 2) => {
                let mut s = pic.format(hours as f64, span)?;
                if minutes != 0 {
                    let sign = if minutes < 0 { "-" } else { "" };
                    s.push_str(&format!(":{sign}{:02}", minutes.abs()));
                }
                s
            }
            Some(3 | 4) => pic.format(offset as f64, span)?,
            n => {
                return Err(err(
                    "D3134",
                    span,
                    format!(
                        "a time zone picture has 1 to 4 digits, not {}",
                        n.map_or("none".to_string(), |n| n.to_string())
                    ),
                ))
            }
        },
    };
    if offset >= 0 {
        s.insert(0, '+');
    }
    if m.component == 'z' {
        s.insert_str(0, "GMT");
    }
    if offset == 0 && m.modifier == Some('t') {
        s = "Z".into();
    }
    Ok(s)
}

/// The latest instant JavaScript's `Date` can hold, in milliseconds either side of the epoch.
const MAX_MILLIS: f64 = 8.64e15;

/// jsonata-js's `formatDateTime`: `None` for an instant `Date` cannot hold.
fn format_date_time(
    millis: f64,
    picture: Option<&str>,
    timezone: Option<&str>,
    span: Span,
) -> Result<Option<String>, JsonataError> {
    // jsonata-js reads the zone as one integer `±hhmm` and splits it with floor and remainder.
    let offset = timezone.map(js_parse_int).filter(|v| v.is_finite()).unwrap_or(0.0) as i64;
    let (hours, minutes) = (offset.div_euclid(100), offset % 100);
    let parts = analyse(picture.unwrap_or(ISO_PICTURE), span)?;
    let t = (millis + ((60 * hours + minutes) * 60_000) as f64).trunc();
    if !t.is_finite() || t.abs() > MAX_MILLIS {
        return Ok(None);
    }
    let t = t as i64;
    let (days, ms) = (t.div_euclid(MS_PER_DAY), t.rem_euclid(MS_PER_DAY));
    let mut out = String::new();
    for part in &parts {
        match part {
            Part::Literal(s) => out.push_str(s),
            Part::Marker(m) => out.push_str(&format_marker(m, days, ms, (hours, minutes), span)?),
        }
    }
    Ok(Some(out))
}

/// How one capture group of a parsing regex is read.
enum Reader {
    Ignore,
    Integer(IntPicture),
    Names(Vec<(String, f64)>),
    Zone { gmt: bool, separator: Option<char> },
}

/// The regular expression for an integer picture (jsonata-js's `generateRegex`).
fn integer_regex(pic: &IntPicture, digits: Option<usize>, span: Span) -> Result<String, JsonataError> {
    Ok(match &pic.primary {
        Primary::Letters(Case::Upper) => "[A-Z]+".into(),
        Primary::Letters(_) => "[a-z]+".into(),
        Primary::Roman(Case::Upper) => "[MDCLXVI]+".into(),
        Primary::Roman(_) => "[mdclxvi]+".into(),
        Primary::Words(_) => format!("(?:{}|and|[\\-, ])+", word_alternatives().join("|")),
        Primary::Decimal { .. } => {
            let mut r = match digits {
                Some(n) if n > 0 => format!("[0-9]{{{n}}}"),
                _ => "[0-9]+".into(),
            };
            if pic.ordinal {
                r.push_str("(?:th|st|nd|rd)");
            }
            r
        }
        Primary::Sequence(token) => {
            return Err(err(
                "D3130",
                span,
                format!("parsing an integer as {token:?} is not supported"),
            ))
        }
    })
}

/// Every number word jsonata-js's parser knows, in its order (which decides between
/// alternatives such as `six` and `sixteen`).
fn word_alternatives() -> Vec<String> {
    const FEW: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const ORDINALS: [&str; 20] = [
        "zeroth",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    const DECADES: [&str; 9] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    ];
    let mut out: Vec<String> = FEW.iter().chain(ORDINALS.iter()).map(|s| s.to_string()).collect();
    for d in DECADES {
        out.push(d.to_string());
        out.push(format!("{}ieth", &d[..d.len() - 1]));
    }
    out.push("hundredth".into());
    for m in ["thousand", "million", "billion", "trillion"] {
        out.push(m.to_string());
        out.push(format!("{m}th"));
    }
    out
}

impl Reader {
    fn read(&self, text: &str, span: Span) -> Result<Option<f64>, JsonataError> {
        Ok(match self {
            Reader::Ignore => None,
            Reader::Integer(pic) => {
                let text = if pic.ordinal && matches!(pic.primary, Primary::Decimal { .. }) {
                    text.get(..text.len().saturating_sub(2)).unwrap_or("")
                } else {
                    text
                };
                Some(match pic.primary {
                    Primary::Words(_) => words_to_number(text),
                    // `parseInt`: no digits read as `NaN`.
                    Primary::Decimal { .. } => match text.chars().any(|c| c.is_ascii_digit()) {
                        true => pic.parse(text, span)?,
                        false => f64::NAN,
                    },
                    _ => pic.parse(text, span)?,
                })
            }
            // The names are matched as written, even though the regex ignores case.
            Reader::Names(names) => names.iter().find(|(n, _)| n == text).map(|(_, v)| *v),
            Reader::Zone { gmt, separator } => {
                let v = if *gmt { text.get(3..).unwrap_or("") } else { text };
                let (h, m) = match separator.and_then(|s| v.find(s).map(|i| (s, i))) {
                    Some((s, i)) => (js_parse_int(&v[..i]), js_parse_int(&v[i + s.len_utf8()..])),
                    None if v.len() <= 3 => (js_parse_int(v), 0.0),
                    None => (js_parse_int(&v[..3]), js_parse_int(&v[3..])),
                };
                Some(h * 60.0 + m)
            }
        })
    }
}

/// The regex and reader of one picture part.
fn part_reader(part: &Part, span: Span) -> Result<(String, char, Reader), JsonataError> {
    let m = match part {
        Part::Literal(s) => return Ok((regex::escape(s), ' ', Reader::Ignore)),
        Part::Marker(m) => m,
    };
    if m.component == 'Z' || m.component == 'z' {
        let separator = match m.integer.as_ref().map(|p| &p.primary) {
            Some(Primary::Decimal {
                grouping: Grouping::Regular(c, _),
                ..
            }) => Some(*c),
            _ => None,
        };
        let mut r = String::from(if m.component == 'z' { "GMT" } else { "" });
        r.push_str("[-+][0-9]+");
        if let Some(c) = separator {
            r.push_str(&regex::escape(&c.to_string()));
            r.push_str("[0-9]+");
        }
        let reader = Reader::Zone {
            gmt: m.component == 'z',
            separator,
        };
        return Ok((r, m.component, reader));
    }
    if let Some(pic) = &m.integer {
        return Ok((
            integer_regex(pic, m.parse_width, span)?,
            m.component,
            Reader::Integer(pic.clone()),
        ));
    }
    let truncate = |s: &str| match m.max_width {
        Some(max) if max > 0 => s.chars().take(max).collect(),
        _ => s.to_string(),
    };
    let names: Vec<(String, f64)> = match m.component {
        'M' | 'x' => MONTHS
            .iter()
            .zip(1..)
            .map(|(n, i)| (truncate(n), f64::from(i)))
            .collect(),
        'F' => DAYS
            .iter()
            .zip(0..)
            .skip(1)
            .map(|(n, i)| (truncate(n), f64::from(i)))
            .collect(),
        'P' => [("am", 0.0), ("AM", 0.0), ("pm", 1.0), ("PM", 1.0)]
            .iter()
            .map(|(n, v)| (n.to_string(), *v))
            .collect(),
        c => {
            return Err(err(
                "D3133",
                span,
                format!("the component {c:?} has no names: use a number picture"),
            ))
        }
    };
    Ok(("[a-zA-Z]+".into(), m.component, Reader::Names(names)))
}

/// JavaScript's `Date.UTC` (months from 0, overflow carried, years 0–99 read as 19xx).
fn js_date_utc(year: f64, month0: f64, day: f64, h: f64, m: f64, s: f64, ms: f64) -> f64 {
    if [year, month0, day, h, m, s, ms].iter().any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let mut y = year.trunc();
    if (0.0..=99.0).contains(&y) {
        y += 1900.0;
    }
    let month0 = month0.trunc() as i64;
    let (y, mo) = year_month(y as i64, month0);
    let days = days_from_civil(y, mo + 1, 1) as f64 + day.trunc() - 1.0;
    days * MS_PER_DAY as f64 + h.trunc() * 3_600_000.0 + m.trunc() * 60_000.0 + s.trunc() * 1000.0 + ms.trunc()
}

/// jsonata-js's `parseDateTime`: `None` when the text does not fit the picture or names no
/// component.
fn parse_date_time(text: &str, picture: &str, now: i64, span: Span) -> Result<Option<f64>, JsonataError> {
    let parts = analyse(picture, span)?;
    let readers = parts
        .iter()
        .map(|p| part_reader(p, span))
        .collect::<Result<Vec<_>, _>>()?;
    let pattern: String = readers.iter().map(|(r, ..)| format!("({r})")).collect();
    let Ok(re) = regex::Regex::new(&format!("(?i)^{pattern}$")) else {
        return Ok(None);
    };
    let Some(caps) = re.captures(text) else {
        return Ok(None);
    };
    let mut given: Vec<(char, f64)> = Vec::new();
    for (i, (_, component, reader)) in readers.iter().enumerate() {
        let matched = caps.get(i + 1).map_or("", |m| m.as_str());
        if let Some(v) = reader.read(matched, span)? {
            given.retain(|(c, _)| c != component);
            given.push((*component, v));
        }
    }
    if given.is_empty() {
        return Ok(None);
    }
    let get = |given: &[(char, f64)], c: char| given.iter().find(|(k, _)| *k == c).map(|(_, v)| *v);
    // A component counts as given for the choice of form only if truthy, as in JavaScript.
    let mask = |given: &[(char, f64)], letters: &str| {
        letters.chars().fold(0u32, |mask, c| {
            (mask << 1) | u32::from(get(given, c).is_some_and(|v| v != 0.0 && !v.is_nan()))
        })
    };
    let is = |mask: u32, form: u32| (!form & mask) == 0 && (form & mask) != 0;
    let date = mask(&given, "YXMxWwdD");
    let date_a = is(date, 0b1010_0001);
    let date_b = !date_a && is(date, 0b1000_0010);
    let date_c = is(date, 0b0101_0100);
    let date_d = !date_c && is(date, 0b0100_1000);
    let time = mask(&given, "PHhmsf");
    let time_a = is(time, 0b01_0111);
    let time_b = !time_a && is(time, 0b10_1111);
    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let (now_days, now_ms) = (now.div_euclid(MS_PER_DAY), now.rem_euclid(MS_PER_DAY));
    let (mut start, mut end) = (false, false);
    for c in date_comps.chars().chain(time_comps.chars()) {
        if get(&given, c).is_none() {
            let v = if start {
                end = true;
                if "MDd".contains(c) {
                    1.0
                } else {
                    0.0
                }
            } else if c == 'P' {
                // jsonata-js takes "am"/"pm" from the clock, which never equals 1: no shift.
                0.0
            } else {
                fragment(now_days, now_ms, c)
            };
            given.push((c, v));
        } else {
            start = true;
            if end {
                return Err(gap(span));
            }
        }
    }
    if date_c || date_d {
        return Err(err(
            "D3136",
            span,
            "parsing a week date ([X], [W], [x], [w]) is not supported",
        ));
    }
    let v = |c: char| get(&given, c).unwrap_or(0.0);
    let mut month0 = if v('M') > 0.0 { v('M') - 1.0 } else { 0.0 };
    let mut day = v('D');
    if date_b {
        let derived = js_date_utc(v('Y'), 0.0, 1.0, 0.0, 0.0, 0.0, 0.0) + (v('d') - 1.0) * MS_PER_DAY as f64;
        if derived.is_finite() {
            let (_, m, d) = civil_from_days((derived / MS_PER_DAY as f64).floor() as i64);
            month0 = (m - 1) as f64;
            day = d as f64;
        } else {
            return Ok(None);
        }
    }
    let mut hour = v('H');
    if time_b {
        hour = if v('h') == 12.0 { 0.0 } else { v('h') };
        if v('P') == 1.0 {
            hour += 12.0;
        }
    }
    let mut millis = js_date_utc(v('Y'), month0, day, hour, v('m'), v('s'), v('f'));
    let zone = [v('Z'), v('z')].into_iter().find(|z| *z != 0.0 && !z.is_nan());
    if let Some(z) = zone {
        millis -= z * 60_000.0;
    }
    Ok((millis.is_finite() && millis.abs() <= MAX_MILLIS).then_some(millis))
}

fn gap(span: Span) -> JsonataError {
    err(
        "D3136",
        span,
        "the date-time picture leaves a gap between the components it gives (a month and a year but no day, say)",
    )
}

pub(crate) fn now<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let s = format_date_time(ev.now_millis as f64, str_arg(&a, 0), str_arg(&a, 1), c.span)?;
    Ok(s.map(|s| Val::str(&s)))
}

pub(crate) fn millis<'a>(ev: &Evaluator<'a>, _: &Call<'a, '_>, _: Args<'a>) -> R<'a> {
    Ok(Some(Val::Num(ev.now_millis as f64)))
}

pub(crate) fn from_millis<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(ms) = num_arg(&a, 0) else {
        return Ok(None);
    };
    let s = format_date_time(ms, str_arg(&a, 1), str_arg(&a, 2), c.span)?;
    Ok(s.map(|s| Val::str(&s)))
}

pub(crate) fn to_millis<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    if arg(&a, 1).is_some() {
        let picture = str_arg(&a, 1).unwrap_or("");
        return Ok(parse_date_time(s, picture, ev.now_millis, c.span)?.map(Val::Num));
    }
    match parse_iso(s) {
        Some(ms) => Ok(Some(Val::Num(ms))),
        None => Err(err(
            "D3110",
            c.span,
            "the timestamp cannot be parsed: it is not ISO 8601",
        )),
    }
}
