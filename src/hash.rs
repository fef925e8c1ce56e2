//! The one hash gongshi uses for content fingerprints: FNV-1a, 64 bits.
//! Asset URLs (`?v=…`), ETags and a live preview's page fingerprints use
//! it, so it sits below everything else.

use std::hash::{Hash, Hasher};

/// FNV-1a over `bytes`.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h = Fp::new();
    h.write(bytes);
    h.0
}

/// A 64-bit fingerprint (FNV-1a over a value's `Hash` stream).
pub struct Fp(u64);

impl Fp {
    pub fn new() -> Fp {
        Fp(0xcbf2_9ce4_8422_2325)
    }
}

impl Default for Fp {
    fn default() -> Self {
        Fp::new()
    }
}

impl Hasher for Fp {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// The fingerprint of a value.
pub fn fp_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = Fp::new();
    value.hash(&mut h);
    h.finish()
}

/// A file's fingerprint: its hash and its length (never 0).
pub fn fp_bytes(bytes: &[u8]) -> u64 {
    (fnv(bytes) ^ (bytes.len() as u64).rotate_left(32)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_of_known_values() {
        assert_eq!(fnv(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
