//! Every page kind declares what it reads: each page of the demo site,
//! rendered again with every document it does not declare changed (title,
//! summary, body), must come out byte for byte the same. A kind whose
//! context starts reading a document it does not declare fails here, before
//! a live preview serves a stale page.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::Input;
use crate::engine::BuildOptions;
use crate::engine::{Current, Engine};
use crate::model::Model;
use crate::output::Output;
use crate::render::{Inputs, Job, Renderer};

fn demo() -> Engine {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (engine, loaded) = Engine::load(BuildOptions {
        output: root.join("public"),
        root,
        base_url: None,
        drafts: false,
        future: false,
        freshness: false,
        dry_run: true,
        force: false,
        today: crate::date::Date::from_days(1_764_288_000 / 86_400),
    });
    assert!(loaded.is_ok(), "the demo site builds: {loaded:?}");
    engine
}

/// The documents a page may show: those it declares, and the documents
/// their data depends on (what the engine's data fingerprint covers).
/// `None` when the page declares the whole site or change log.
fn declared_docs(model: &Model, inputs: &[Input]) -> Option<HashSet<usize>> {
    let mut docs = HashSet::new();
    let mut add = |i: usize| {
        docs.insert(i);
        let d = &model.docs[i];
        if let Some(j) = d
            .superseded_by
            .as_ref()
            .and_then(|l| model.by_key.get(&l.target))
        {
            docs.insert(*j);
        }
        docs.extend(model.supersedes.get(&i).into_iter().flatten().copied());
    };
    for input in inputs {
        match input {
            Input::Doc(i) => add(*i),
            Input::Listing { shown, .. } => shown.iter().for_each(|&i| add(i)),
            Input::Lists => (0..model.docs.len())
                .filter(|&i| matches!(model.docs[i].typed, crate::content::Typed::List { .. }))
                .for_each(&mut add),
            Input::Everything | Input::ChangeLog => return None,
            Input::Sections(_) | Input::SubSections(_) | Input::Key(_) | Input::Counts => {}
        }
    }
    Some(docs)
}

/// One page rendered from `model` and `bodies`.
fn render(
    cur: &Current,
    model: &Model,
    bodies: &[crate::markdown::Rendered],
    job: &Job,
) -> Vec<u8> {
    let inputs = Inputs {
        model,
        bodies,
        section_bodies: &cur.section_bodies,
        theme: &cur.theme,
    };
    let out = Output::memory();
    let r = Renderer::new(&inputs, &Output::memory(), None).expect("renderer");
    let paths = r.render(std::slice::from_ref(job), &out).expect("render");
    let files = out.take();
    let (_, bytes) = files
        .into_iter()
        .find(|(p, _)| *p == paths[0])
        .expect("page");
    bytes
}

#[test]
fn pages_read_only_what_they_declare() {
    let engine = demo();
    let cur = engine.current().expect("built");
    let model = &cur.model;
    let jobs = Renderer::new(&cur.inputs(), &Output::memory(), None)
        .expect("renderer")
        .jobs();
    let mut checked = 0;
    for job in &jobs {
        let Some(declared) = declared_docs(model, &job.inputs(model)) else {
            continue;
        };
        let before = render(cur, model, &cur.bodies, job);
        let mut poisoned = (**model).clone();
        let mut bodies = (*cur.bodies).clone();
        for (j, body) in bodies.iter_mut().enumerate() {
            // Top-level pages are in the menu every page shows.
            if declared.contains(&j) || model.docs[j].section.is_empty() {
                continue;
            }
            let mut d = (*model.docs[j]).clone();
            d.title = format!("未声明 {}", d.title);
            d.summary = Some("未声明".into());
            poisoned.docs[j] = Arc::new(d);
            *body = crate::markdown::render("未声明", &std::collections::HashMap::new(), false);
        }
        let after = render(cur, &poisoned, &bodies, job);
        assert!(
            before == after,
            "{job:?} ({}) reads a document it does not declare",
            job.template(model)
        );
        checked += 1;
    }
    assert!(checked > 50, "only {checked} pages checked");
}
