//! Timestamps as Step Functions reads them: the Wait state's `Timestamp` and the operands of
//! the Choice `Timestamp…` operators.
//!
//! The AWS guide asks for RFC 3339 with an uppercase `T` and `Z`, but the service reports bad
//! values as not being "a valid ISO-8601 extended offset date-time", the wording of Java's
//! `ISO_OFFSET_DATE_TIME` parser, which is more lenient: seconds and fraction are optional,
//! `T`/`Z` may be lowercase, the offset may omit minutes. This parser accepts that larger set,
//! so the validator only rejects what AWS cannot read at all, and checks the calendar (no
//! 30 February) as a strict parser does.

pub use aslkit_base::calendar::{civil_from_days, days_from_civil};

/// A parsed timestamp; the simulator turns it into an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanosecond: u32,
    /// Offset from UTC in seconds (`Z` is 0).
    pub offset_seconds: i32,
}

/// Why a string is not a timestamp, and where (a character offset into it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    pub message: &'static str,
    pub at: usize,
}

fn err<T>(message: &'static str, at: usize) -> Result<T, TimestampError> {
    Err(TimestampError { message, at })
}

struct Cursor {
    chars: Vec<char>,
    pos: usize,
}

impl Cursor {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn digits(&mut self, count: usize, what: &'static str) -> Result<u32, TimestampError> {
        let mut n = 0u32;
        for _ in 0..count {
            match self.peek() {
                Some(c) if c.is_ascii_digit() => {
                    n = n * 10 + c.to_digit(10).unwrap_or(0);
                    self.pos += 1;
                }
                _ => return err(what, self.pos),
            }
        }
        Ok(n)
    }

    fn expect(&mut self, wanted: &[char], what: &'static str) -> Result<(), TimestampError> {
        match self.peek() {
            Some(c) if wanted.contains(&c) => {
                self.pos += 1;
                Ok(())
            }
            _ => err(what, self.pos),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses `2016-03-14T01:59:00Z`, `2016-03-14T01:59:00.123+02:00` and the lenient variants
/// described in the module documentation.
pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
    let mut c = Cursor {
        chars: text.chars().collect(),
        pos: 0,
    };
    let year = c.digits(4, "expected a four-digit year")? as i32;
    c.expect(&['-'], "expected `-` after the year")?;
    let month_at = c.pos;
    let month = c.digits(2, "expected a two-digit month")?;
    if !(1..=12).contains(&month) {
        return err("the month must be 01 to 12", month_at);
    }
    c.expect(&['-'], "expected `-` after the month")?;
    let day_at = c.pos;
    let day = c.digits(2, "expected a two-digit day")?;
    if day == 0 || day > days_in_month(year, month) {
        return err("no such day in that month", day_at);
    }
    c.expect(
        &['T', 't'],
        "expected `T` between the date and the time (a date alone is not a timestamp)",
    )?;
    let hour_at = c.pos;
    let hour = c.digits(2, "expected a two-digit hour")?;
    if hour > 23 {
        return err("the hour must be 00 to 23", hour_at);
    }
    c.expect(&[':'], "expected `:` after the hour")?;
    let minute_at = c.pos;
    let minute = c.digits(2, "expected two-digit minutes")?;
    if minute > 59 {
        return err("the minutes must be 00 to 59", minute_at);
    }
    let mut second = 0;
    let mut nanosecond = 0;
    if c.peek() == Some(':') {
        c.pos += 1;
        let second_at = c.pos;
        second = c.digits(2, "expected two-digit seconds")?;
        if second > 59 {
            return err("the seconds must be 00 to 59", second_at);
        }
        if c.peek() == Some('.') {
            c.pos += 1;
            let start = c.pos;
            let mut scale = 100_000_000u32;
            while let Some(d) = c.peek().and_then(|ch| ch.to_digit(10)) {
                if c.pos - start == 9 {
                    return err("at most nine fraction digits", c.pos);
                }
                nanosecond += d * scale;
                scale /= 10;
                c.pos += 1;
            }
            if c.pos == start {
                return err("expected fraction digits after `.`", c.pos);
            }
        }
    }
    let offset_seconds = match c.peek() {
        Some('Z' | 'z') => {
            c.pos += 1;
            0
        }
        Some(sign @ ('+' | '-')) => {
            c.pos += 1;
            let at = c.pos;
            let hours = c.digits(2, "expected a two-digit offset hour")?;
            let mut minutes = 0;
            let mut seconds = 0;
            if c.peek() == Some(':') || c.peek().is_some_and(|ch| ch.is_ascii_digit()) {
                if c.peek() == Some(':') {
                    c.pos += 1;
                }
                minutes = c.digits(2, "expected two-digit offset minutes")?;
                if c.peek() == Some(':') {
                    c.pos += 1;
                    seconds = c.digits(2, "expected two-digit offset seconds")?;
                }
            }
            if hours > 18 || minutes > 59 || seconds > 59 || (hours == 18 && minutes + seconds > 0) {
                return err("the offset must be between -18:00 and +18:00", at);
            }
            let total = (hours * 3600 + minutes * 60 + seconds) as i32;
            if sign == '-' {
                -total
            } else {
                total
            }
        }
        _ => return err("expected a time zone: `Z` or an offset such as `+01:00`", c.pos),
    };
    if c.pos != c.chars.len() {
        return err("unexpected text after the timestamp", c.pos);
    }
    Ok(Timestamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanosecond,
        offset_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_aws_reads() {
        for ok in [
            "2016-03-14T01:59:00Z",
            "2016-03-14T01:59:00.123Z",
            "2024-12-05T21:29:29.243167252Z",
            "2016-03-14T01:59:00+01:00",
            "2016-03-14T01:59:00-0530",
            "2016-03-14t01:59z",
            "2024-02-29T00:00:00Z",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            parse("2016-03-14T01:59:00.5+02:00").map(|t| (t.nanosecond, t.offset_seconds)),
            Ok((500_000_000, 7200))
        );
    }

    #[test]
    fn rejects_what_aws_cannot_read() {
        for (bad, at) in [
            ("x", 0),
            ("2016-03-14", 10),
            ("2016-03-14 01:59:00Z", 10),
            ("2016-03-14T01:59:00", 19),
            ("2023-02-29T00:00:00Z", 8),
            ("2016-13-01T00:00:00Z", 5),
            ("2016-03-14T24:00:00Z", 11),
            ("2016-03-14T01:59:00.Z", 20),
            ("2016-03-14T01:59:00Z ", 20),
        ] {
            assert_eq!(parse(bad).map_err(|e| e.at), Err(at), "{bad}");
        }
    }
}
