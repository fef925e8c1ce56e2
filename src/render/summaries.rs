//! Each document's value in listings ([`Summary`]), converted to a template
//! value once per build. The parts many documents have in common — a date,
//! an agency, a status — are converted once and shared: a template map is
//! held by reference, so 100,000 documents' values take a fraction of the
//! memory (and of the time) they would each with its own copies.

use std::collections::HashMap;

use rayon::prelude::*;
use tera::Value;

use super::context::Summary;
use crate::markdown::Rendered;
use crate::model::Model;

/// The listing values of every document: those in `cached` (a live
/// preview keeps the values of unchanged documents) and the others made.
pub fn summary_values(
    model: &Model,
    bodies: &[Rendered],
    cached: Vec<Option<Value>>,
) -> Vec<Value> {
    let made: Vec<Option<Summary<'_>>> = cached
        .par_iter()
        .enumerate()
        .map(|(i, v)| {
            v.is_none()
                .then(|| model.summary(i, &bodies[i].first_paragraph))
        })
        .collect();
    let mut shared = Shared::default();
    let parts: Vec<Option<[Value; 3]>> = made
        .iter()
        .map(|s| s.as_ref().map(|s| shared.parts(s)))
        .collect();
    cached
        .into_par_iter()
        .zip(made)
        .zip(parts)
        .map(|((v, s), p)| match (v, s, p) {
            (Some(v), _, _) => v,
            (None, Some(s), Some(p)) => value(s, p),
            // `made` and `parts` hold a summary wherever `cached` holds none.
            (None, _, _) => Value::none(),
        })
        .collect()
}

/// One document's listing value, sharing nothing (a live preview's edit).
pub fn summary_value(model: &Model, bodies: &[Rendered], i: usize) -> Value {
    let s = model.summary(i, &bodies[i].first_paragraph);
    let parts = Shared::default().parts(&s);
    value(s, parts)
}

/// The shared parts, by what tells them apart.
#[derive(Default)]
struct Shared {
    dates: HashMap<String, Value>,
    agencies: HashMap<String, Value>,
    statuses: HashMap<(&'static str, String), Value>,
}

impl Shared {
    /// A summary's date, agency and status values.
    fn parts(&mut self, s: &Summary<'_>) -> [Value; 3] {
        let date = match &s.date {
            Some(d) => self
                .dates
                .entry(d.iso.clone())
                .or_insert_with(|| Value::from_serializable(d))
                .clone(),
            None => Value::none(),
        };
        let agency = match &s.agency {
            Some(a) => self
                .agencies
                .entry(a.key.clone())
                .or_insert_with(|| Value::from_serializable(a))
                .clone(),
            None => Value::none(),
        };
        let status = match &s.status {
            Some(st) => self
                .statuses
                .entry((st.label, st.timeline.clone()))
                .or_insert_with(|| Value::from_serializable(st))
                .clone(),
            None => Value::none(),
        };
        [date, agency, status]
    }
}

/// The value `Value::from_serializable(&s)` would give, with the shared
/// parts in place: the same keys in the same order.
fn value(s: Summary<'_>, [date, agency, status]: [Value; 3]) -> Value {
    #[cfg(debug_assertions)]
    let whole = Value::from_serializable(&s);
    // Every field named, so a new one cannot be left out here.
    let Summary {
        title,
        url,
        doc_type,
        type_name,
        date: _,
        agency: _,
        status: _,
        summary,
        doc_number,
    } = s;
    let pairs = [
        ("title", Value::from_serializable(&title)),
        ("url", Value::from_serializable(&url)),
        ("type", Value::from_serializable(&doc_type)),
        ("type_name", Value::from_serializable(&type_name)),
        ("date", date),
        ("agency", agency),
        ("status", status),
        ("summary", Value::from_serializable(&summary)),
        ("doc_number", Value::from_serializable(&doc_number)),
    ];
    let map: tera::Map = pairs
        .into_iter()
        .map(|(k, v)| (tera::value::Key::from(k), v))
        .collect();
    let v = Value::from(map);
    #[cfg(debug_assertions)]
    assert_eq!(format!("{v:?}"), format!("{whole:?}"), "listing value");
    v
}
