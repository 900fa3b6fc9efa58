//! Validation of the indicator system: one case per rule of SPEC §2, each
//! checking the message names the indicator, the numbers and the place.

use super::*;

const BASE: &str = r#"
[assessment]
name = "t"
year = 2023

[performance]
weight_percent = 4

[[group]]
id = "county"
name = "县（市、区）"

[[group]]
id = "dept"
name = "部门"

[[grade]]
name = "优秀"
min = 90

[[grade]]
name = "其他"
min = 0
"#;

fn parse(indicators: &str) -> std::result::Result<System, Vec<String>> {
    let text = format!("{BASE}\n{indicators}");
    System::parse(&text, "t.toml").map_err(|ds| ds.iter().map(|d| d.to_string()).collect())
}

fn errors(indicators: &str) -> String {
    match parse(indicators) {
        Ok(_) => panic!("expected errors for:\n{indicators}"),
        Err(e) => e.join("\n"),
    }
}

const TWO_LEAVES: &str = r#"
[[indicator]]
id = "A"
name = "a"
points = 30
[[indicator]]
id = "A1"
parent = "A"
name = "a1"
points = 8
rule = "deduct"
[[indicator]]
id = "A2"
parent = "A"
name = "a2"
points = 21.5
rule = "deduct"
[[indicator]]
id = "B"
name = "b"
points = 70
rule = "manual"
"#;

#[test]
fn rejects_children_that_do_not_add_up_to_their_parent() {
    let e = errors(TWO_LEAVES);
    assert!(
        e.contains("indicator A: points 30, children add up to 29.5 (A1 8 + A2 21.5)"),
        "{e}"
    );
    assert!(e.contains("t.toml: line "), "names the place: {e}");
}

#[test]
fn rejects_top_level_points_that_miss_full_score() {
    let e = errors(
        &TWO_LEAVES
            .replace("points = 21.5", "points = 22")
            .replace("points = 70", "points = 60"),
    );
    assert!(
        e.contains("top-level indicators add up to 90 (A 30 + B 60), but full_score is 100"),
        "{e}"
    );
}

#[test]
fn rejects_a_weight_percent_below_four() {
    let text = format!(
        "{}\n{}",
        BASE.replace("weight_percent = 4", "weight_percent = 3.5"),
        TWO_LEAVES.replace("21.5", "22")
    );
    let e = System::parse(&text, "t.toml").unwrap_err()[0].to_string();
    assert!(e.contains("performance.weight_percent = 3.5: 政务公开 must carry at least 4% of the target performance assessment"), "{e}");
}

#[test]
fn accepts_a_consistent_system_and_resolves_points() {
    let s = parse(&TWO_LEAVES.replace("21.5", "22")).unwrap();
    assert_eq!(s.indicators.len(), 4);
    assert_eq!(s.roots, vec![0, 3]);
    assert_eq!(s.indicators[0].children, vec![1, 2]);
    assert_eq!(s.leaves(), vec![1, 2, 3]);
}

#[test]
fn weighted_children_share_their_parents_points_exactly() {
    let s = parse(
        r#"
[[indicator]]
id = "A"
name = "a"
weight = 2
[[indicator]]
id = "B"
name = "b"
weight = 1
[[indicator]]
id = "C"
name = "c"
weight = 1
[[indicator]]
id = "A1"
parent = "A"
name = "a1"
weight = 1
rule = "manual"
[[indicator]]
id = "A2"
parent = "A"
name = "a2"
weight = 1
rule = "manual"
[[indicator]]
id = "A3"
parent = "A"
name = "a3"
weight = 1
rule = "manual"
[[indicator]]
id = "B1"
parent = "B"
name = "b1"
points = 25
rule = "manual"
[[indicator]]
id = "C1"
parent = "C"
name = "c1"
points = 25
rule = "manual"
"#,
    )
    .unwrap();
    let p = |id: &str| s.indicators[s.index_of(id).unwrap()].points;
    assert_eq!(p("A"), Exact::from_int(50));
    assert_eq!(p("B"), Exact::from_int(25));
    assert_eq!(p("A1"), Exact::ratio(50.into(), 3.into()));
    assert_eq!(p("A1").plus(p("A2")).plus(p("A3")), Exact::from_int(50));
}

#[test]
fn rejects_siblings_mixing_points_and_weights_and_weighted_children_without_parent_points() {
    let e = errors(
        r#"
[[indicator]]
id = "A"
name = "a"
points = 50
rule = "manual"
[[indicator]]
id = "B"
name = "b"
weight = 1
[[indicator]]
id = "B1"
parent = "B"
name = "b1"
weight = 1
rule = "manual"
"#,
    );
    assert!(
        e.contains("the top level: its children mix points and weight"),
        "{e}"
    );
    let e = errors(
        r#"
[[indicator]]
id = "A"
name = "a"
[[indicator]]
id = "A1"
parent = "A"
name = "a1"
weight = 1
rule = "manual"
"#,
    );
    assert!(
        e.contains(
            "indicator A: its children are weighted, so it needs points (or a weight) of its own"
        ),
        "{e}"
    );
}

#[test]
fn rejects_broken_tree_structure() {
    let missing = errors("[[indicator]]\nid = \"A\"\nname = \"a\"\nparent = \"Z\"\npoints = 100\nrule = \"manual\"\n");
    assert!(
        missing.contains("indicator A: parent \"Z\" does not exist"),
        "{missing}"
    );
    let own = errors("[[indicator]]\nid = \"A\"\nname = \"a\"\nparent = \"A\"\npoints = 100\nrule = \"manual\"\n");
    assert!(own.contains("indicator A: it is its own parent"), "{own}");
    let cycle = errors(
        "[[indicator]]\nid = \"A\"\nname = \"a\"\nparent = \"B\"\npoints = 100\n[[indicator]]\nid = \"B\"\nname = \"b\"\nparent = \"A\"\npoints = 100\n",
    );
    assert!(cycle.contains("parent cycle A -> B -> A"), "{cycle}");
}

#[test]
fn rejects_duplicate_ids_across_indicators_issues_and_bonuses() {
    let e = errors(
        r#"
[[indicator]]
id = "A"
name = "a"
points = 100
rule = "deduct"
[[issue]]
code = "A"
name = "dup"
indicator = "A"
deduct = 1
[[bonus]]
id = "A"
name = "dup"
points = 1
"#,
    );
    assert!(
        e.contains("id \"A\" of this issue is already used by an indicator"),
        "{e}"
    );
    assert!(
        e.contains("id \"A\" of this bonus is already used by an indicator"),
        "{e}"
    );
}

#[test]
fn requires_rules_on_leaves_only_and_issues_on_deduct_leaves() {
    let e = errors(
        r#"
[[indicator]]
id = "A"
name = "a"
points = 100
rule = "deduct"
[[indicator]]
id = "A1"
parent = "A"
name = "a1"
points = 50
rule = "manual"
[[indicator]]
id = "A2"
parent = "A"
name = "a2"
points = 50
[[issue]]
code = "W1"
name = "w"
indicator = "A"
deduct = 1
[[issue]]
code = "W2"
name = "w"
indicator = "A1"
deduct = 1
"#,
    );
    assert!(
        e.contains("indicator A: has children, so it takes no rule"),
        "{e}"
    );
    assert!(e.contains("indicator A2: a leaf needs a rule"), "{e}");
    assert!(
        e.contains(
            "issue W1: indicator A is a parent; an issue must point at a leaf with rule \"deduct\""
        ),
        "{e}"
    );
    assert!(
        e.contains("issue W2: indicator A1 is a leaf with another rule"),
        "{e}"
    );
}

#[test]
fn child_groups_must_be_a_subset_of_the_parents_and_exist() {
    let e = errors(
        r#"
[[indicator]]
id = "A"
name = "a"
points = 100
groups = ["county"]
[[indicator]]
id = "A1"
parent = "A"
name = "a1"
points = 50
rule = "manual"
groups = ["dept"]
[[indicator]]
id = "A2"
parent = "A"
name = "a2"
points = 50
rule = "manual"
groups = ["nowhere"]
"#,
    );
    assert!(
        e.contains("indicator A1: group \"dept\" is not among its parent A's groups"),
        "{e}"
    );
    assert!(
        e.contains("indicator A2: group \"nowhere\" does not exist"),
        "{e}"
    );
}

#[test]
fn grades_must_decrease_end_at_zero_and_have_sane_quotas() {
    let text = r#"
[assessment]
name = "t"
year = 2023
[performance]
weight_percent = 4
[[group]]
id = "g"
name = "g"
[[grade]]
name = "优秀"
min = 80
max_share = 1.5
[[grade]]
name = "良好"
min = 85
[[grade]]
name = "一般"
min = 10
[[indicator]]
id = "A"
name = "a"
points = 100
rule = "manual"
"#;
    let e: Vec<String> = System::parse(text, "t.toml")
        .unwrap_err()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let e = e.join("\n");
    assert!(
        e.contains("grade 优秀: max_share = 1.5: must be > 0 and <= 1"),
        "{e}"
    );
    assert!(
        e.contains("grade 良好: min 85 must be below the previous grade's min 80 (优秀)"),
        "{e}"
    );
    assert!(
        e.contains("grade 一般: the last grade must have min = 0 (has 10)"),
        "{e}"
    );
}

#[test]
fn rule_parameters_are_checked() {
    let e = errors(
        r#"
[[indicator]]
id = "A"
name = "a"
points = 20
rule = "curve"
curve = [[0.5, 0], [0.4, 1.2]]
[[indicator]]
id = "B"
name = "b"
points = 20
rule = "deadline"
[[indicator]]
id = "C"
name = "c"
points = 20
rule = "deduct"
floor = 0.5
[[indicator]]
id = "D"
name = "d"
points = 20
rule = "bogus"
[[indicator]]
id = "E"
name = "e"
points = 20
rule = "relative"
direction = "up"
"#,
    );
    assert!(
        e.contains("indicator A: curve x values must increase strictly (0.5 then 0.4)"),
        "{e}"
    );
    assert!(
        e.contains("indicator A: curve point [0.4, 1.2]: f must be between 0 and 1"),
        "{e}"
    );
    assert!(
        e.contains("indicator B: rule deadline needs due = YYYY-MM-DD"),
        "{e}"
    );
    assert!(
        e.contains("indicator C: parameter floor does not apply to rule \"deduct\""),
        "{e}"
    );
    assert!(e.contains("indicator D: unknown rule \"bogus\""), "{e}");
    assert!(
        e.contains("indicator E: direction = \"up\": expected \"higher\" or \"lower\""),
        "{e}"
    );
}

#[test]
fn pool_needs_deduct_leaves_and_points_cannot_be_both_or_negative() {
    let e = errors(
        r#"
[[indicator]]
id = "A"
name = "a"
points = 100
pool = true
[[indicator]]
id = "A1"
parent = "A"
name = "a1"
points = 50
weight = 1
rule = "deduct"
[[indicator]]
id = "A2"
parent = "A"
name = "a2"
points = -50
rule = "manual"
"#,
    );
    assert!(
        e.contains(
            "indicator A: pool = true needs every leaf below to use rule \"deduct\"; A2 do not"
        ),
        "{e}"
    );
    assert!(
        e.contains("indicator A1: gives both points and weight"),
        "{e}"
    );
    assert!(e.contains("indicator A2: points = -50: must be > 0"), "{e}");
}

#[test]
fn a_toml_syntax_error_names_line_and_column() {
    let e = System::parse("[assessment]\nname = \"x\"\nyear = \n", "bad.toml").unwrap_err();
    assert!(
        e[0].to_string().starts_with("bad.toml: line 3, column"),
        "{}",
        e[0]
    );
    let e = System::parse(
        "[assessment]\nname = \"x\"\nyear = 2023\nfoo = 1\n",
        "bad.toml",
    )
    .unwrap_err();
    assert!(
        e[0].to_string()
            .contains("line 4, column 1: \"foo\" is not a key here; the keys are: name, year"),
        "{}",
        e[0]
    );
}

#[test]
fn all_errors_are_reported_together() {
    let e = parse(
        r#"
[[indicator]]
id = "A"
name = "a"
points = 0
rule = "manual"
[[indicator]]
id = "B"
name = "b"
points = 100
rule = "nope"
"#,
    )
    .unwrap_err();
    assert_eq!(e.len(), 2, "{e:?}");
    // Each at its indicator's table, saying what is wrong there.
    let said: Vec<String> = e.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        said,
        [
            "t.toml: line 26, column 1: indicator A: points = 0: must be > 0",
            "t.toml: line 31, column 1: indicator B: unknown rule \"nope\"; expected one of deduct, curve, deadline, rating, relative, manual, level",
        ]
    );
}
