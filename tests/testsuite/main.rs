//! The integration tests: fixture sites from `tests/fixtures/` built with the
//! real `gongshi` binary, checked through their files, exit codes and
//! messages. See `harness.rs` for how a test drives a site, and README.md
//! for how to add a test or accept a changed snapshot.

mod harness;
// Small genuine PDF files (the demo's attachment among them).
mod pdf;

// A list item in plain words: 一句话说明, conditions to tick, the
// industries an item applies to.
mod answers;

// The site under a sub-path (`base_url = "https://…/zhifa/"`): every link in
// every page stays below it; `build --base-url` overrides `site.toml`.
mod base_url;
// The command line itself: usage errors (exit 2), Chinese help, `init`, `new`.
mod cli;
// `gongshi check`: writes nothing, reports what `build` reports, and its
// `--format json` and `--format github` outputs.
mod check;
// Open data: list JSON/CSV/XLSX, the catalog, the schema, the data page.
mod data;
// What a document page shows: item anchors, risk checklists, the official
// document header (索引号, 文号, Chinese dates), government meta tags, YAML
// and BOM+CRLF sources, plain pages with extra keys.
mod documents;
// Each class of content error: the exact stderr (`path:line:col: field:
// message` + `  提示:`), exit code 1, every broken file in one run.
mod errors;
// Git as a data source: revision history, dates, minor revisions, shallow
// clones, trees without git.
mod history;
// The home page: its ways in (industries, districts, agencies, guidance
// methods, 暂无 terms) and 更新动态 block; the footer link and sitemap entry
// of the changes page.
mod home;
// `gongshi import`: XLSX, CSV (GB18030) and DOCX tables made by the tests,
// revisions that keep ids, malformed input that writes nothing.
mod import;
// The live preview's incremental builds: random edit sequences equal clean
// builds byte for byte; a broken edit keeps the last good site.
mod live;
// Hostile and broken input: huge and deeply nested sources, symlinks,
// unsafe slugs, injected markup in HTML, feeds and JSON; failed builds keep
// `public/`.
mod hostile;
// 行政调解 pages from `[disputes]`, agencies' contact details on their
// documents.
mod mediation;
// Attachments (附件): copied byte for byte beside the page, listed with type
// and size, in the open data; every refused path, type or file located.
mod attachments;
// Answering back: the feedback block from `[feedback]`, 政府网站找错.
mod feedback;
// Annual reports (`reports/`): the figures table, the pages by year and by
// agency, feed, sitemap, search and open data; figures errors, one report
// per agency and year.
mod reports;
// Markdown bodies: sanitizing, unsafe links, literal `{{ }}`, extensions,
// heading ids.
mod markdown;
// Writing `public/`: byte-for-byte reproducible builds, a failed build
// leaving the previous site untouched, no staging folders left behind.
mod output;
// 执法公示情况: every agency's counts and dates on a fixture where every
// number is known, the 12-month revision mark, the CSV, the catalog.
mod record;
// `gongshi serve` over real sockets: traversal, HEAD, ETag, MIME, 404,
// pipelining, the Host check, live reload events, the error overlay's data,
// `--bind`, 200 connections, 600 event streams against the cap.
mod serve;
// The search index in `public/search/`: files, gzip copies,
// reproducibility, records for list items and risk points, sharding,
// synonyms.toml and `[search]` hot words.
mod search;
// 尚未施行 / 现行有效 / 已失效 from effective, expires, superseded_by,
// valid_until and the build date.
mod status;
// Template overrides (site `templates/`, `themes/<name>/templates/`) and
// template errors.
mod templates;
// The public URL contract: documents, sections, registries, feeds, site
// files, search and pagination.
mod urls;
