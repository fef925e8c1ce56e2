//! Embeds the built-in theme (`themes/default/`) into the binary, so a site
//! works with no themes folder at all.

use std::fmt::Write as _;
use std::path::Path;

fn collect(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect(&p, base, out);
        } else if let Ok(rel) = p.strip_prefix(base) {
            let name = rel.to_string_lossy().replace('\\', "/");
            if !name.starts_with('.') {
                out.push((
                    name,
                    p.canonicalize()
                        .unwrap_or(p.clone())
                        .to_string_lossy()
                        .into_owned(),
                ));
            }
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut code = String::new();
    for (kind, sub, macro_name, ty) in [
        ("TEMPLATES", "templates", "include_str", "str"),
        ("STATIC", "static", "include_bytes", "[u8]"),
    ] {
        let dir = root.join(sub);
        let mut files = Vec::new();
        collect(&dir, &dir, &mut files);
        for (_, p) in &files {
            println!("cargo:rerun-if-changed={p}");
        }
        let _ = writeln!(code, "/// Built-in theme {sub}: (path, contents).");
        let _ = writeln!(code, "pub(crate) static {kind}: &[(&str, &{ty})] = &[");
        for (name, p) in files {
            let _ = writeln!(code, "    ({name:?}, {macro_name}!({p:?})),");
        }
        let _ = writeln!(code, "];");
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("theme.rs");
    std::fs::write(out, code).expect("write theme.rs");
}
