//! The whole build, as a story: load → check → render → write, by the
//! build [`Engine`] run once.

use crate::diag::{Diagnostic, Severity};
pub use crate::engine::BuildOptions;
use crate::engine::{Engine, sort};
use crate::output::{self, Output};

/// What a finished build reports.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    pub files: usize,
    pub bytes: u64,
    /// Warnings (and, on failure, errors), sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Facts about the build worth telling (no git history, a shallow clone).
    pub notices: Vec<String>,
    /// The output could not be written or put in place.
    pub output_failure: Option<OutputFailure>,
}

/// Why a build whose content was fine did not replace the output.
#[derive(Debug)]
pub struct OutputFailure {
    /// One message for the whole failure (a full disk is one, not one per file).
    pub message: String,
    /// The previous output is exactly as it was.
    pub kept: bool,
}

impl Report {
    pub fn failed(&self) -> bool {
        self.output_failure.is_some()
            || self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
    }
}

/// Builds the site: the [`Engine`] run once from nothing, its outputs
/// written to a fresh folder that replaces the old one. On any error
/// nothing is written and the report lists every problem found.
pub fn build(opts: &BuildOptions) -> Report {
    let timer = crate::engine::Lap::new();
    let (mut engine, loaded) = Engine::load(opts.clone());
    let mut diags = match loaded {
        Ok(d) => d,
        Err(d) => return fail(d),
    };
    timer.at("engine load");
    let shown = opts.output.display().to_string();
    let out = if opts.dry_run {
        Output::dry()
    } else {
        // `gongshi build` checked the output already; this is for library
        // callers, and for a folder changed since.
        let begun = match output::target(&opts.root, &opts.output, opts.force) {
            Ok(t) => Output::begin(&t.real).map_err(|e| output::failure_message(&e, &shown)),
            Err(output::Refusal::Usage(m) | output::Refusal::Io(m)) => Err(m),
        };
        match begun {
            Ok(o) => o,
            Err(message) => return fail_output(diags, message, true),
        }
    };
    let rendered = engine.render_all(&out);
    if let Some(e) = out.exhausted() {
        // Every write after the first refused one failed the same way.
        let message = output::failure_message(e, &shown);
        diags.retain(|d| d.field != "输出");
        return fail_output(diags, message, true);
    }
    if let Err(errs) = rendered {
        diags.extend(errs);
        return fail(diags);
    }
    timer.at("render and search");
    let mut notices = engine.notices();
    let (files, bytes) = (out.files(), out.bytes());
    match out.commit() {
        Ok(None) => {}
        Ok(Some(e)) => notices.push(format!(
            "新网站已生成，但旧的输出没能删除（{e}）；下次生成时会再删除。"
        )),
        Err(c) => {
            let mut message = output::failure_message(&c.error, &shown);
            if let Some(old) = &c.moved_to {
                message.push_str(&format!(
                    "。原来的网站已移到 {}，请把它改名回 {shown}",
                    old.display()
                ));
            }
            return fail_output(diags, message, c.moved_to.is_none());
        }
    }
    timer.at("commit");
    sort(&mut diags);
    let documents = engine.current().map_or(0, |c| c.model.docs.len());
    // The process ends right after a build: freeing the model, the bodies
    // and every index one allocation at a time would take tens of
    // milliseconds, on one core, for memory the exit gives back at once.
    std::mem::forget(engine);
    Report {
        notices,
        output_failure: None,
        documents,
        files,
        bytes,
        diagnostics: diags,
    }
}

fn fail_output(diags: Vec<Diagnostic>, message: String, kept: bool) -> Report {
    Report {
        output_failure: Some(OutputFailure { message, kept }),
        ..fail(diags)
    }
}

fn fail(mut diags: Vec<Diagnostic>) -> Report {
    sort(&mut diags);
    Report {
        diagnostics: diags,
        ..Report::default()
    }
}
