//! `zwgk generate`: a synthetic assessment of any size, deterministic per
//! seed — for trying the tool, for training, and as the benchmark input. The
//! indicator system is the demo's; units, records, submissions, ratings and
//! duties are drawn at random (and are clearly synthetic: units are named
//! 合成单位N). Records are dated over the whole year, so that the demo's
//! quarters (`[[period]]` Q1–Q4) can be run on them, and a few are appealed.

mod messy;

use crate::error::Result;
use crate::report::output::Staging;
use messy::{gb18030, Gb18030, Messy, BOM};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;
use std::io;

pub const SYSTEM: &str = include_str!("../../indicators/demo.toml");

const GROUPS: [&str; 3] = ["county", "park", "dept"];
const ISSUES: [(&str, &str); 12] = [
    ("W01", "政府网站月度检查"),
    ("W02", "政府网站月度检查"),
    ("W03", "政府网站月度检查"),
    ("M01", "政务新媒体季度抽查"),
    ("M02", "政务新媒体季度抽查"),
    ("A101", "政府网站月度检查"),
    ("A102", "政府网站月度检查"),
    ("A201", "政府网站月度检查"),
    ("A401", "年度考核"),
    ("B201", "年度考核"),
    ("P01", "年度考核"),
    ("S02", "现场检查"),
];

/// Sizes and seed of a generated assessment.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub units: usize,
    pub records: usize,
    pub seed: u64,
    /// Written as offices write tables (the `messy` module): same content.
    pub messy: bool,
}

fn unit_id(u: usize) -> String {
    format!("G{u:06}")
}

/// The unit an id of [`unit_id`] names.
fn unit_of_id(id: &str) -> Option<usize> {
    id.strip_prefix('G')?.parse().ok()
}

/// The drawn units: group, quality in [0, 1) (weaker units get more records
/// and lower submissions) and whether each is responsible for A4.
struct Units {
    groups: Vec<usize>,
    quality: Vec<f64>,
    responsible: Vec<bool>,
}

/// Writes a generated assessment into `out`: `indicators.toml` and
/// `data/*.csv`. The inspection records are written as they are drawn (five
/// million are 370 MB of CSV); the other tables are small.
pub fn generate(spec: Spec, out: &Staging) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let mut messy = spec.messy.then(|| Messy::new(spec.seed));
    let units = draw_units(spec.units, &mut rng);
    out.write("indicators.toml", system().as_bytes())?;
    out.write("data/units.csv", units_table(&units, spec.messy).as_bytes())?;
    out.write_with("data/inspections.csv", |w| match messy.as_mut() {
        Some(m) => write_records(
            &mut Gb18030 { inner: w },
            spec.records,
            &units,
            &mut rng,
            Some(m),
        ),
        None => write_records(w, spec.records, &units, &mut rng, None),
    })?;
    let [subs, ratings, duties] = submissions_ratings_duties(&units, &mut rng);
    match messy.as_mut() {
        Some(m) => {
            let subs = format!("{BOM}{}", m.table(&subs, 0, Some(2)));
            out.write("data/submissions.csv", subs.as_bytes())?;
            out.write("data/ratings.csv", &gb18030(&m.table(&ratings, 1, None)))?;
            out.write("data/duties.csv", format!("{BOM}{duties}").as_bytes())?;
        }
        None => {
            out.write("data/submissions.csv", subs.as_bytes())?;
            out.write("data/ratings.csv", ratings.as_bytes())?;
            out.write("data/duties.csv", duties.as_bytes())?;
        }
    }
    out.write("data/appeals.csv", appeals(spec).as_bytes())
}

/// The demo's indicator system under a name that says it is synthetic.
fn system() -> String {
    SYSTEM.replacen(
        "name = \"2023年度锦城市政务公开工作考核（演示）\"",
        "name = \"合成数据考核（zwgk generate）\"",
        1,
    )
}

fn draw_units(n: usize, rng: &mut ChaCha8Rng) -> Units {
    let groups: Vec<usize> = (0..n)
        .map(|_| match rng.random_range(0..10) {
            0..=1 => 0,
            2 => 1,
            _ => 2,
        })
        .collect();
    let quality: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    // 财政预决算公开 (A4): counties, parks and three quarters of departments.
    let responsible: Vec<bool> = groups
        .iter()
        .map(|&g| g < 2 || rng.random::<f64>() < 0.75)
        .collect();
    Units {
        groups,
        quality,
        responsible,
    }
}

/// The roster; messy, it names groups by name with ASCII brackets
/// (`县(市、区)`) and gives each unit an alias (`12号单位`).
fn units_table(units: &Units, messy: bool) -> String {
    const GROUP_NAMES: [&str; 3] = ["县(市、区)", "园区", "市政府部门"];
    let mut table = String::from(if messy {
        "\u{feff}单位编码,单位名称,分组,别名\n"
    } else {
        "单位编码,单位名称,分组\n"
    });
    for (u, g) in units.groups.iter().enumerate() {
        let id = unit_id(u);
        let n = u + 1;
        let _ = if messy {
            writeln!(table, "{id},合成单位{n},{},{n}号单位", GROUP_NAMES[*g])
        } else {
            writeln!(table, "{id},合成单位{n},{}", GROUPS[*g])
        };
    }
    table
}

/// `records` inspection records, drawn and written one by one.
fn write_records(
    w: &mut dyn io::Write,
    records: usize,
    units: &Units,
    rng: &mut ChaCha8Rng,
    mut messy: Option<&mut Messy>,
) -> io::Result<()> {
    let n = units.groups.len();
    w.write_all("记录编号,单位,检查日期,检查类型,问题代码,数量,问题描述\n".as_bytes())?;
    for r in 0..records {
        // Weaker units get more records.
        let u = loop {
            let u = rng.random_range(0..n.max(1));
            if rng.random::<f64>() > units.quality[u] * 0.7 {
                break u;
            }
        };
        let (code, source) = ISSUES[rng.random_range(0..ISSUES.len() - 1)];
        let (code, source) = if rng.random_range(0..200_000) == 0 {
            ISSUES[ISSUES.len() - 1]
        } else {
            (code, source)
        };
        // Only units responsible for A4 get A4's issue.
        let (code, source) = if code == "A401" && !units.responsible[u] {
            ISSUES[0]
        } else {
            (code, source)
        };
        let month = rng.random_range(1..=12);
        let day = rng.random_range(1..=28);
        let count = [1, 1, 1, 2, 3][rng.random_range(0..5)];
        let (unit, date) = match messy.as_deref_mut() {
            Some(m) => (m.unit(u), m.date(month, day)),
            None => (unit_id(u), format!("2023-{month:02}-{day:02}")),
        };
        writeln!(w, "R{r:08},{unit},{date},{source},{code},{count},自动监测")?;
    }
    Ok(())
}

/// One appeal per thousand records (a record drawn from each block of a
/// thousand, so never two for one record), decided 维持, 撤销 or 改为 1.
/// Drawn from a stream of its own, so that the other tables are those of
/// the same seed without appeals.
fn appeals(spec: Spec) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x0a99_ea15);
    let mut table = String::from("记录编号,复核结果,数量,理由\n");
    for block in 0..spec.records / 1000 {
        let r = block * 1000 + rng.random_range(0..1000);
        let (decision, count, reason) = match rng.random_range(0..10) {
            0..=5 => ("维持", "", "经复核，问题属实"),
            6..=7 => ("撤销", "", "经复核，检查时链接已恢复"),
            _ => ("改为", "1", "经复核，重复计数"),
        };
        let _ = writeln!(table, "R{r:08},{decision},{count},{reason}");
    }
    table
}

/// The submissions, ratings and duties tables, better for better units.
fn submissions_ratings_duties(units: &Units, rng: &mut ChaCha8Rng) -> [String; 3] {
    let mut subs = String::from("单位,指标代码,填报值,审核状态\n");
    let mut ratings = String::from("评分人,单位,指标代码,分数\n");
    let mut duties = String::from("指标代码,责任单位\n");
    for (u, &q) in units.quality.iter().enumerate() {
        let id = unit_id(u);
        let _ = writeln!(subs, "{id},A3,{:.1}%,通过", 55.0 + q * 45.0);
        if rng.random::<f64>() < 0.97 {
            let _ = writeln!(subs, "{id},B1,{:.2},通过", (0.85 + q * 0.15).min(1.0));
        }
        let _ = writeln!(subs, "{id},C1,{:.0}%,通过", 25.0 + q * 40.0);
        if units.groups[u] < 2 {
            let level = ["优", "良", "一般", "差"][((1.0 - q) * 3.99) as usize];
            let _ = writeln!(subs, "{id},E1,{level},通过");
            let _ = writeln!(subs, "{id},E2,{:.1}%,通过", 60.0 + q * 40.0);
        }
        let _ = writeln!(subs, "{id},F1,{},通过", if q > 0.2 { 3 } else { 0 });
        let _ = writeln!(subs, "{id},F2,{},通过", (q * 4.0) as u32);
        let late = if q > 0.5 { 0 } else { rng.random_range(0..15) };
        let due = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap_or_default();
        let _ = writeln!(subs, "{id},F3,{},通过", due + chrono::Duration::days(late));
        if q > 0.9 {
            let _ = writeln!(subs, "{id},J1,{},通过", rng.random_range(1..=3));
        }
        for rater in ["甲", "乙", "丙", "丁", "戊"] {
            let score = (60.0 + q * 35.0 + rng.random_range(-8.0..8.0f64))
                .clamp(0.0, 100.0)
                .round();
            let _ = writeln!(ratings, "评议员{rater},{id},C2,{score}");
        }
        if units.responsible[u] {
            let _ = writeln!(duties, "A4,{id}");
        }
    }
    [subs, ratings, duties]
}
