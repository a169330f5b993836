//! The C ABI's contract, held in one place each: include/krjwt.h (generated from src/ffi) is the
//! source; docs/c-abi.md, the functions' names and panic boundary, and the PowerShell module's
//! copies (its ABI version, its `UserIdentityClaim` enum) are checked against it here. The module's
//! enums are checked against the header by tests/pester/Module.Tests.ps1.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// C text without comments, whitespace collapsed, `enum`/`struct` tags dropped (the header says
/// `enum KrStatus`, the documentation `KrStatus`: the same type in C with cbindgen's typedefs).
fn normalized(c: &str) -> String {
    let mut text = String::new();
    let mut rest = c;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..].split_once("*/").map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    // Preprocessor lines and line comments go; punctuation is spaced out so that tags are words.
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
        .replace('(', "( ")
        .replace(',', " ,");
    let words: Vec<&str> = text.split_whitespace().filter(|w| *w != "enum" && *w != "struct").collect();
    words.join(" ").replace("( ", "(").replace(" ,", ",").replace(" )", ")")
}

/// The function prototypes of a C text, by function name.
fn prototypes(c: &str) -> BTreeMap<String, String> {
    normalized(c)
        .split(';')
        .map(str::trim)
        .filter(|s| s.contains("kr_") && s.ends_with(')') && !s.starts_with('#') && !s.starts_with("typedef"))
        .filter_map(|s| {
            let s = s.rsplit_once(['{', '}']).map_or(s, |(_, after)| after).trim();
            let name = s[..s.find('(')?].rsplit([' ', '*']).next()?.to_string();
            name.starts_with("kr_").then(|| (name, s.to_string()))
        })
        .collect()
}

/// The prototypes of the ```c blocks of a Markdown text.
fn documented_prototypes(markdown: &str) -> BTreeMap<String, String> {
    let blocks: Vec<&str> = markdown.split("```").collect();
    let code: String = blocks.iter().skip(1).step_by(2).filter_map(|b| b.strip_prefix("c\n")).collect::<Vec<_>>().join("\n");
    prototypes(&code)
}

/// The members of a C enum of the header: `KR_STATUS_OK = 0` gives ("OK", 0).
fn header_enum(header: &str, prefix: &str) -> Vec<(String, i64)> {
    header
        .lines()
        .filter_map(|l| l.trim().strip_prefix(prefix))
        .filter_map(|l| {
            let (name, value) = l.trim_end_matches(',').split_once(" = ")?;
            Some((name.to_string(), value.parse().ok()?))
        })
        .collect()
}

/// The rows of the Markdown table under `heading`: (value, name) from `| 0 | OK | ... |`.
fn documented_table(markdown: &str, heading: &str) -> Vec<(i64, String)> {
    let section = markdown.split(heading).nth(1).unwrap_or_else(|| panic!("docs/c-abi.md has no section {heading}"));
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            Some((cells.get(1)?.parse().ok()?, cells.get(2)?.to_string()))
        })
        .collect()
}

/// `KeySetUnavailable` as the header spells it: `KEY_SET_UNAVAILABLE`.
fn screaming(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[test]
fn every_documented_prototype_is_the_header_s_and_every_function_is_documented() {
    let header = prototypes(&read("include/krjwt.h"));
    let documented = documented_prototypes(&read("docs/c-abi.md"));
    assert!(header.len() > 40, "the header parse found too few functions: {header:?}");
    for (name, prototype) in &documented {
        let exported = header.get(name).unwrap_or_else(|| panic!("docs/c-abi.md documents {name}, which include/krjwt.h does not export"));
        assert_eq!(prototype, exported, "docs/c-abi.md and include/krjwt.h disagree on {name}");
    }
    let undocumented: Vec<&String> = header.keys().filter(|name| !documented.contains_key(*name)).collect();
    assert!(undocumented.is_empty(), "docs/c-abi.md does not document {undocumented:?}");
}

#[test]
fn statuses_and_reasons_are_documented_with_their_numbers_and_retired_numbers_stay_free() {
    let header = read("include/krjwt.h");
    let doc = read("docs/c-abi.md");
    let statuses = header_enum(&header, "KR_STATUS_");
    let table = documented_table(&doc, "## Status codes (`KrStatus`)");
    let retired: Vec<i64> = table.iter().filter(|(_, name)| name.starts_with("retired")).map(|(value, _)| *value).collect();
    assert_eq!(retired, [8, 10], "the retired statuses");
    let live: Vec<(String, i64)> = table.iter().filter(|(_, name)| !name.starts_with("retired")).map(|(v, n)| (n.clone(), *v)).collect();
    assert_eq!(statuses, live, "include/krjwt.h and the status table of docs/c-abi.md");
    for (name, value) in &statuses {
        assert!(!retired.contains(value), "KR_STATUS_{name} reuses the retired number {value}");
    }

    let reasons = header_enum(&header, "KR_REASON_");
    let table = documented_table(&doc, "## Validation reasons (`KrReason`)");
    let documented: Vec<(String, i64)> = table.iter().map(|(v, n)| (screaming(n), *v)).collect();
    assert_eq!(reasons, documented, "include/krjwt.h and the reason table of docs/c-abi.md");
    let core: Vec<(String, i64)> = krjwt::Reason::ALL.iter().zip(0..).map(|(r, i)| (screaming(r.name()), i)).collect();
    assert_eq!(reasons, core, "the header's reasons are the core's, in order");
}

/// Every Rust source text of src/, whitespace removed, by path.
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, found: &mut Vec<(PathBuf, String)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                // Without whitespace: a call may span lines.
                let text: String = fs::read_to_string(&path).unwrap().split_whitespace().collect();
                found.push((path, text));
            }
        }
    }
    let mut found = Vec::new();
    walk(&repo("src"), &mut found);
    found
}

#[test]
fn every_status_is_produced_somewhere() {
    let sources = sources();
    let error_rs = read("src/error.rs");
    // A status is produced by the C ABI itself (`Failure::new(KrStatus::X, ...)`, the panic
    // boundary) or by a core error of the kind it maps (`Error::x(...)` / `ErrorKind::X` used
    // outside src/error.rs and the mapping).
    for (name, _) in header_enum(&read("include/krjwt.h"), "KR_STATUS_") {
        let pascal: String = name.split('_').map(|w| w[..1].to_string() + &w[1..].to_lowercase()).collect();
        if pascal == "Ok" {
            continue;
        }
        let direct = format!("Failure::new(KrStatus::{pascal}");
        let panicked = format!("set_last_error(KrStatus::{pascal}");
        let kind = format!("ErrorKind::{pascal}");
        let constructor = error_rs
            .split("pub fn ")
            .skip(1)
            .find(|f| f.contains(&format!("Self::new({kind},")))
            .map(|f| format!("Error::{}(", &f[..f.find('(').unwrap()]));
        let produced = sources.iter().any(|(path, text)| {
            let elsewhere = !path.ends_with("src/error.rs") && !path.ends_with("src/ffi/mod.rs");
            text.contains(&direct) || text.contains(&panicked) || (elsewhere && constructor.as_ref().is_some_and(|c| text.contains(c)))
        });
        assert!(produced, "nothing produces KR_STATUS_{name}: produce it or retire its number (docs/c-abi.md)");
    }
}

/// Verbs an exported function's name may carry (docs/c-abi.md, "Names").
const VERBS: [&str; 20] = [
    "new", "free", "clone", "import", "describe", "export", "get", "set", "add", "sign", "verify", "encrypt", "decrypt", "inspect", "check",
    "validate", "build", "renew", "read", "compute",
];
/// The handshake: their names never change, so that any host can tell a library it cannot use.
const HANDSHAKE: [&str; 2] = ["kr_abi_version", "kr_version"];

/// The exported functions of src/ffi with the first statement of their body.
fn exported_functions() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in fs::read_dir(repo("src/ffi")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split("extern \"C\" fn ").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let body = part[part.find('{').unwrap() + 1..].trim_start();
            found.push((name, body.chars().take(12).collect()));
        }
    }
    found.sort();
    found
}

#[test]
fn exported_functions_are_named_with_verbs_and_run_inside_the_panic_boundary() {
    let functions = exported_functions();
    let header = prototypes(&read("include/krjwt.h"));
    assert_eq!(functions.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), header.keys().cloned().collect::<Vec<_>>());
    for (name, body) in &functions {
        assert!(
            ["guard(", "shield(", "mutate("].iter().any(|boundary| body.starts_with(boundary)),
            "{name} does not run its body through guard, shield or mutate (it starts with {body:?})"
        );
        let words: Vec<&str> = name.trim_start_matches("kr_").split('_').collect();
        assert!(HANDSHAKE.contains(&name.as_str()) || words.iter().any(|w| VERBS.contains(w)), "{name} has no verb");
    }
}

#[test]
fn the_module_expects_the_header_s_abi_version() {
    let header = read("include/krjwt.h");
    let version = header.lines().find_map(|l| l.strip_prefix("#define KRJWT_ABI_VERSION ")).unwrap().trim().to_string();
    let module = read("powershell/src/Native/ModuleInitializer.cs");
    assert!(module.contains(&format!("internal const uint ExpectedVersion = {version};")), "AbiCheck.ExpectedVersion is not {version}");
}

#[test]
fn the_module_s_user_identity_claims_are_the_library_s_table() {
    let source = read("powershell/src/Model/UserIdentityClaim.cs");
    let members: Vec<(String, usize)> = source
        .lines()
        .filter_map(|l| {
            let (name, value) = l.trim().trim_end_matches(',').split_once(" = ")?;
            Some((name.to_string(), value.parse().ok()?))
        })
        .collect();
    let table: Vec<(String, usize)> = krjwt::claims::user_claim_types().zip(0..).map(|(c, i)| (c.member.to_string(), i)).collect();
    assert_eq!(members, table, "powershell/src/Model/UserIdentityClaim.cs and the claim-type table of src/claims.rs");
}

#[test]
fn the_parsers_read_what_they_check() {
    let c = "/** doc */\nenum KrStatus kr_a(const struct KrKey *key,\n    char **out);\n#define X 1\nvoid kr_b(void); /* why */";
    let found = prototypes(c);
    assert_eq!(found["kr_a"], "KrStatus kr_a(const KrKey *key, char **out)");
    assert_eq!(found["kr_b"], "void kr_b(void)");
    assert_eq!(documented_prototypes("text\n```c\nKrStatus kr_a(const KrKey *key, char **out);   /* note */\n```\n")["kr_a"], found["kr_a"]);
    assert_eq!(screaming("KeySetUnavailable"), "KEY_SET_UNAVAILABLE");
    assert_eq!(
        documented_table("## T\n\n| v | n |\n|---|---|\n| 0 | OK | x |\n| 8 | retired: IO | y |\n\nafter", "## T"),
        [(0, "OK".into()), (8, "retired: IO".into())]
    );
}
