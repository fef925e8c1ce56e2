use super::*;
use crate::search::records::Kind;

fn rec(head: &str, body: &str) -> (Record<'static>, String) {
    let r = Record {
        doc: 0,
        kind: Kind::Page,
        part: 0,
        title: head.to_string().into(),
        meta: "".into(),
    };
    (r, body.into())
}

/// Builds the index of records with the given bodies.
fn build_of(recs: Vec<(Record<'static>, String)>) -> Index {
    let (mut recs, bodies): (Vec<Record<'_>>, Vec<String>) = recs.into_iter().unzip();
    for (i, r) in recs.iter_mut().enumerate() {
        r.doc = i;
    }
    build(&recs, &|r, out| out.push_str(&bodies[r.doc]))
}

fn impact(ix: &Index, term: &str, r: u32) -> Option<u8> {
    let t = ix.terms.iter().position(|x| &**x == term)?;
    let p = &ix.postings[t];
    let (mut i, mut at) = (0, 0u32);
    let mut records = Vec::new();
    for _ in 0..p.count {
        at += get_varint(&p.ids, &mut i);
        records.push(at);
    }
    let mut impacts = Vec::new();
    ix.impacts(t, &mut impacts);
    let i = records.iter().position(|&x| x == r)?;
    Some(impacts[i])
}

#[test]
fn headline_outweighs_body_and_rare_outweighs_common() {
    let recs = vec![
        rec("营业执照", "其他内容其他内容"),
        rec("其他标题", "营业执照其他内容其他内容"),
        rec("其他", "其他"),
    ];
    let ix = build_of(recs);
    assert!(
        impact(&ix, "执", 0).is_some(),
        "single characters of headlines"
    );
    assert_eq!(impact(&ix, "执", 1), None, "not of bodies");
    let head = impact(&ix, "执照", 0).unwrap();
    let body = impact(&ix, "执照", 1).unwrap();
    assert!(head > body, "{head} > {body}");
    assert!(impact(&ix, "其他", 2).unwrap() < impact(&ix, "执照", 1).unwrap());
    assert_eq!(impact(&ix, "执照", 2), None);
    assert!(impact(&ix, ":yingye", 0).is_some());
    assert_eq!(impact(&ix, ":yingye", 1), None, "pinyin only for headlines");
}

#[test]
fn shards_hold_every_term_once() {
    let recs: Vec<(Record<'_>, String)> = (0..300)
        .map(|i| rec(&format!("标题{i}号"), &"内容文字".repeat(i % 7 + 1)))
        .collect();
    let ix = build_of(recs);
    let shards = ix.shards();
    let mut seen = 0;
    for (_, bytes) in &shards {
        let mut r = crate::search::index::tests::Reader { b: bytes, i: 0 };
        let n = r.varint();
        for _ in 0..n {
            let l = r.varint() as usize;
            r.i += l;
            let bl = r.varint() as usize;
            r.i += bl;
            seen += 1;
        }
        assert_eq!(r.i, bytes.len());
    }
    assert_eq!(seen, ix.term_count());
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> u32 {
        let mut v = 0u32;
        let mut shift = 0;
        loop {
            let x = self.b[self.i];
            self.i += 1;
            v |= u32::from(x & 0x7f) << shift;
            if x < 0x80 {
                return v;
            }
            shift += 7;
        }
    }
}

/// The rounding of scores is `f64::round` wherever a score can fall,
/// halves and the float just below a half included.
#[test]
fn score_rounding_is_round() {
    let mut xs = vec![
        0.0,
        -0.0,
        0.49999999999999994,
        0.5,
        1.5,
        2.5,
        254.49999999999997,
        254.5,
        255.5,
        1e15 + 0.5,
        4_503_599_627_370_495.5,
        4_503_599_627_370_496.0,
        1e300,
        -0.5,
        -2.5,
    ];
    // Every step of 1/1024 up to 300, and numbers with long fractions.
    xs.extend((0..300 * 1024).map(|i| f64::from(i) / 1024.0));
    xs.extend((1..100_000).map(|i| f64::from(i) * 0.002_718_281_828));
    for x in xs {
        assert_eq!(round_score(x).to_bits(), x.round().to_bits(), "{x}");
    }
    assert!(round_score(f64::NAN).is_nan());
}
