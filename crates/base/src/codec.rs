//! Encodings shared by the intrinsic functions (`States.Base64Encode`, `States.Hash`) and the
//! JSONata functions Step Functions adds (`$base64encode`, `$hash`): one implementation each.
//!
//! Base64 is a page of arithmetic written here (RFC 4648); the digests come from RustCrypto's
//! `md-5`, `sha1` and `sha2`, checked below against the RFC 1321 and FIPS 180-4 known answers.

use sha2::Digest as _;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_value(byte: u8) -> Option<u8> {
    BASE64.iter().position(|&b| b == byte).map(|v| v as u8)
}

/// Standard Base64 with `=` padding, on one line.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard Base64. Line breaks and other whitespace are skipped, as a MIME decoder
/// does; padding is optional; any other character outside the alphabet is an error.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut sextets = Vec::with_capacity(text.len());
    let mut padding = 0;
    for (i, c) in text.chars().enumerate() {
        match c {
            c if c.is_ascii_whitespace() => {}
            '=' => padding += 1,
            _ if padding > 0 => return Err(format!("unexpected '{c}' after padding at position {i}")),
            c => match u8::try_from(c).ok().and_then(base64_value) {
                Some(v) => sextets.push(u32::from(v)),
                None => return Err(format!("'{c}' at position {i} is not a Base64 character")),
            },
        }
    }
    if sextets.len() % 4 == 1 || padding > 2 {
        return Err("the Base64 text has a truncated final group".to_string());
    }
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for group in sextets.chunks(4) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, v)| n | (v << (18 - 6 * i)));
        out.extend(n.to_be_bytes()[1..group.len()].iter());
    }
    Ok(out)
}

/// Lower-case hexadecimal, as `States.Hash` returns digests.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes Base64 the way JavaScript's `atob`/Node's `Buffer` do for JSONata: characters outside
/// the alphabet (whitespace, padding, anything else) are skipped, never an error.
pub fn base64_decode_lenient(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for value in text.bytes().filter_map(base64_value) {
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// The hex digest of `data` with one of the algorithms Step Functions offers (`MD5`, `SHA-1`,
/// `SHA-256`, `SHA-384`, `SHA-512`); `None` for any other name.
pub fn digest(algorithm: &str, data: &[u8]) -> Option<String> {
    Some(match algorithm {
        "MD5" => hex(&md5::Md5::digest(data)),
        "SHA-1" => hex(&sha1::Sha1::digest(data)),
        "SHA-256" => hex(&sha2::Sha256::digest(data)),
        "SHA-384" => hex(&sha2::Sha384::digest(data)),
        "SHA-512" => hex(&sha2::Sha512::digest(data)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rfc4648_vectors() {
        let rows = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in rows {
            assert_eq!(base64_encode(plain.as_bytes()), encoded, "{plain}");
            assert_eq!(base64_decode(encoded).as_deref(), Ok(plain.as_bytes()), "{encoded}");
        }
    }

    #[test]
    fn base64_decoding_is_lenient_about_whitespace_and_padding_only() {
        assert_eq!(base64_decode("Zm9v\r\nYmFy"), Ok(b"foobar".to_vec()));
        assert_eq!(base64_decode("Zm8"), Ok(b"fo".to_vec()));
        assert!(base64_decode("Zm9v!").is_err());
        assert!(base64_decode("Z").is_err());
        assert!(base64_decode("Zg==Zg").is_err());
    }

    #[test]
    fn lenient_decoding_skips_what_is_not_base64() {
        assert_eq!(base64_decode_lenient("Zm9v!YmFy=="), b"foobar".to_vec());
        assert_eq!(base64_decode_lenient(""), Vec::<u8>::new());
    }

    /// Known answers from RFC 1321 and FIPS 180-4's examples: each row is a digest, its input
    /// and the expected hex.
    #[test]
    fn digest_known_answers() {
        let long: &[u8] = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        let rows: &[(&str, &[u8], &str)] = &[
            ("MD5", b"", "d41d8cd98f00b204e9800998ecf8427e"),
            ("MD5", b"abc", "900150983cd24fb0d6963f7d28e17f72"),
            (
                "MD5",
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
            ("SHA-1", b"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            ("SHA-1", long, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
            (
                "SHA-256",
                b"",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                "SHA-256",
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                "SHA-256",
                long,
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
            (
                "SHA-384",
                b"abc",
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
            ),
            (
                "SHA-512",
                b"",
                "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce\
                 47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
            ),
            (
                "SHA-512",
                b"abc",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                 2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            ),
        ];
        for (name, input, expected) in rows {
            assert_eq!(
                digest(name, input).as_deref(),
                Some(*expected),
                "{name}({:?})",
                String::from_utf8_lossy(input)
            );
        }
        assert_eq!(digest("SHA-3", b"abc"), None);
    }
}
