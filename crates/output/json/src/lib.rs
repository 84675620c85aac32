//! The JSON contract `jixiao/1`: writer, reader and JSON Schema.
//!
//! The contract is the serde form of [`jixiao_model::Document`] (see `DESIGN.md`). Field names
//! are fixed; fields may be added. Numbers keep the digits of their source: an amount written
//! `3.90` is the JSON number `3.90`, never `3.9` or `3.8999999`. Every object carries a
//! `location` (file, sheet, cell, line, column) so that a diagnostic from a later run on the
//! JSON still points at the cell a clerk must fix.
//!
//! ```
//! use jixiao_model::{Document, Funds, Project, Decimal};
//! use std::str::FromStr;
//! let mut doc = Document::default();
//! doc.projects.push(Project {
//!     funds: Funds { total: Some(Decimal::from_str("3.90").unwrap()), ..Funds::default() },
//!     ..Project::default()
//! });
//! let text = jixiao_json::to_string(&doc);
//! assert!(text.contains("\"total\": 3.90"));
//! assert_eq!(jixiao_json::from_str(&text).unwrap(), doc);
//! ```

use jixiao_model::{Document, SCHEMA};

/// Why a JSON document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// Not JSON, or not of the contract's shape.
    #[error("不是有效的 jixiao JSON：{0}")]
    Syntax(#[from] serde_json::Error),
    /// Another schema (or version) than `jixiao/1`.
    #[error("不支持的 schema “{found}”（本程序读写 {SCHEMA}）")]
    Schema {
        /// The schema the document names.
        found: String,
    },
}

/// Writes a document as pretty-printed JSON (two-space indent, trailing newline).
pub fn to_string(doc: &Document) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("the IR always serializes");
    text.push('\n');
    text
}

/// Reads a document, checking that it is `jixiao/1`.
pub fn from_str(text: &str) -> Result<Document, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: Document = serde_json::from_str(text)?;
    if doc.schema != SCHEMA {
        return Err(JsonError::Schema { found: doc.schema });
    }
    Ok(doc)
}

/// True when bytes look like a JSON document (the first non-space character is `{`).
pub fn sniff(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// The JSON Schema of the contract, generated from the IR types.
pub fn schema() -> String {
    let mut schema = schemars::schema_for!(Document);
    schema.insert(
        "$id".into(),
        serde_json::Value::String(format!("https://jixiao.invalid/schema/{SCHEMA}")),
    );
    let mut text = serde_json::to_string_pretty(&schema).expect("schema serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_schemas() {
        let text = to_string(&Document::default()).replace(SCHEMA, "jixiao/9");
        assert!(matches!(from_str(&text), Err(JsonError::Schema { .. })));
        assert!(matches!(from_str("[1,2]"), Err(JsonError::Syntax(_))));
        assert!(from_str("").is_err());
    }

    #[test]
    fn schema_names_the_contract_fields() {
        let s = schema();
        for field in [
            "\"summary\"",
            "\"projects\"",
            "\"funds_total\"",
            "\"level3\"",
            "\"op\"",
            "\"diagnostics\"",
        ] {
            assert!(s.contains(field), "{field}");
        }
    }
}
