//! Writing one index file and its `.gz` twin (nginx's `gzip_static`
//! serves the twin): reproducible gzip, a digest for the file names.

use crate::diag::Diagnostic;
use crate::output::Output;

/// gzip level of the `.gz` copies (libdeflate's 0–12): fixed, so output is
/// reproducible.
const GZIP_LEVEL: u32 = 4;

/// Writes a file and its `.gz`; returns a digest of the bytes and the
/// compressed size.
pub(super) fn write_pair(
    out: &Output,
    name: &str,
    bytes: &[u8],
) -> Result<(u64, usize), Diagnostic> {
    let gz = gzip(bytes);
    let h = crate::hash::fnv(bytes);
    out.write(name, bytes)
        .and_then(|()| out.write(&format!("{name}.gz"), &gz))
        .map(|()| (h, gz.len()))
        .map_err(|e| Diagnostic::error(name.to_string(), "输出", e.to_string()))
}

/// gzip with a fixed level and header (no name, no time, OS "unknown"):
/// the same bytes in, the same bytes out.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    crate::deflate::gzip(GZIP_LEVEL, bytes)
}

/// A file written: its name, digest, size and gzipped size.
pub(super) type Written = (String, u64, usize, usize);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_reproducible_and_anonymous() {
        let a = gzip(b"hello hello hello");
        assert_eq!(a, gzip(b"hello hello hello"));
        // No mtime, no file name, OS unknown.
        assert_eq!(&a[4..8], &[0, 0, 0, 0]);
        assert_eq!(a[3] & 0x08, 0);
        assert_eq!(a[9], 255);
    }
}
