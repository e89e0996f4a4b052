//! One error vocabulary: PROTOCOL.md's error table (§10) and `ErrorCode` hold the same codes.

use std::collections::BTreeSet;

use baton_engine::engine::ErrorCode;

/// Every `` `code` `` in the first column of the table under "## 10. Errors".
fn documented() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../PROTOCOL.md");
    let text = std::fs::read_to_string(path).expect("PROTOCOL.md");
    let section = text.split("\n## 10. Errors\n").nth(1).expect("section 10");
    let table = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2);
    let mut codes = BTreeSet::new();
    for row in table {
        let cell = row.split('|').nth(1).expect("a first column");
        for (i, part) in cell.split('`').enumerate() {
            if i % 2 == 1 {
                codes.insert(part.to_owned());
            }
        }
    }
    codes
}

#[test]
fn the_protocol_documents_every_code_and_no_other() {
    let documented = documented();
    let enumerated: BTreeSet<String> =
        ErrorCode::ALL.iter().map(|c| c.as_str().to_owned()).collect();
    assert!(documented.len() >= 18, "the table was not found: {documented:?}");
    assert_eq!(
        documented.difference(&enumerated).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in PROTOCOL.md but not ErrorCode"
    );
    assert_eq!(
        enumerated.difference(&documented).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in ErrorCode but not PROTOCOL.md"
    );
}
