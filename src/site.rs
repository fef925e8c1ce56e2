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
    let timer = Timer::new();
    let (mut engine, loaded) = Engine::load(opts.clone());
    let mut diags = match loaded {
        Ok(d) => d,
        Err(d) => return fail(d),
    };
    timer.lap("engine load");
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
    timer.lap("render and search");
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
    timer.lap("commit");
    sort(&mut diags);
    Report {
        notices,
        output_failure: None,
        documents: engine.current().map_or(0, |c| c.model.docs.len()),
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

/// Phase timings on stderr when `GONGSHI_TIMINGS` is set (for profiling).
struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
    cpu: std::cell::Cell<u64>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("GONGSHI_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
            cpu: std::cell::Cell::new(0),
        }
    }

    fn lap(&self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let cpu = cpu_ms();
            eprintln!(
                "  {what}: {} ms (cpu {} ms)",
                now.duration_since(self.last.get()).as_millis(),
                cpu.saturating_sub(self.cpu.get())
            );
            self.last.set(now);
            self.cpu.set(cpu);
        }
    }
}

/// The process's user + system time so far, in ms (Linux; 0 elsewhere).
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<u64>() * 10
}
