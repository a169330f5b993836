//! The core's structure, checked: its top-level modules form the layers declared below (every
//! import goes to a lower layer, so no cycle can form), only the C ABI has FFI constructs, and the
//! code speaks of the library's concepts, never of PowerShell cmdlets or their parameters.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The top-level modules of src/, bottom to top. A module may use the modules of lower layers
/// only; modules of one layer are independent of each other.
const LAYERS: &[&[&str]] = &[
    &["error", "refusal"],
    &["b64", "json", "members", "time"],
    &["algorithms", "claims"],
    &["keys"],
    &["jws", "jwe"],
    &["token"],
    &["validation"],
    &["build_result", "inspect"],
    &["builder"],
    &["discovery"],
    &["ffi"],
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn source_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn all_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    source_files(&src(), &mut files);
    files.sort();
    files
}

/// The top-level module a file belongs to: `src/jws.rs` and `src/jwe/rsa.rs` give `jws` and
/// `jwe`; `src/lib.rs`, the crate root, belongs to none.
fn top_module(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src()).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib").then_some(name)
}

/// How deep a file's module is below the crate root: `src/jws.rs` and `src/jwe/mod.rs` are 1,
/// `src/jwe/rsa.rs` is 2. As many `super::` lead from it to the crate root.
fn module_depth(file: &Path) -> usize {
    let relative = file.strip_prefix(src()).unwrap();
    let parts = relative.components().count();
    if file.file_name().is_some_and(|n| n == "mod.rs") {
        parts - 1
    } else {
        parts
    }
}

/// What the code keeps of a Rust source text: comments go (a doc comment naming `crate::x` is no
/// dependency), string and character literals are kept whole (a `//` inside a string is no
/// comment, and `deserialize_with = "crate::json::..."` is a dependency). With `blank_strings`,
/// the insides of string literals are blanked too, for checks about code alone.
fn code_of(text: &str, blank_strings: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' || (c == 'r' && matches!(next, Some('"' | '#')) && !is_ident_char(chars.get(i.wrapping_sub(1)).copied())) {
            i = copy_string(&chars, i, &mut code, blank_strings);
        } else if c == '\'' {
            // A character literal ('x', '\n', '\''), or a lifetime ('a), which has no closing quote.
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&j| chars[j] == '\'')
            } else {
                (chars.get(i + 2) == Some(&'\'')).then_some(i + 2)
            };
            match end {
                Some(end) => {
                    code.extend(&chars[i..=end]);
                    i = end + 1;
                }
                None => {
                    code.push(c);
                    i += 1;
                }
            }
        } else {
            code.push(c);
            i += 1;
        }
    }
    code
}

fn is_ident_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Copies the string literal starting at `start` (plain or raw) into `code`; returns where it ends.
fn copy_string(chars: &[char], start: usize, code: &mut String, blank: bool) -> usize {
    let mut i = start;
    let raw = chars[i] == 'r';
    if raw {
        i += 1;
    }
    let hashes = chars[i..].iter().take_while(|c| **c == '#').count();
    i += hashes + 1; // the opening quote
    code.extend(&chars[start..i]);
    while i < chars.len() {
        let c = chars[i];
        if !raw && c == '\\' {
            if !blank {
                code.extend(&chars[i..(i + 2).min(chars.len())]);
            }
            i += 2;
            continue;
        }
        if c == '"' && chars[i + 1..].iter().take(hashes).filter(|h| **h == '#').count() == hashes {
            code.extend(&chars[i..i + 1 + hashes]);
            return i + 1 + hashes;
        }
        if !blank || c == '\n' {
            code.push(c);
        }
        i += 1;
    }
    i
}

/// The top-level modules a piece of code names: after `crate::`, including each member of a
/// `crate::{a, b::c}` group, and after as many `super::` as lead from a module `depth` deep to
/// the crate root.
fn crate_references(code: &str, depth: usize) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let chars: Vec<char> = code.chars().collect();
    let text: String = chars.iter().collect();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let (skip, root) = if rest.starts_with("crate::") && !is_ident_char(text[..at].chars().last()) {
            ("crate::".len(), true)
        } else if rest.starts_with("super::") && !is_ident_char(text[..at].chars().last()) && depth > 0 {
            let supers = rest.match_indices("super::").take_while({
                let mut expected = 0;
                move |(i, _)| {
                    let ok = *i == expected;
                    expected += "super::".len();
                    ok
                }
            });
            let count = supers.count();
            (count * "super::".len(), count >= depth)
        } else {
            (rest.chars().next().map_or(1, char::len_utf8), false)
        };
        at += skip;
        if !root {
            continue;
        }
        let rest = &text[at..];
        if let Some(group) = rest.strip_prefix('{') {
            names.extend(group_heads(group));
        } else {
            let name: String = rest.chars().take_while(|c| is_ident_char(Some(*c))).collect();
            names.insert(name);
        }
    }
    names
}

/// The first path segment of each member of a `{...}` use group (`group` starts after the brace).
fn group_heads(group: &str) -> BTreeSet<String> {
    let mut heads = BTreeSet::new();
    let (mut depth, mut item_start, mut current) = (1, true, String::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            break;
        }
        if is_ident_char(Some(c)) {
            if item_start {
                current.push(c);
            }
            continue;
        }
        // Anything else ends the member's first segment; a comma at the group's level starts the next.
        if !current.is_empty() {
            heads.insert(std::mem::take(&mut current));
            item_start = false;
        }
        if c == ',' && depth == 1 {
            item_start = true;
        } else if !c.is_whitespace() {
            item_start = false;
        }
    }
    if !current.is_empty() {
        heads.insert(current);
    }
    heads
}

/// Edges `from -> to` between distinct top-level modules.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = all_files();
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from) = top_module(file) else { continue };
        let code = code_of(&fs::read_to_string(file).unwrap(), false);
        let targets = graph.entry(from.clone()).or_default();
        for to in crate_references(&code, module_depth(file)) {
            if to != from && modules.contains(&to) {
                targets.insert(to);
            }
        }
    }
    graph
}

/// A cycle, if the graph has one, as the list of modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn top_level_modules_import_each_other_in_no_circle() {
    let graph = module_graph();
    assert!(graph.len() > 10, "the check found too few modules to mean anything: {graph:?}");
    assert!(graph.values().map(BTreeSet::len).sum::<usize>() > 20, "the check found too few imports to mean anything: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("the core's modules import each other in a circle: {}", cycle.join(" -> "));
    }
}

#[test]
fn every_module_has_its_layer_and_imports_only_from_below() {
    let graph = module_graph();
    for module in graph.keys() {
        assert!(layer_of(module).is_some(), "src/{module} is in no layer: add it to LAYERS in tests/module_layers.rs");
    }
    for declared in LAYERS.iter().flat_map(|layer| layer.iter()) {
        assert!(graph.contains_key(*declared), "LAYERS names {declared}, which src/ does not have");
    }
    let mut wrong = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            if layer_of(to) >= layer_of(from) {
                wrong.push(format!("{from} (layer {}) uses {to} (layer {})", layer_of(from).unwrap(), layer_of(to).unwrap()));
            }
        }
    }
    assert!(wrong.is_empty(), "imports that do not go down the layers:\n  {}", wrong.join("\n  "));
}

#[test]
fn only_the_c_abi_has_ffi_constructs() {
    let constructs = ["extern \"C\"", "no_mangle", "unsafe", "repr(C)", "std::ffi", "c_char", "*const ", "*mut ", "CString", "CStr"];
    for file in all_files() {
        if top_module(&file).as_deref() == Some("ffi") {
            continue;
        }
        let code = code_of(&fs::read_to_string(&file).unwrap(), true);
        for construct in constructs {
            assert!(!code.contains(construct), "{} has {construct}: only src/ffi may", file.display());
        }
    }
    let graph = module_graph();
    for (from, targets) in &graph {
        assert!(from == "ffi" || !targets.contains("ffi"), "the core module {from} imports the C ABI");
    }
}

/// Words of PowerShell in a text: cmdlet names (`Verb-KrNoun`), parameters (` -Name`), the
/// module's types and error ids (`KrStatus`, `KrJwt.InvalidKey`), and PowerShell itself.
fn powershell_words(text: &str, outside_ffi: bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let word_at = |start: usize| -> String { chars[start..].iter().take_while(|c| c.is_alphanumeric() || **c == '_').collect() };
    let mut found = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let before = if i == 0 { ' ' } else { chars[i - 1] };
        if *c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_uppercase) {
            let word = word_at(i + 1);
            // A parameter: -Name after a space, quote or parenthesis, in PascalCase (not -HS256, -ES).
            let pascal = word.len() > 2 && word.chars().skip(1).any(|c| c.is_ascii_lowercase());
            if matches!(before, ' ' | '(' | '\'' | '"' | '`') && pascal {
                found.push(format!("-{word}"));
            }
            // A cmdlet: Verb-KrNoun.
            if word.starts_with("Kr") && before.is_ascii_lowercase() {
                found.push(format!("...-{word}"));
            }
        }
        if *c == 'K' && chars.get(i + 1) == Some(&'r') && chars.get(i + 2).is_some_and(char::is_ascii_uppercase) && !is_ident_char(Some(before)) {
            let word = word_at(i);
            let error_id = word == "KrJwt" && chars.get(i + 5) == Some(&'.') && chars.get(i + 6).is_some_and(char::is_ascii_uppercase);
            if error_id || (outside_ffi && word != "KrJwt") {
                found.push(word);
            }
        }
    }
    let lower = text.to_lowercase();
    for word in ["powershell", "cmdlet", "pester"] {
        if lower.contains(word) {
            found.push(word.into());
        }
    }
    found
}

#[test]
fn the_code_names_no_cmdlet_parameter_or_module_type() {
    for file in all_files() {
        let text = fs::read_to_string(&file).unwrap();
        let outside_ffi = top_module(&file).as_deref() != Some("ffi");
        let words = powershell_words(&text, outside_ffi);
        assert!(
            words.is_empty(),
            "{} speaks PowerShell ({}): messages and comments speak of the library's concepts (issuer, lifetime, \
             signing key, JWK Set); the module adds cmdlet advice where it maps a status to an ErrorRecord",
            file.display(),
            words.join(", ")
        );
    }
}

#[test]
fn the_checks_see_what_they_look_for() {
    let code =
        code_of("use crate::{a::B, b, c::{d, e}};\n// crate::x\nlet u = \"https://h//\"; let x = crate::f::g(); let s = \"crate::h::i\";", false);
    let names = crate_references(&code, 1);
    assert_eq!(names.into_iter().collect::<Vec<_>>(), ["a", "b", "c", "f", "h"]);
    assert_eq!(crate_references("use super::super::keys::Key; use super::header;", 2).into_iter().collect::<Vec<_>>(), ["keys"]);
    assert!(crate_references("use super::header;", 2).is_empty(), "super:: inside a module stays inside it");
    assert_eq!(code_of("let c = '\"'; let l: &'a str = \"x\"; // crate::z", true), "let c = '\"'; let l: &'a str = \"\"; ");
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_cycle(&graph), Some(vec!["a".into(), "b".into(), "a".into()]));
    assert_eq!(
        powershell_words("use Protect-KrJWT first; give -JwkJson or (-Minutes 30); KrJwt.InvalidKey; KrStatus; RSA-OAEP -HS256 KrJwt", true),
        ["...-KrJWT", "KrJWT", "-JwkJson", "-Minutes", "KrJwt", "KrStatus"]
    );
    assert!(powershell_words("ECDH-ES+A128KW, A128CBC-HS256, -----BEGIN, e = -1, KrJwt accepts", true).is_empty());
}
