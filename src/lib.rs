//! gongshi (公示): a static-site generator for what city law-enforcement
//! agencies must publish — lists of exempt and mitigated violations,
//! administrative guidance, exemplar cases and legal-risk warnings.
//!
//! The pipeline is load → render → write: [`config`] and [`content`] read
//! and validate the source tree, [`model`] indexes it, [`markdown`] and
//! [`render`] turn it into pages, [`output`] writes `public/` atomically.
//! [`site::build`] tells the whole story; [`cli`] is the command line.

pub mod cli;
mod cmd;
pub mod config;
pub mod confine;
pub mod content;
pub mod date;
mod deflate;
pub mod diag;
pub mod engine;
pub mod escape;
pub mod fs;
pub mod hash;
pub mod history;
pub mod import;
pub mod intern;
pub mod live;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod versions;
