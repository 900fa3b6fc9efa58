//! Every score reconciles: each unit's total recomputed, as the unit would,
//! from what it is given alone — its rows of breakdown.csv, and its own
//! feedback sheet read back from the .docx — over the demo and a generated
//! messy case of 240 units (pools, an indicator veto under a pool, grade
//! vetoes with veto_cap, N/A items, the bonus cap and gate, quotas, ties).
//!
//! The recomputation adds published (rounded) figures, so it may differ
//! from the published total by the rounding of the figures it adds: each
//! is at most half a unit of the last decimal off. The bound used is that,
//! summed over the figures and scaled as the N/A conversion scales them.

use crate::harness::{docx_tables, run_args, Workdir};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

/// The indicator tree as the unit reads it from the published system.
struct Tree {
    full: Decimal,
    cap_at_full: bool,
    veto_cap: Option<Decimal>,
    /// id → (points, parent, children ids), in file order.
    nodes: Vec<(String, Decimal, Option<String>)>,
}

impl Tree {
    fn load(path: &std::path::Path) -> Tree {
        let v: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
        let a = &v["assessment"];
        let dec = |x: &toml::Value| Decimal::from_str(&x.to_string()).unwrap();
        let nodes = v["indicator"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let points = i
                    .get("points")
                    .map(dec)
                    .expect("the test reads points, not weights");
                let parent = i.get("parent").and_then(|p| p.as_str()).map(String::from);
                (i["id"].as_str().unwrap().to_string(), points, parent)
            })
            .collect();
        Tree {
            full: a.get("full_score").map_or(Decimal::ONE_HUNDRED, dec),
            cap_at_full: a
                .get("cap_at_full")
                .and_then(|c| c.as_bool())
                .unwrap_or(true),
            veto_cap: a.get("veto_cap").map(dec),
            nodes,
        }
    }

    fn points(&self, id: &str) -> Decimal {
        self.nodes.iter().find(|n| n.0 == id).unwrap().1
    }

    fn children(&self, id: &str) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|n| n.2.as_deref() == Some(id))
            .map(|n| n.0.as_str())
            .collect()
    }

    fn roots(&self) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|n| n.2.is_none())
            .map(|n| n.0.as_str())
            .collect()
    }
}

/// What a unit is told of its items: leaves' scores (`None`: N/A), the
/// parents whose score is stated because it is not the sum of their
/// children, and the closing figures (bonus, penalty as a signed figure,
/// a grade veto, the published total).
#[derive(Default, Debug)]
struct Account {
    leaves: HashMap<String, Option<Decimal>>,
    parents: HashMap<String, Decimal>,
    bonus: Decimal,
    penalty: Decimal,
    vetoed: bool,
    total: Decimal,
}

/// A node's score as the unit computes it, and how many published figures
/// went into it.
fn node(tree: &Tree, acc: &Account, id: &str) -> (Option<Decimal>, usize) {
    if let Some(&p) = acc.parents.get(id) {
        return (Some(p), 1);
    }
    let children = tree.children(id);
    if children.is_empty() {
        return (*acc.leaves.get(id).unwrap_or(&Some(tree.points(id))), 1);
    }
    let mut sum = None;
    let mut figures = 0;
    for c in children {
        let (s, n) = node(tree, acc, c);
        figures += n;
        if let Some(s) = s {
            sum = Some(sum.unwrap_or(Decimal::ZERO) + s);
        }
    }
    (sum, figures)
}

/// The total recomputed from the account, and the most it may be off by
/// the rounding of the figures it adds.
fn recompute(tree: &Tree, acc: &Account) -> (Decimal, Decimal) {
    let (mut sum, mut applicable, mut figures) = (Decimal::ZERO, Decimal::ZERO, 0);
    for r in tree.roots() {
        let (s, n) = node(tree, acc, r);
        if let Some(s) = s {
            sum += s;
            applicable += tree.points(r);
            figures += n;
        }
    }
    let scale = if applicable.is_zero() {
        Decimal::ONE
    } else {
        tree.full / applicable
    };
    let base = sum * scale;
    let mut total = (base + acc.bonus + acc.penalty).max(Decimal::ZERO);
    if tree.cap_at_full {
        total = total.min(tree.full);
    }
    if let (true, Some(cap)) = (acc.vetoed, tree.veto_cap) {
        total = total.min(cap);
    }
    let half = Decimal::from_str("0.005").unwrap();
    let bound = half * Decimal::from(figures) * scale.max(Decimal::ONE) + half * Decimal::from(3u8);
    (total, bound)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(&s.replace('−', "-")).unwrap_or_else(|_| panic!("not a figure: {s:?}"))
}

/// Each unit's account from its rows of breakdown.csv alone.
fn breakdown_accounts(path: &std::path::Path) -> HashMap<String, Account> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut out: HashMap<String, Account> = HashMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        let (unit, id, name, rule, score) = (&row[1], &row[3], &row[4], &row[6], &row[8]);
        let acc = out.entry(unit.to_string()).or_default();
        match (rule, name) {
            ("上级指标", _) => {
                acc.parents.insert(id.to_string(), dec(score));
            }
            ("合计", "加分") => acc.bonus = dec(score),
            ("合计", "扣分") => acc.penalty = dec(score),
            ("合计", "一票否决") => acc.vetoed = true,
            ("合计", "总分") => acc.total = dec(score),
            ("合计", _) => {}
            _ => {
                let s = (score != "不涉及").then(|| dec(score));
                acc.leaves.insert(id.to_string(), s);
            }
        }
    }
    out
}

/// A unit's account from its feedback sheet alone: the lost items (a leaf
/// not listed kept its points), the items not applicable, the parents
/// stated, and the 得分构成 table's closing figures.
fn sheet_account(tree: &Tree, path: &std::path::Path) -> (Account, HashMap<String, Decimal>) {
    let (tables, text) = docx_tables(path);
    let mut acc = Account::default();
    let composition = tables.iter().find(|t| t[0][0] == "项目").expect("得分构成");
    if let Some(lost) = tables.iter().find(|t| t[0][0] == "指标或事项") {
        for row in &lost[1..] {
            let id = row[0].split(' ').next().unwrap();
            if row[0].ends_with("（上级指标）") {
                acc.parents.insert(id.to_string(), dec(&row[2]));
            } else if tree.nodes.iter().any(|n| n.0 == id) {
                acc.leaves.insert(id.to_string(), Some(dec(&row[2])));
            }
        }
    }
    let na = text
        .split("二、不涉及的指标")
        .nth(1)
        .and_then(|t| t.split("三、").next())
        .unwrap_or("");
    for item in na.split('；') {
        let id = item.split(' ').next().unwrap_or("");
        if tree.nodes.iter().any(|n| n.0 == id) {
            acc.leaves.insert(id.to_string(), None);
        }
    }
    // Parents made up for N/A children: "A 主动公开有不涉及的下级指标，按适用
    // 分值折算：20.96 ÷ 22.00 × 30.00 = 28.58分。"
    for sentence in na.split('。').filter(|t| t.contains("按适用分值折算")) {
        let id = sentence.split(' ').next().unwrap().to_string();
        let score = sentence.rsplit("= ").next().unwrap().trim_end_matches('分');
        acc.parents.insert(id, dec(score));
    }
    let mut tops = HashMap::new();
    for row in &composition[1..] {
        match row[0].as_str() {
            "加分" => acc.bonus = dec(&row[2]),
            "扣分" => acc.penalty = dec(&row[2]),
            "一票否决" => acc.vetoed = true,
            "总分" => acc.total = dec(&row[2]),
            "基础得分" => {}
            item => {
                let id = item.split(' ').next().unwrap().to_string();
                if row[2] != "不涉及" {
                    tops.insert(id, dec(&row[2]));
                }
            }
        }
    }
    (acc, tops)
}

fn reconcile_run(w: &Workdir, indicators: &str, out: &str) -> usize {
    let tree = Tree::load(&w.path().join(indicators));
    let accounts = breakdown_accounts(&w.path().join(out).join("breakdown.csv"));
    let results: serde_json::Value =
        serde_json::from_str(&w.read(&format!("{out}/results.json"))).unwrap();
    let mut checked = 0;
    for u in results["units"].as_array().unwrap() {
        let id = u["id"].as_str().unwrap();
        let published = dec(u["total"].as_str().unwrap());
        let acc = &accounts[id];
        assert_eq!(acc.total, published, "{id}: the breakdown's total row");
        let (total, bound) = recompute(&tree, acc);
        assert!(
            (total - published).abs() <= bound,
            "{id}: from the breakdown {total}, published {published} (bound {bound}): {acc:?}"
        );
        let sheet = w.path().join(out).join(format!("feedback/{id}.docx"));
        let (acc, tops) = sheet_account(&tree, &sheet);
        assert_eq!(acc.total, published, "{id}: the sheet's total");
        for (top, shown) in &tops {
            let (s, n) = node(&tree, &acc, top);
            let s = s.unwrap_or_else(|| panic!("{id}: {top} N/A on the sheet but scored"));
            let bound = Decimal::from_str("0.005").unwrap() * Decimal::from(n + 1);
            assert!(
                (s - shown).abs() <= bound,
                "{id}: {top} from its items {s}, shown {shown}"
            );
        }
        let (total, bound) = recompute(&tree, &acc);
        assert!(
            (total - published).abs() <= bound,
            "{id}: from the sheet {total}, published {published} (bound {bound}): {acc:?}"
        );
        checked += 1;
    }
    checked
}

#[test]
fn every_demo_unit_reconciles_from_its_breakdown_rows_and_its_feedback_sheet() {
    let w = Workdir::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("indicators/demo.toml"),
        w.path().join("demo.toml"),
    )
    .unwrap();
    let data = root.join("data/demo");
    let r = w.zwgk(&run_args("demo.toml", data.to_str().unwrap(), "out"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reconcile_run(&w, "demo.toml", "out"), 60);
    // 市公安局: D3's veto zeroes the pooled D; the sheet says so.
    let (tables, _) = docx_tables(&w.path().join("out/feedback/Z06.docx"));
    let lost = tables.iter().find(|t| t[0][0] == "指标或事项").unwrap();
    let d = lost
        .iter()
        .find(|r| r[0] == "D 平台建设（上级指标）")
        .unwrap();
    // Its leaves keep 3 + 2 + 0 = 5 points; D is 0: 5.00 more lost.
    assert_eq!((d[2].as_str(), d[3].as_str()), ("0.00", "5.00"));
    assert!(
        d[4].starts_with("D3 平台安全与保密单项否决（记录 R0114"),
        "{}",
        d[4]
    );
}

#[test]
fn every_unit_of_a_messy_240_unit_case_reconciles() {
    let w = Workdir::new();
    w.generate(240, 6000, &["--messy"], "g");
    // The generator draws an indicator veto once in 200,000 records: add
    // three (S02, under the pool D), and two grade vetoes (S01). ASCII
    // only, so the lines read the same in the file's GB18030 or UTF-8.
    let mut records = std::fs::read(w.path().join("g/data/inspections.csv")).unwrap();
    for (k, (unit, issue)) in [
        ("G000005", "S02"),
        ("G000017", "S02"),
        ("G000120", "S02"),
        ("G000033", "S01"),
        ("G000201", "S01"),
    ]
    .iter()
    .enumerate()
    {
        records.extend(format!("R9{k:07},{unit},2023-06-0{},onsite,{issue},1,\n", k + 1).bytes());
    }
    std::fs::write(w.path().join("g/data/inspections.csv"), records).unwrap();
    let r = w.zwgk(&run_args("g/indicators.toml", "g/data", "out"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reconcile_run(&w, "g/indicators.toml", "out"), 240);
    // The case has what makes items not add up: a veto under the pool,
    // the pool's own deduction, N/A conversion, grade vetoes.
    let b = w.read("out/breakdown.csv");
    assert!(
        b.contains("单项否决（记录"),
        "an indicator veto under a pool"
    );
    assert!(b.contains("按合并扣分计分"), "a pool's deduction");
    assert!(b.contains("按适用分值折算"), "N/A rescaling");
    assert!(b.contains(",一票否决,"), "a grade veto");
}
