//! Deflate and gzip for the files we write compressed (search shards and
//! their `.gz` twins, spreadsheet parts). Setting up a compressor zeroes
//! a few hundred KB, which costs more than compressing a 9 KB shard, so
//! each thread keeps one per level and resets it between files.
//!
//! The output is a pure function of the input and the level: gzip headers
//! carry no name and no time, and the OS byte says "unknown".

use std::cell::RefCell;

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

thread_local! {
    static COMPRESSORS: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
}

/// Raw deflate (no header) of `data` at `level` (0–9).
pub(crate) fn raw(level: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    raw_into(level, data, &mut out);
    out
}

/// gzip of `data` at `level` (0–9), as `flate2::GzBuilder` writes it with
/// mtime 0 and OS 255.
pub(crate) fn gzip(level: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    // Extra flags as flate2 sets them: 2 for the best level, 4 for the fastest.
    let xfl = match level {
        9.. => 2,
        0..=1 => 4,
        _ => 0,
    };
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255]);
    raw_into(level, data, &mut out);
    let mut crc = Crc::new();
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn raw_into(level: u32, data: &[u8], out: &mut Vec<u8>) {
    let level = level.min(9);
    COMPRESSORS.with(|cell| {
        let mut all = cell.borrow_mut();
        let at = match all.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                all.push((level, Compress::new(Compression::new(level), false)));
                all.len() - 1
            }
        };
        let c = &mut all[at].1;
        c.reset();
        let start = c.total_in();
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(data.len() / 4 + 1024);
            }
            let used = (c.total_in() - start) as usize;
            match c.compress_vec(&data[used..], out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(_) => {}
                // A fresh stream with room to write cannot fail; should it
                // anyway, a new compressor takes this one's place.
                Err(_) => {
                    *c = Compress::new(Compression::new(level), false);
                    break;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn sample() -> Vec<u8> {
        (0..50_000u32)
            .flat_map(|i| format!("{} 食品经营许可证 {}\n", i % 97, i % 13).into_bytes())
            .collect()
    }

    #[test]
    fn gzip_round_trips_with_a_fixed_header() {
        for level in [1, 4, 6, 9] {
            for data in [Vec::new(), b"hello".to_vec(), sample()] {
                let ours = gzip(level, &data);
                let xfl = [4, 0, 0, 2][[1, 4, 6, 9].iter().position(|&l| l == level).unwrap()];
                assert_eq!(ours[..10], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255]);
                let mut back = Vec::new();
                flate2::read::GzDecoder::new(&ours[..])
                    .read_to_end(&mut back)
                    .unwrap();
                assert!(back == data, "level {level}: {} bytes", data.len());
            }
        }
    }

    #[test]
    fn a_reused_compressor_gives_a_fresh_ones_bytes() {
        for level in [1, 4, 6] {
            let fresh = std::thread::spawn(move || raw(level, &sample()))
                .join()
                .unwrap();
            let _ = raw(level, b"something else entirely");
            let _ = raw(level, &sample()[..1000]);
            assert!(raw(level, &sample()) == fresh, "level {level}");
            let mut back = Vec::new();
            flate2::read::DeflateDecoder::new(&fresh[..])
                .read_to_end(&mut back)
                .unwrap();
            assert!(back == sample());
        }
    }
}
