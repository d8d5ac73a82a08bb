//! The house has one shape (docs/architecture.md). Read with `syn`, every path the app's source
//! names (in `use` trees and in code) is resolved to the file it points into, and:
//! - a feature uses another feature only through that feature's `mod.rs`, its public face (the
//!   route table alone reaches the handlers it routes to);
//! - the files import each other without a circle.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

use syn::visit::Visit;

/// The feature folders; the other top-level modules are shared layers (web, db, access, ...).
const FEATURES: &[&str] = &[
    "account",
    "auth",
    "courses",
    "curricula",
    "dashboard",
    "demo",
    "enrollments",
    "facilities",
    "pricing",
    "programs",
    "reference_data",
    "students",
    "team",
    "users",
];

/// A source file and the module path it defines (`crate::courses::form`).
struct SourceFile {
    relative: String,
    module: Vec<String>,
}

fn source_files(root: &Path) -> Vec<SourceFile> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = root.join("src");
    let mut paths = Vec::new();
    walk(&src, &mut paths);
    paths
        .into_iter()
        .filter(|path| !path.ends_with("main.rs") || path.parent() != Some(src.as_path()))
        .map(|path| {
            let inner = path.strip_prefix(&src).unwrap().with_extension("");
            let mut module = vec!["crate".to_string()];
            module.extend(
                inner
                    .iter()
                    .map(|part| part.to_string_lossy().into_owned())
                    .filter(|part| part != "mod" && part != "lib"),
            );
            SourceFile {
                relative: path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                module,
            }
        })
        .collect()
}

/// Every `crate::`, `super::` and `self::` path a file names, made absolute.
#[derive(Default)]
struct Paths {
    /// The module the visitor is in (the file's, or an inline `mod` inside it).
    module: Vec<String>,
    /// Names brought in by `use` (`use crate::auth;` makes `auth::x` mean `crate::auth::x`).
    aliases: BTreeMap<String, Vec<String>>,
    /// The module path of every file, to read `use form::X` in a `mod.rs` as its child's.
    files: BTreeSet<Vec<String>>,
    /// The length of the file's own module path (inline modules are longer).
    files_module_len: usize,
    /// Whether the `use` being read is the file's `pub use`: a re-export, forwarding a name to
    /// the file that defines it rather than depending on it.
    forwarding: bool,
    found: BTreeSet<Vec<String>>,
    forwarded: BTreeSet<Vec<String>>,
    /// The file's re-exports: name to the path it forwards to.
    reexports: BTreeMap<String, Vec<String>>,
}

impl Paths {
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let mut base = self.module.clone();
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                base = vec!["crate".into()];
                rest = &rest[1..];
            }
            Some("self") => rest = &rest[1..],
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
            }
            Some(first) => {
                let mut child = base.clone();
                child.push(first.to_string());
                if !self.files.contains(&child) {
                    return None;
                }
            }
            None => return None,
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    fn add(&mut self, segments: &[String]) {
        if let Some(path) = self.absolute(segments) {
            if self.forwarding {
                self.forwarded.insert(path);
            } else {
                self.found.insert(path);
            }
        }
    }

    /// A path used in code: absolute, or starting with a name a `use` brought in.
    fn add_used(&mut self, segments: &[String]) {
        match segments.first().and_then(|first| self.aliases.get(first)) {
            Some(target) if segments.len() > 1 => {
                let mut path = target.clone();
                path.extend(segments[1..].iter().cloned());
                self.found.insert(path);
            }
            _ => self.add(segments),
        }
    }

    fn bind(&mut self, name: String, segments: &[String]) {
        if let Some(path) = self.absolute(segments) {
            if self.forwarding {
                self.reexports.insert(name.clone(), path.clone());
            }
            self.aliases.insert(name, path);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                if name == "self" {
                    self.add(prefix);
                    if let Some(last) = prefix.last().cloned() {
                        self.bind(last, &prefix.clone());
                    }
                } else {
                    prefix.push(name.clone());
                    self.add(prefix);
                    self.bind(name, &prefix.clone());
                    prefix.pop();
                }
            }
            syn::UseTree::Rename(r) => {
                let ident = r.ident.to_string();
                if ident != "self" {
                    prefix.push(ident);
                }
                self.add(prefix);
                self.bind(r.rename.to_string(), &prefix.clone());
                if r.ident != "self" {
                    prefix.pop();
                }
            }
            syn::UseTree::Glob(_) => self.add(prefix),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let top_level = self.module.len() == self.files_module_len;
        self.forwarding = top_level && !matches!(item.vis, syn::Visibility::Inherited);
        self.use_tree(&mut Vec::new(), &item.tree);
        self.forwarding = false;
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.module.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.module.pop();
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add_used(&segments);
        syn::visit::visit_path(self, path);
    }
}

/// The file a path points into: the longest module path that is a file.
fn file_of<'a>(path: &[String], files: &'a [SourceFile]) -> Option<&'a SourceFile> {
    files
        .iter()
        .filter(|file| path.starts_with(&file.module))
        .max_by_key(|file| file.module.len())
}

fn feature_of(file: &SourceFile) -> Option<&str> {
    file.module
        .get(1)
        .map(String::as_str)
        .filter(|top| FEATURES.contains(top))
}

fn is_public_face(file: &SourceFile) -> bool {
    file.relative.ends_with("/mod.rs") && file.module.len() == 2
}

fn is_handler_file(file: &SourceFile) -> bool {
    file.relative.ends_with("handlers.rs") || file.relative.contains("/handlers/")
}

/// What one file names: paths it depends on, paths it re-exports, and its re-exported names.
struct FileUses {
    found: BTreeSet<Vec<String>>,
    forwarded: BTreeSet<Vec<String>>,
    reexports: BTreeMap<String, Vec<String>>,
}

fn read_uses(root: &Path, files: &[SourceFile]) -> BTreeMap<String, FileUses> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let mut uses = BTreeMap::new();
    for file in files {
        let text = fs::read_to_string(root.join(&file.relative)).unwrap();
        let syntax = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.relative));
        let mut paths = Paths {
            module: file.module.clone(),
            files_module_len: file.module.len(),
            files: modules.clone(),
            ..Paths::default()
        };
        // Twice: the first visit learns the names `use` brings in, the second reads every path.
        paths.visit_file(&syntax);
        paths.found.clear();
        paths.forwarded.clear();
        paths.visit_file(&syntax);
        uses.insert(
            file.relative.clone(),
            FileUses {
                found: paths.found,
                forwarded: paths.forwarded,
                reexports: paths.reexports,
            },
        );
    }
    uses
}

/// The file that defines what `path` names, following re-exports (`pub use`) to their source.
fn defining_file<'a>(
    path: &[String],
    files: &'a [SourceFile],
    uses: &BTreeMap<String, FileUses>,
) -> Option<&'a SourceFile> {
    let mut path = path.to_vec();
    for _ in 0..16 {
        let file = file_of(&path, files)?;
        let rest = &path[file.module.len()..];
        let reexports = &uses[&file.relative].reexports;
        let Some(first) = rest.first() else {
            return Some(file);
        };
        let Some(target) = reexports.get(first).map(|target| {
            let mut next = target.clone();
            next.extend(rest[1..].iter().cloned());
            next
        }) else {
            return Some(file);
        };
        if target == path {
            return Some(file);
        }
        path = target;
    }
    None
}

/// From each file, the files it depends on (itself left out), through re-exports to the file that
/// defines each name.
fn import_graph(root: &Path, files: &[SourceFile]) -> BTreeMap<String, BTreeSet<String>> {
    let uses = read_uses(root, files);
    uses.iter()
        .map(|(from, file_uses)| {
            let targets = file_uses
                .found
                .iter()
                .filter_map(|path| defining_file(path, files, &uses))
                .filter(|target| &target.relative != from)
                .map(|target| target.relative.clone())
                .collect();
            (from.clone(), targets)
        })
        .collect()
}

/// From each file, the files its paths point into as written (a feature's `mod.rs` for what it
/// re-exports).
fn written_targets(root: &Path, files: &[SourceFile]) -> BTreeMap<String, BTreeSet<String>> {
    read_uses(root, files)
        .into_iter()
        .map(|(from, file_uses)| {
            let targets = file_uses
                .found
                .iter()
                .chain(&file_uses.forwarded)
                .filter_map(|path| file_of(path, files))
                .filter(|target| target.relative != from)
                .map(|target| target.relative.clone())
                .collect();
            (from, targets)
        })
        .collect()
}

#[test]
fn features_use_each_other_only_through_their_public_face() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = source_files(root);
    let by_name: BTreeMap<&str, &SourceFile> =
        files.iter().map(|f| (f.relative.as_str(), f)).collect();
    let mut offences = Vec::new();
    for (from, targets) in written_targets(root, &files) {
        let source = by_name[from.as_str()];
        for target in targets.iter().map(|t| by_name[t.as_str()]) {
            let Some(feature) = feature_of(target) else {
                continue;
            };
            let inside = feature_of(source) == Some(feature);
            let routed = source.relative == "src/routes.rs" && is_handler_file(target);
            if !inside && !routed && !is_public_face(target) {
                offences.push(format!("{from} -> {}", target.relative));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "files reaching into another feature past its mod.rs:\n{}",
        offences.join("\n")
    );
}

#[test]
fn no_file_imports_another_in_a_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = source_files(root);
    let graph = import_graph(root, &files);
    // Depth-first search keeping the path walked; a node met again on it closes a circle.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        walked: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        circles: &mut BTreeSet<String>,
    ) {
        if let Some(at) = walked.iter().position(|n| n == node) {
            let mut circle = walked[at..].to_vec();
            circle.push(node.to_string());
            circles.insert(circle.join(" -> "));
            return;
        }
        if !done.insert(node.to_string()) {
            return;
        }
        walked.push(node.to_string());
        for next in &graph[node] {
            visit(next, graph, walked, done, circles);
        }
        walked.pop();
    }
    let mut circles = BTreeSet::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(
        circles.is_empty(),
        "import circles between files:\n{}",
        circles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// A file that answers requests (an `async fn` returning an `HttpResponse`) and the statements it
/// runs: Diesel's `load`, `execute`, `get_result(s)` or `first` called with a connection.
#[derive(Default)]
struct HandlerFile {
    answers_requests: bool,
    function: String,
    statements: Vec<String>,
}

/// Whether a type names `HttpResponse`.
#[derive(Default)]
struct NamesResponse(bool);

impl<'ast> Visit<'ast> for NamesResponse {
    fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
        self.0 |= segment.ident == "HttpResponse";
        syn::visit::visit_path_segment(self, segment);
    }
}

impl<'ast> Visit<'ast> for HandlerFile {
    fn visit_signature(&mut self, sig: &'ast syn::Signature) {
        self.function = sig.ident.to_string();
        let mut names = NamesResponse::default();
        names.visit_return_type(&sig.output);
        self.answers_requests |= sig.asyncness.is_some() && names.0;
        syn::visit::visit_signature(self, sig);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let name = call.method.to_string();
        let runs = ["load", "execute", "get_result", "get_results", "first"];
        if runs.contains(&name.as_str()) && call.args.len() == 1 {
            self.statements
                .push(format!("{}: .{name}(..)", self.function));
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

#[test]
fn files_that_answer_requests_run_no_statement_of_their_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut offences = Vec::new();
    for file in source_files(root) {
        let text = fs::read_to_string(root.join(&file.relative)).unwrap();
        let mut handler = HandlerFile::default();
        handler.visit_file(&syn::parse_file(&text).unwrap());
        if handler.answers_requests {
            for statement in handler.statements {
                offences.push(format!("{}: {statement}", file.relative));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "statements in files that answer requests (they belong in the feature's model.rs):\n{}",
        offences.join("\n")
    );
}

/// Whether the file answers requests.
fn answers_requests(root: &Path, file: &SourceFile) -> bool {
    let text = fs::read_to_string(root.join(&file.relative)).unwrap();
    let mut handler = HandlerFile::default();
    handler.visit_file(&syn::parse_file(&text).unwrap());
    handler.answers_requests
}

#[test]
fn a_feature_opens_only_the_files_the_route_table_names() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = source_files(root);
    let mut offences = Vec::new();
    for face in files
        .iter()
        .filter(|f| f.relative.ends_with("/mod.rs") && feature_of(f).is_some())
    {
        let text = fs::read_to_string(root.join(&face.relative)).unwrap();
        for item in syn::parse_file(&text).unwrap().items {
            let syn::Item::Mod(module) = item else {
                continue;
            };
            if matches!(module.vis, syn::Visibility::Inherited) || module.content.is_some() {
                continue;
            }
            let mut path = face.module.clone();
            path.push(module.ident.to_string());
            let Some(file) = files.iter().find(|f| f.module == path) else {
                continue;
            };
            let folder = file.relative.ends_with("/mod.rs");
            if !folder && !answers_requests(root, file) {
                offences.push(format!("{}: pub mod {}", face.relative, module.ident));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "public files that answer no request (make them private and re-export what others use):\n{}",
        offences.join("\n")
    );
}
