//! Labels and pointers of fields, put together without the formatting machinery: they are made
//! for every path field, template and Choice rule of a machine (`model::fields`,
//! `model::choice`), where `format!` cost more than the rest of the walk.

/// `n` in decimal, written at the end of `buf`: the index in a label or pointer without the
/// formatting machinery of `to_string`.
pub(crate) fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

/// The pieces joined, in a string of the right size (labels and pointers of fields are made for
/// every path field and template of a machine: `format!` cost more than the rest of the walk).
pub(crate) fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_every_digit() {
        for n in [0, 7, 10, 1234, usize::MAX] {
            assert_eq!(decimal(n, &mut [0; 20]), n.to_string());
        }
    }

    #[test]
    fn concat_joins_in_order() {
        assert_eq!(concat(&["Catch[", "2", "].", "ResultPath"]), "Catch[2].ResultPath");
        assert_eq!(concat(&[]), "");
    }
}
