//! Source text as data, below both `site.toml` ([`crate::config`]) and
//! `content/` ([`crate::content`]): front matter split from the body and
//! parsed (TOML or YAML, with positions), and typed field reading with
//! located, Chinese errors.

pub mod fields;
pub mod frontmatter;
