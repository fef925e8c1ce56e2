//! The traditional → simplified table as the runtime fetches it: a bitset
//! of traditional characters in `meta.json`, the pairs in `t2s/<n>.txt`
//! blocks.

use std::collections::BTreeMap;

use super::tokenize;

/// First code point of the traditional-character bitset.
pub(super) const T2S_FROM: u32 = 0x4E00;
const T2S_TO: u32 = 0xA000;

/// Code points per `t2s/<n>.txt` block.
const T2S_BLOCK: u32 = 1024;

/// The `t2s/<n>.txt` blocks: for the traditional characters in
/// `T2S_FROM + n·1024 …`, comma-separated pairs of integers in code-point
/// order: the traditional character minus the previous one (the first minus
/// the block's start), then the simplified minus the traditional.
pub(super) fn t2s_files() -> Vec<(u32, Vec<u8>)> {
    let mut blocks: BTreeMap<u32, (String, i64)> = BTreeMap::new();
    for (t, simp) in tokenize::t2s_pairs() {
        let (t, simp) = (u32::from(*t), u32::from(*simp));
        let n = (t - T2S_FROM) / T2S_BLOCK;
        let (text, prev) = blocks
            .entry(n)
            .or_insert_with(|| (String::new(), i64::from(T2S_FROM + n * T2S_BLOCK)));
        if !text.is_empty() {
            text.push(',');
        }
        text.push_str(&format!(
            "{},{}",
            i64::from(t) - *prev,
            i64::from(simp) - i64::from(t)
        ));
        *prev = i64::from(t);
    }
    blocks
        .into_iter()
        .map(|(n, (mut text, _))| {
            text.push('\n');
            (n, text.into_bytes())
        })
        .collect()
}

pub(super) fn t2s_bits() -> String {
    let mut bits = vec![0u8; ((T2S_TO - T2S_FROM) / 8) as usize];
    for (t, _) in tokenize::t2s_pairs() {
        let c = u32::from(*t);
        if (T2S_FROM..T2S_TO).contains(&c) {
            let o = (c - T2S_FROM) as usize;
            bits[o / 8] |= 1 << (o % 8);
        }
    }
    base64(&bits)
}

pub(super) fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let v = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
