//! `$formatInteger`: XPath `format-integer` picture strings, as jsonata-js implements them.
//!
//! The picture is a primary token and an optional `;` modifier (`o` for ordinals). Primary
//! tokens: a decimal digit pattern (`#,##0`, in any Unicode digit family, with grouping
//! separators), `a`/`A` (letters), `i`/`I` (roman numerals), `w`/`W`/`Ww` (English words).

use super::{num_arg, str_arg, Args};
use crate::error::JsonataError;
use crate::runtime::{err, Call, Evaluator, R};
use crate::value::Val;
use aslkit_base::Span;

/// The zero of each Unicode decimal digit family jsonata-js recognises.
const ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0,
    0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

fn zero_of(c: char) -> Option<u32> {
    let c = c as u32;
    ZEROS.iter().copied().find(|z| (*z..=z + 9).contains(&c))
}

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred",
];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

/// jsonata-js's `numberToWords`.
fn words(num: f64, prev: bool, ord: bool) -> String {
    let and = if prev { " and " } else { "" };
    if num <= 19.0 {
        let n = num as usize;
        format!("{and}{}", if ord { ORDINALS[n] } else { FEW[n] })
    } else if num < 100.0 {
        let tens = (num / 10.0).floor() as usize;
        let rem = num % 10.0;
        let mut w = format!("{and}{}", DECADES[tens - 2]);
        if rem > 0.0 {
            w.push('-');
            w.push_str(&words(rem, false, ord));
        } else if ord {
            w.pop();
            w.push_str("ieth");
        }
        w
    } else if num < 1000.0 {
        let hundreds = (num / 100.0).floor() as usize;
        let rem = num % 100.0;
        let mut w = format!("{}{} Hundred", if prev { ", " } else { "" }, FEW[hundreds]);
        if rem > 0.0 {
            w.push_str(&words(rem, true, ord));
        } else if ord {
            w.push_str("th");
        }
        w
    } else {
        let mag = ((num.log10() / 3.0).floor() as usize).min(MAGNITUDES.len());
        let factor = 10f64.powi(3 * mag as i32);
        let mant = (num / factor).floor();
        let rem = num - mant * factor;
        let mut w = format!(
            "{}{} {}",
            if prev { ", " } else { "" },
            words(mant, false, false),
            MAGNITUDES[mag - 1]
        );
        if rem > 0.0 {
            w.push_str(&words(rem, true, ord));
        } else if ord {
            w.push_str("th");
        }
        w
    }
}

fn letters(mut n: u64, a: u8) -> String {
    let mut out = Vec::new();
    while n > 0 {
        out.push((((n - 1) % 26) as u8 + a) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

fn roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

fn ordinal_suffix(digits: &str) -> &'static str {
    let mut rev = digits.chars().rev();
    let last = rev.next();
    let tens_one = rev.next() == Some('1');
    match last {
        Some('1') if !tens_one => "st",
        Some('2') if !tens_one => "nd",
        Some('3') if !tens_one => "rd",
        _ => "th",
    }
}

/// Letter case of words, letters and roman numerals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    Upper,
    Lower,
    Title,
}

/// Where grouping separators go: every `n` digits (one character at a regular interval), or
/// at fixed positions counted from the right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Grouping {
    Regular(char, usize),
    Fixed(Vec<(char, usize)>),
}

/// The primary token of an integer picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Primary {
    Decimal {
        /// The zero of the digit family.
        zero: u32,
        mandatory: usize,
        optional: usize,
        grouping: Grouping,
    },
    Letters(Case),
    Roman(Case),
    Words(Case),
    /// A numbering sequence we do not know (no digit at all): an error when used.
    Sequence(String),
}

/// An analysed integer picture (jsonata-js's `analyseIntegerPicture`), shared by
/// `$formatInteger`, `$parseInteger` and the integer components of date-time pictures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IntPicture {
    pub primary: Primary,
    pub ordinal: bool,
}

impl IntPicture {
    pub(crate) fn analyse(picture: &str, span: Span) -> Result<IntPicture, JsonataError> {
        let (primary, modifier) = match picture.rfind(';') {
            Some(p) => (&picture[..p], &picture[p + 1..]),
            None => (picture, ""),
        };
        let ordinal = modifier.starts_with('o');
        let primary = match primary {
            "A" => Primary::Letters(Case::Upper),
            "a" => Primary::Letters(Case::Lower),
            "I" => Primary::Roman(Case::Upper),
            "i" => Primary::Roman(Case::Lower),
            "W" => Primary::Words(Case::Upper),
            "w" => Primary::Words(Case::Lower),
            "Ww" => Primary::Words(Case::Title),
            _ => decimal_picture(primary, span)?,
        };
        Ok(IntPicture { primary, ordinal })
    }

    /// The number of mandatory digits, if decimal.
    pub(crate) fn mandatory(&self) -> Option<usize> {
        match &self.primary {
            Primary::Decimal { mandatory, .. } => Some(*mandatory),
            _ => None,
        }
    }

    /// Raises the number of mandatory digits of a decimal picture to at least `min`.
    pub(crate) fn widen(&mut self, min: usize) {
        if let Primary::Decimal { mandatory, .. } = &mut self.primary {
            *mandatory = (*mandatory).max(min);
        }
    }

    /// Sets the number of mandatory digits of a decimal picture.
    pub(crate) fn set_mandatory(&mut self, n: usize) {
        if let Primary::Decimal { mandatory, .. } = &mut self.primary {
            *mandatory = n;
        }
    }

    /// Formats an integer (jsonata-js's `_formatInteger`).
    pub(crate) fn format(&self, value: f64, span: Span) -> Result<String, JsonataError> {
        let negative = value < 0.0;
        let v = value.abs();
        let cased = |s: String, case: Case| match case {
            Case::Upper => s.to_uppercase(),
            Case::Lower => s.to_lowercase(),
            Case::Title => s,
        };
        let body = match &self.primary {
            Primary::Letters(Case::Upper) => letters(v as u64, b'A'),
            Primary::Letters(_) => letters(v as u64, b'a'),
            Primary::Roman(Case::Upper) => roman(v as u64).to_uppercase(),
            Primary::Roman(_) => roman(v as u64),
            Primary::Words(case) => cased(words(v, false, self.ordinal), *case),
            Primary::Decimal {
                zero,
                mandatory,
                grouping,
                ..
            } => decimal(v, *zero, *mandatory, grouping, self.ordinal),
            Primary::Sequence(token) => {
                return Err(err(
                    "D3130",
                    span,
                    format!("formatting an integer as {token:?} is not supported"),
                ))
            }
        };
        Ok(if negative { format!("-{body}") } else { body })
    }
}

fn decimal_picture(primary: &str, span: Span) -> Result<Primary, JsonataError> {
    let mut zero: Option<u32> = None;
    let (mut mandatory, mut optional) = (0, 0);
    // (separator, number of digit positions to its right)
    let mut separators: Vec<(char, usize)> = Vec::new();
    let mut positions = 0;
    for c in primary.chars().rev() {
        if let Some(z) = zero_of(c) {
            if zero.is_some_and(|zz| zz != z) {
                return Err(err(
                    "D3131",
                    span,
                    "a picture string mixes digits from different families",
                ));
            }
            zero = Some(z);
            mandatory += 1;
            positions += 1;
        } else if c == '#' {
            optional += 1;
            positions += 1;
        } else {
            separators.push((c, positions));
        }
    }
    let Some(zero) = zero else {
        return Ok(Primary::Sequence(primary.to_string()));
    };
    // Regular grouping: one separator character at multiples of one interval.
    let regular = separators.first().and_then(|(c, _)| {
        if separators.iter().any(|(d, _)| d != c) {
            return None;
        }
        let g = separators.iter().fold(0, |g, (_, p)| gcd(g, *p));
        (g > 0 && (1..=separators.len()).all(|i| separators.iter().any(|(_, p)| *p == i * g))).then_some((*c, g))
    });
    let grouping = match regular {
        Some((c, g)) => Grouping::Regular(c, g),
        None => Grouping::Fixed(separators),
    };
    Ok(Primary::Decimal {
        zero,
        mandatory,
        optional,
        grouping,
    })
}

fn decimal(value: f64, zero: u32, mandatory: usize, grouping: &Grouping, ordinal: bool) -> String {
    let mut digits = format!("{}", value as u128);
    if digits.len() < mandatory {
        digits = format!("{}{digits}", "0".repeat(mandatory - digits.len()));
    }
    let mut out: Vec<char> = digits.chars().collect();
    match grouping {
        Grouping::Regular(c, g) => {
            let n = (out.len() - 1) / g;
            for i in (1..=n).rev() {
                let pos = out.len() - i * g;
                out.insert(pos, *c);
            }
        }
        Grouping::Fixed(separators) => {
            // Leftmost first, so that each position still counts from the right.
            for (c, p) in separators.iter().rev() {
                if *p <= out.len() {
                    let pos = out.len() - p;
                    out.insert(pos, *c);
                }
            }
        }
    }
    let mut s: String = out
        .iter()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(zero + d).unwrap_or(*c),
            _ => *c,
        })
        .collect();
    if ordinal {
        s.push_str(ordinal_suffix(&digits));
    }
    s
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

pub(crate) fn format_integer<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(n) = num_arg(&a, 0) else {
        return Ok(None);
    };
    let picture = str_arg(&a, 1).unwrap_or("0");
    let picture = IntPicture::analyse(picture, c.span)?;
    Ok(Some(Val::str(&picture.format(n.floor(), c.span)?)))
}

/// jsonata-js's `wordsToNumber`.
pub(crate) fn words_to_number(text: &str) -> f64 {
    let text = text.to_lowercase();
    let value = |w: &str| -> Option<f64> {
        let w = w.trim();
        for (i, (few, ord)) in FEW.iter().zip(ORDINALS.iter()).enumerate() {
            if w == few.to_lowercase() || w == ord.to_lowercase() {
                return Some(i as f64);
            }
        }
        for (i, d) in DECADES[..8].iter().enumerate() {
            let d = d.to_lowercase();
            if w == d || w == format!("{}ieth", &d[..d.len() - 1]) {
                return Some((i as f64 + 2.0) * 10.0);
            }
        }
        let big = [
            ("hundred", 1e2),
            ("thousand", 1e3),
            ("million", 1e6),
            ("billion", 1e9),
            ("trillion", 1e12),
        ];
        big.iter()
            .find(|(name, _)| w == *name || w.strip_suffix("th") == Some(name))
            .map(|(_, v)| *v)
    };
    let normalized = text.replace(", ", " ").replace(" and ", " ").replace('-', " ");
    let mut segs = vec![0.0];
    for part in normalized.split(' ').filter(|p| !p.is_empty()) {
        let v = value(part).unwrap_or(f64::NAN);
        if v < 100.0 {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + v);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * v);
        }
    }
    segs.iter().sum()
}

pub(crate) fn parse_roman(s: &str) -> f64 {
    let value = |c: char| match c.to_ascii_lowercase() {
        'm' => 1000.0,
        'd' => 500.0,
        'c' => 100.0,
        'l' => 50.0,
        'x' => 10.0,
        'v' => 5.0,
        'i' => 1.0,
        _ => 0.0,
    };
    let vals: Vec<f64> = s.chars().map(value).collect();
    let mut total = 0.0;
    for (i, v) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|next| next > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    total
}

pub(crate) fn parse_letters(s: &str) -> f64 {
    s.chars().fold(0.0, |acc, c| {
        acc * 26.0 + f64::from((c.to_ascii_lowercase() as u8).wrapping_sub(b'a') + 1)
    })
}

pub(crate) fn parse_integer<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let picture = IntPicture::analyse(str_arg(&a, 1).unwrap_or("0"), c.span)?;
    Ok(Some(Val::Num(picture.parse(s, c.span)?)))
}

impl IntPicture {
    /// Reads back what [`IntPicture::format`] wrote (jsonata-js's integer matcher `parse`).
    pub(crate) fn parse(&self, s: &str, span: Span) -> Result<f64, JsonataError> {
        Ok(match &self.primary {
            Primary::Letters(_) => parse_letters(s),
            Primary::Roman(_) => parse_roman(s),
            Primary::Words(_) => words_to_number(s),
            Primary::Decimal { .. } => {
                let digits: String = s
                    .chars()
                    .filter_map(|ch| zero_of(ch).and_then(|z| char::from_digit(ch as u32 - z, 10)))
                    .collect();
                digits.parse().unwrap_or(f64::NAN)
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
}
