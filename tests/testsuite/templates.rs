//! The built-in theme is overridden one file at a time, from the site's
//! `templates/` or `themes/<theme>/templates/`; an override changes only
//! the pages that use it, and a broken template fails the build naming it.

use crate::harness::{Site, tree};

const THEME_GOV: (&str, &str) = (
    "language = \"zh-CN\"",
    "language = \"zh-CN\"\ntheme = \"gov\"",
);

/// Paths whose bytes differ between two builds of `public/`.
fn changed(a: &Site, b: &Site) -> Vec<String> {
    let (ta, tb) = (tree(&a.path("public")), tree(&b.path("public")));
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "the same files are built"
    );
    ta.iter()
        .filter(|(k, v)| tb.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

#[test]
fn site_template_overrides_only_its_pages() {
    let plain = Site::fixture("minimal");
    plain.build();
    let custom = Site::fixture("minimal").overlay("template-override");
    custom.build();
    // page.html renders plain pages, and only those.
    assert_eq!(changed(&plain, &custom), ["about/site-guide/index.html"]);
    custom
        .file_contains(
            "public/about/site-guide/index.html",
            "<article class=\"site-page-override\">",
        )
        // extra front-matter keys of plain pages reach the template
        .file_contains(
            "public/about/site-guide/index.html",
            "<p class=\"menu-icon\">info</p>",
        )
        // the override still extends the built-in base.html
        .file_contains(
            "public/about/site-guide/index.html",
            "<meta name=\"ArticleTitle\" content=\"网站使用说明\">",
        );
}

#[test]
fn theme_template_overrides_only_its_pages() {
    let plain = Site::fixture("minimal");
    plain.build();
    let themed = Site::fixture("minimal").overlay("theme-override").edit(
        "site.toml",
        THEME_GOV.0,
        THEME_GOV.1,
    );
    themed.build();
    assert_eq!(changed(&plain, &themed), ["cases/2025-bakery/index.html"]);
    themed.file_contains(
        "public/cases/2025-bakery/index.html",
        "<p class=\"case-year\">2025年度案例，当场整改，未予处罚</p>",
    );
}

#[test]
fn theme_folder_is_ignored_unless_selected() {
    let plain = Site::fixture("minimal");
    plain.build();
    let unselected = Site::fixture("minimal").overlay("theme-override");
    unselected.build();
    assert_eq!(changed(&plain, &unselected), Vec::<String>::new());
}

#[test]
fn site_templates_win_over_the_theme() {
    let site = Site::fixture("minimal")
        .overlay("theme-override")
        .edit("site.toml", THEME_GOV.0, THEME_GOV.1)
        .file(
            "templates/cases.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"site-wins\">{{ doc.title }}</p>{% endblock main %}",
        );
    site.build();
    site.file_contains("public/cases/2025-bakery/index.html", "class=\"site-wins\"")
        .file_lacks("public/cases/2025-bakery/index.html", "gov-theme-case");
}

#[test]
fn partial_override_applies_everywhere_it_is_included() {
    let site = Site::fixture("minimal").file(
        "templates/partials/status.html",
        "<span class=\"my-status\">{{ status.label }}</span>",
    );
    site.build();
    site.file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "<span class=\"my-status\">现行有效</span>",
    )
    .file_contains(
        "public/lists/index.html",
        "<span class=\"my-status\">已失效</span>",
    );
}

#[test]
fn missing_theme_folder_is_an_error() {
    let site = Site::fixture("minimal").edit("site.toml", THEME_GOV.0, THEME_GOV.1);
    let run = site.run(&["build"]).failure();
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn missing_theme_folder_points_at_the_theme_key() {
    let site = Site::fixture("minimal").edit("site.toml", THEME_GOV.0, THEME_GOV.1);
    let run = site.run(&["build"]).failure();
    assert!(
        run.stderr.starts_with("site.toml:4:1: theme: "),
        "{}",
        run.stderr
    );
}

#[test]
fn template_syntax_error_names_the_template() {
    let site = Site::fixture("minimal").file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ doc.title </p>\n{% endblock main %}\n",
    );
    let run = site.run(&["build"]).failure();
    site.file_missing("public");
    insta::assert_snapshot!(run.stderr);
    assert!(
        run.stderr.starts_with("templates/page.html:"),
        "{}",
        run.stderr
    );
}

#[test]
fn theme_template_syntax_error_names_the_template() {
    let site = Site::fixture("minimal")
        .overlay("theme-override")
        .edit("site.toml", THEME_GOV.0, THEME_GOV.1)
        .edit(
            "themes/gov/templates/cases.html",
            "{{ doc.outcome }}",
            "{{ doc.outcome ",
        );
    let run = site.run(&["build"]).failure();
    assert!(
        run.stderr.starts_with("themes/gov/templates/cases.html:"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_render_error_names_the_document_and_template() {
    let site = Site::fixture("minimal").file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ doc.no_such_field.x }}</p>\n{% endblock main %}\n",
    );
    let run = site.run(&["build"]).failure();
    site.file_missing("public");
    assert!(
        run.stderr.starts_with(
            "templates/page.html:3:11: 模板: 模板错误（渲染 content/about/site-guide.md 时）："
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no_such_field"), "{}", run.stderr);
}

#[test]
fn syntax_error_beside_extends_is_blamed_on_the_right_file() {
    let site = Site::fixture("minimal").file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ doc.title }\n{% endblock main %}\n",
    );
    let run = site.run(&["build"]).failure();
    assert!(
        run.stderr.starts_with("templates/page.html:"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_syntax_error_is_located() {
    let site = Site::fixture("minimal").file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ doc.title </p>\n{% endblock main %}\n",
    );
    let run = site.run(&["build"]).failure();
    assert!(
        run.stderr.starts_with("templates/page.html:3:17: "),
        "{}",
        run.stderr
    );
}

#[test]
fn site_static_files_override_the_theme() {
    let site = Site::fixture("minimal").file("static/favicon.svg", "<svg id=\"mine\"/>");
    site.build();
    site.file_contains("public/favicon.svg", "<svg id=\"mine\"/>");
}
