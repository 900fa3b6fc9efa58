//! How the results page carries its facts: in column form (a group's
//! ranking as one list per column, not one object per unit), in three
//! blocks (what the page draws at once; the rest of the rankings with what
//! the search reads; the units' accounts, read when a unit is opened), each
//! plain JSON or, when large, gzip-packed.
//!
//! A browser reads a page's text at about 30 ms a megabyte here and builds
//! an object per unit slowly; a 20,000-unit page as one JSON of objects
//! took half a second to open (BENCHMARKS.md).

use serde_json::{json, Map, Value};

/// Data longer than this is embedded gzip-packed, as base64. The demo's
/// data (40 KB) and a unit's own page stay plain.
const PACK_BYTES: usize = 512 << 10;

/// fflate's gunzip (MIT, pinned and built as its header says), for a page
/// with a packed block: the Chromium 78 of office browsers has no
/// DecompressionStream, and the page reads its data before it draws.
const INFLATE: &str = include_str!("../../templates/vendor/fflate-gunzip.min.js");

/// JSON inside `<script type="application/json">`: nothing in it can end
/// the script element or start markup (`</script>` in a unit's name is
/// `\u003c/script\u003e`), and it stays valid JSON.
pub(super) fn embedded_json(v: &Value) -> String {
    let text = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The page's data blocks, as HTML.
pub struct Blocks {
    /// Before the page's script: the facts it draws at once (and the
    /// unpacker when a block after it is packed).
    pub main: String,
    /// After it: the rest of the rankings and the units' accounts.
    pub after: String,
    /// The text of what is packed (the page's font must still have its
    /// characters); empty when nothing is.
    pub packed_text: String,
}

/// One data block: the JSON plain, or (when `pack_over` is given and the
/// JSON is longer) gzip-packed as base64 and marked `data-packed="gzip"`;
/// with the JSON when packed.
fn data_block(id: &str, v: &Value, pack_over: Option<usize>) -> (String, String) {
    let json = embedded_json(v);
    let plain = |json: String| {
        let block = format!("<script type=\"application/json\" id=\"{id}\">{json}</script>");
        (block, String::new())
    };
    if pack_over.is_none_or(|limit| json.len() <= limit) {
        return plain(json);
    }
    use base64::Engine;
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let packed = gz
        .write_all(json.as_bytes())
        .and_then(|()| gz.finish())
        .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes));
    match packed {
        Ok(b64) => (
            format!(
                "<script type=\"application/json\" id=\"{id}\" data-packed=\"gzip\">{b64}</script>"
            ),
            json,
        ),
        Err(_) => plain(json),
    }
}

/// A list of row objects as one list per key; a key whose values are lists
/// (each top-level indicator's score) as one list per position.
fn columns(rows: &[Value]) -> Value {
    let keys: Vec<String> = match rows.first().and_then(Value::as_object) {
        Some(first) => first.keys().cloned().collect(),
        None => return json!({}),
    };
    let mut cols = Map::new();
    for key in keys {
        let values: Vec<&Value> = rows.iter().map(|r| &r[&key]).collect();
        let column = match values.first().and_then(|v| v.as_array()) {
            Some(first) => (0..first.len())
                .map(|k| values.iter().map(|v| v[k].clone()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
                .into(),
            None => values.into_iter().cloned().collect::<Vec<_>>().into(),
        };
        cols.insert(key, column);
    }
    cols.into()
}

/// A group's rows the page draws at once, and its tie and quota sentences:
/// a province's group of thousands opens with its head, the rest on request.
pub const ROWS_AT_ONCE: usize = 100;
pub const NOTES_AT_ONCE: usize = 20;

/// Each account's aliases taken out of it, for the search: only the units
/// that have any.
fn take_aliases(accounts: &mut Value) -> Map<String, Value> {
    let mut aliases = Map::new();
    for (id, acc) in accounts
        .as_object_mut()
        .into_iter()
        .flat_map(|m| m.iter_mut())
    {
        let own = acc.as_object_mut().and_then(|m| m.remove("aliases"));
        if own
            .as_ref()
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
        {
            aliases.insert(id.clone(), own.unwrap_or_default());
        }
    }
    aliases
}

/// What the page reads after its script, by group id, for each group cut
/// short at once: the ids and names of all its units (for the search), and
/// the rest of its columns and every sentence (for a sort, a filter or the
/// whole group).
#[derive(Default)]
struct Cut {
    names: Map<String, Value>,
    whole: Map<String, Value>,
}

/// Each group's head, in columns, left in the facts (`partial` when the
/// group has more rows or sentences than drawn at once); the rest of each
/// cut group returned.
fn split_groups(facts: &mut Value) -> Cut {
    let mut cut = Cut::default();
    for g in facts["groups"].as_array_mut().into_iter().flatten() {
        let mut take = |key: &str| match g.as_object_mut().and_then(|m| m.remove(key)) {
            Some(Value::Array(v)) => v,
            _ => Vec::new(),
        };
        let (rows, notes) = (take("rows"), take("notes"));
        let partial = rows.len() > ROWS_AT_ONCE || notes.len() > NOTES_AT_ONCE;
        g["cols"] = columns(&rows[..rows.len().min(ROWS_AT_ONCE)]);
        g["notes"] = notes[..notes.len().min(NOTES_AT_ONCE)].into();
        g["note_count"] = notes.len().into();
        g["partial"] = partial.into();
        if partial {
            let id = g["id"].as_str().unwrap_or_default().to_string();
            let mut cols = columns(&rows);
            let mut names = Map::new();
            for key in ["id", "name", "chunk"] {
                let col = cols.as_object_mut().and_then(|m| m.remove(key));
                names.insert(key.into(), col.unwrap_or_default());
            }
            cut.names.insert(id.clone(), names.into());
            cut.whole.insert(id, json!({"cols": cols, "notes": notes}));
        }
    }
    cut
}

/// Most JSON bytes of accounts one block holds: opening a unit unpacks and
/// parses its own block alone, not every account of a province.
const ACCOUNT_BLOCK_BYTES: usize = 256 << 10;

/// The accounts in blocks of about [`ACCOUNT_BLOCK_BYTES`] (one account
/// may be more), in order, and their total JSON length.
fn account_blocks(accounts: Value) -> (Vec<Map<String, Value>>, usize) {
    let mut blocks = vec![Map::new()];
    let (mut size, mut total) = (0, 0);
    let Value::Object(all) = accounts else {
        return (blocks, 0);
    };
    for (id, account) in all {
        let len = account.to_string().len() + id.len();
        if size + len > ACCOUNT_BLOCK_BYTES && size > 0 {
            blocks.push(Map::new());
            size = 0;
        }
        size += len;
        total += len;
        if let Some(last) = blocks.last_mut() {
            last.insert(id, account);
        }
    }
    (blocks, total)
}

/// Each row's account block (`chunk`), by its id; none for a unit whose
/// account the page does not hold.
fn mark_blocks(facts: &mut Value, blocks: &[Map<String, Value>]) {
    let block_of: std::collections::HashMap<&str, usize> = blocks
        .iter()
        .enumerate()
        .flat_map(|(k, b)| b.keys().map(move |id| (id.as_str(), k)))
        .collect();
    for g in facts["groups"].as_array_mut().into_iter().flatten() {
        for row in g["rows"].as_array_mut().into_iter().flatten() {
            let k = row["id"].as_str().and_then(|id| block_of.get(id)).copied();
            row["chunk"] = k.into();
        }
    }
}

/// The page's data blocks. Before its script, what it draws at once: the
/// run's facts and each group's head. After it, each read when first
/// needed: the search's (every cut group's ids, names and account blocks,
/// the aliases, the names' pinyin), the rest of the cut groups, and the
/// units' accounts for a unit's view, in blocks of about 256 KB, all packed
/// when they are together over [`PACK_BYTES`]. The unpacker goes first when
/// any of those is packed.
pub fn data_blocks(mut facts: Value) -> Blocks {
    let mut accounts = facts
        .as_object_mut()
        .and_then(|m| m.remove("units"))
        .unwrap_or_default();
    let aliases = take_aliases(&mut accounts);
    let names = accounts.as_object().into_iter().flat_map(|m| m.values());
    let pinyin = super::page_data::pinyin_of(names.filter_map(|a| a["name"].as_str()));
    if facts["scope"] == "unit" {
        let own = accounts.as_object().and_then(|m| m.keys().next().cloned());
        facts["own"] = own.into();
    }
    let (blocks, accounts_bytes) = account_blocks(accounts);
    mark_blocks(&mut facts, &blocks);
    facts["rows_at_once"] = ROWS_AT_ONCE.into();
    facts["notes_at_once"] = NOTES_AT_ONCE.into();
    facts["unit_blocks"] = blocks.len().into();
    let cut = split_groups(&mut facts);
    let names = json!({"groups": cut.names, "aliases": aliases, "pinyin": pinyin});
    let (names, mut packed_text) = data_block("zwgk-names", &names, Some(PACK_BYTES));
    let (rest, rest_text) =
        data_block("zwgk-rest", &json!({"groups": cut.whole}), Some(PACK_BYTES));
    packed_text.push_str(&rest_text);
    let pack_accounts = (accounts_bytes > PACK_BYTES).then_some(0);
    let mut units = String::new();
    for (k, block) in blocks.into_iter().enumerate() {
        let (html, text) = data_block(&format!("zwgk-units-{k}"), &block.into(), pack_accounts);
        units.push_str(&html);
        units.push('\n');
        packed_text.push_str(&text);
    }
    let inflate = match packed_text.is_empty() {
        false => format!("<script>{INFLATE}</script>\n"),
        true => String::new(),
    };
    let (main, _) = data_block("zwgk-data", &facts, None);
    Blocks {
        main: format!("{inflate}{main}"),
        after: format!("{names}\n{rest}\n{units}"),
        packed_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_end_its_script_and_reads_back() {
        let v = json!({"name": "</script><script>alert(1)</script>&\u{2028}"});
        let text = embedded_json(&v);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
    }

    #[test]
    fn rows_become_columns_and_lists_one_column_per_position() {
        let rows = [
            json!({"id": "A", "rank": 1, "ind": ["9.00", null]}),
            json!({"id": "B", "rank": 2, "ind": ["8.00", "1.00"]}),
        ];
        assert_eq!(
            columns(&rows),
            json!({"id": ["A", "B"], "rank": [1, 2], "ind": [["9.00", "8.00"], [null, "1.00"]]})
        );
        assert_eq!(columns(&[]), json!({}));
    }

    #[test]
    fn a_group_keeps_its_head_and_gives_its_whole_to_the_rest() {
        let rows = |n: usize| {
            (0..n)
                .map(|i| json!({"id": format!("U{i}")}))
                .collect::<Vec<_>>()
        };
        let notes = |n: usize| (0..n).map(|i| format!("说明{i}")).collect::<Vec<_>>();
        let mut facts = json!({"groups": [
            {"id": "big", "rows": rows(150), "notes": notes(25)},
            {"id": "small", "rows": rows(3), "notes": notes(1)},
        ]});
        let Cut { names, whole } = split_groups(&mut facts);
        let big = &facts["groups"][0];
        assert_eq!(big["cols"]["id"].as_array().unwrap().len(), ROWS_AT_ONCE);
        assert_eq!(big["cols"]["id"][99], "U99");
        assert_eq!(big["notes"].as_array().unwrap().len(), NOTES_AT_ONCE);
        assert_eq!(
            (big["note_count"].clone(), big["partial"].clone()),
            (json!(25), json!(true))
        );
        assert_eq!(names["big"]["id"].as_array().unwrap().len(), 150);
        assert_eq!(names["big"]["id"][149], "U149");
        assert!(whole["big"]["cols"].get("id").is_none());
        assert_eq!(whole["big"]["notes"][24], "说明24");
        let small = &facts["groups"][1];
        assert_eq!(small["cols"], json!({"id": ["U0", "U1", "U2"]}));
        assert_eq!(
            (small["note_count"].clone(), small["partial"].clone()),
            (json!(1), json!(false))
        );
        assert!(!whole.contains_key("small") && !names.contains_key("small"));
        assert!(big.get("rows").is_none());
    }

    #[test]
    fn accounts_go_in_blocks_of_about_256_kb_in_order_and_rows_name_theirs() {
        let account = json!({"name": "区".repeat(40_000)}); // 120 KB of JSON
        let accounts: Map<String, Value> =
            (0..5).map(|i| (format!("U{i}"), account.clone())).collect();
        let (blocks, total) = account_blocks(accounts.into());
        // 120 KB each: two fit in 256 KB, a third does not.
        let ids: Vec<Vec<&str>> = blocks
            .iter()
            .map(|b| b.keys().map(String::as_str).collect())
            .collect();
        assert_eq!(ids, [vec!["U0", "U1"], vec!["U2", "U3"], vec!["U4"]]);
        assert_eq!(total, 5 * (account.to_string().len() + 2));
        let mut facts = json!({"groups": [{"rows": [{"id": "U3"}, {"id": "V9"}]}]});
        mark_blocks(&mut facts, &blocks);
        assert_eq!(
            facts["groups"][0]["rows"],
            json!([{"id": "U3", "chunk": 1}, {"id": "V9", "chunk": null}])
        );
        // One account larger than a block is a block of its own.
        let big = json!({"A": {"name": "区".repeat(100_000)}, "B": {}});
        let (blocks, _) = account_blocks(big);
        assert_eq!(blocks.iter().map(Map::len).collect::<Vec<_>>(), [1, 1]);
    }

    #[test]
    fn a_large_block_is_packed_and_unpacks_to_its_json() {
        use base64::Engine;
        use std::io::Read;
        let big = json!({"x": "区".repeat(PACK_BYTES)});
        let (block, text) = data_block("d", &big, Some(PACK_BYTES));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), big);
        let b64 = block
            .strip_prefix("<script type=\"application/json\" id=\"d\" data-packed=\"gzip\">")
            .and_then(|b| b.strip_suffix("</script>"))
            .expect("packed");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let mut json = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut json)
            .unwrap();
        assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), big);
        let small = data_block("d", &json!({"x": 1}), Some(PACK_BYTES));
        let plain = "<script type=\"application/json\" id=\"d\">{\"x\":1}</script>";
        assert_eq!(small, (plain.to_string(), String::new()));
    }
}
