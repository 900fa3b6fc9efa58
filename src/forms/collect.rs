//! `zwgk collect`: the forms units sent back (any file names: units rename
//! them), each matched to its unit by the id in its header, checked against
//! the items that unit was asked for, and every value checked as `run`
//! checks it. All problems are reported together, by file, cell and item;
//! the merged rows become one submissions table for the office to review.

use super::form::{self, COLUMNS, EVIDENCE_COL, HEADER_ROW, ID_CELL, ITEM_COL, VALUE_COL};
use super::{submission_leaves, unit_items, Entry, Item};
use crate::config::System;
use crate::error::{Diagnostic, Error, Result};
use crate::ingest::values::parse_submitted;
use crate::ingest::xlsx::{cell_name, sheet_shown, Book, Cells};
use crate::ingest::{sha256_hex, Inputs, Value};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One returned form, read and checked.
#[derive(Debug)]
pub struct Form {
    /// The file as shown.
    pub file: String,
    pub sha256: String,
    /// The unit (roster index) named in its header.
    pub unit: usize,
    /// The filled-in rows, in the form's order.
    pub rows: Vec<Row>,
    /// What was odd but not wrong (evidence without a value).
    pub warnings: Vec<String>,
}

/// A filled-in row of a form.
#[derive(Debug)]
pub struct Row {
    pub item: String,
    /// The value as a submissions table holds it (a ratio as `85.9%`).
    pub value: String,
    pub evidence: Option<String>,
}

/// Every returned form of a directory.
#[derive(Debug, Default)]
pub struct Collection {
    /// In roster order.
    pub forms: Vec<Form>,
    /// (file, why) of what was not read: lock files, hidden files, folders.
    pub ignored: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

impl Collection {
    /// The roster indices of units that returned no form.
    pub fn missing(&self, units: usize) -> Vec<usize> {
        let mut returned = vec![false; units];
        for f in &self.forms {
            returned[f.unit] = true;
        }
        (0..units).filter(|&u| !returned[u]).collect()
    }
}

/// Reads every form in `dir`; any problem in any form is an error, and all
/// of them are reported at once.
pub fn collect(system: &System, inputs: &Inputs, dir: &Path) -> Result<Collection> {
    let mut out = Collection::default();
    let files = list(dir, &mut out.ignored)?;
    let ids = roster_ids(inputs);
    let leaves = submission_leaves(system);
    let read: Vec<std::result::Result<Form, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|path| read_form(system, inputs, &leaves, &ids, path))
        .collect();
    let mut errors = Vec::new();
    let mut by_unit: Vec<Option<Form>> = (0..inputs.units.len()).map(|_| None).collect();
    for r in read {
        match r {
            Err(mut e) => errors.append(&mut e),
            Ok(mut f) => {
                out.warnings.append(&mut f.warnings);
                if let Some(first) = &by_unit[f.unit] {
                    let unit = &inputs.units[f.unit];
                    errors.push(Diagnostic::new(
                        &f.file,
                        "",
                        crate::tr!(
"与 {0} 是同一单位（{1} {2}）的报送表；每个单位只能交一份，请删去多余的一份",
"a second form for unit {1} {2}, beside {0}; keep one form per unit",
                        first.file, unit.id, unit.name),
                    ));
                    continue;
                }
                let u = f.unit;
                by_unit[u] = Some(f);
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    out.forms = by_unit.into_iter().flatten().collect();
    Ok(out)
}

/// The files of `dir` in name order; lock files, hidden files and folders
/// are set aside with the reason.
fn list(dir: &Path, ignored: &mut Vec<(String, String)>) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::io(
            crate::tr!(
                "无法列出收回的报送表目录 {}",
                "cannot list the returned forms in {}",
                dir.display()
            ),
            e,
        )
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let why = crate::ingest::sources::ignored_reason(&name).or_else(|| {
            path.is_dir().then(|| {
                crate::tr!(
                    "文件夹（只读取目录下直接存放的报送表）",
                    "a folder (only the forms directly in the directory are read)"
                )
            })
        });
        match why {
            Some(why) => ignored.push((path.display().to_string(), why)),
            None => files.push(path),
        }
    }
    Ok(files)
}

fn not_a_form(file: &str, why: String) -> Vec<Diagnostic> {
    vec![Diagnostic::new(file, "", crate::tr!(
"不是 zwgk 生成的单位报送表（{why}）；请让该单位在下发的报送表中填写后发回，或把此文件移出该目录",
"not a form zwgk wrote ({why}); ask the unit to fill in the form it was sent, or move this file out of the directory"))]
}

/// Reads and checks one returned form.
fn read_form(
    system: &System,
    inputs: &Inputs,
    leaves: &[usize],
    ids: &HashMap<&str, usize>,
    path: &Path,
) -> std::result::Result<Form, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::new(&file, "", crate::error::cannot_read(e))])?;
    form_of_bytes(system, inputs, leaves, ids, file, bytes)
}

/// Each roster unit by its id (a form's header names its unit by id).
fn roster_ids(inputs: &Inputs) -> HashMap<&str, usize> {
    inputs
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| (unit.id.as_str(), u))
        .collect()
}

/// A returned form's bytes read and checked as [`collect`] does, for the
/// fuzzer: the rows it holds, or what is wrong with it.
pub fn check_form_bytes(
    system: &System,
    inputs: &Inputs,
    bytes: Vec<u8>,
) -> std::result::Result<usize, Vec<Diagnostic>> {
    let ids = roster_ids(inputs);
    let leaves = submission_leaves(system);
    form_of_bytes(system, inputs, &leaves, &ids, "fuzz.xlsx".into(), bytes).map(|f| f.rows.len())
}

fn form_of_bytes(
    system: &System,
    inputs: &Inputs,
    leaves: &[usize],
    ids: &HashMap<&str, usize>,
    file: String,
    bytes: Vec<u8>,
) -> std::result::Result<Form, Vec<Diagnostic>> {
    let sha256 = sha256_hex(&bytes);
    if crate::ingest::xlsx::has_macros(&bytes) {
        return Err(vec![Diagnostic::new(&file, "", crate::tr!(
"工作簿中带有宏（VBA），zwgk 不读取带宏的文件；请让该单位在下发的报送表（.xlsx）中填写后发回",
"the workbook carries macros (VBA); zwgk does not read a file with macros — ask the unit to fill in the .xlsx form it was sent"))]);
    }
    let mut book = Book::open(&file, bytes)
        .map_err(|_| not_a_form(&file, crate::tr!("不是工作簿", "it is not a workbook")))?;
    let cells = book.cells(form::SHEET)?.ok_or_else(|| {
        not_a_form(
            &file,
            crate::tr!("没有“{}”工作表", "it has no sheet {}", form::SHEET),
        )
    })?;
    let shown = sheet_shown(&file, form::SHEET);
    check_header(&cells, &file)?;
    let (r, c) = ID_CELL;
    let id = cells.text(r, c).unwrap_or_default();
    let Some(&unit) = ids.get(id.as_str()) else {
        return Err(vec![Diagnostic::new(
            &shown,
            cell_name(u32::from(c), r + 1),
            crate::tr!(
"单位编码“{id}”不在单位名单中；这份报送表不是发给名单上单位的",
"unit id \"{id}\" is not on the roster; this form was not sent to a unit of the roster"),
        )]);
    };
    check_unit_name(&cells, &shown, &inputs.units[unit])?;
    let items = unit_items(system, inputs, unit, leaves);
    check_items(&cells, &items, &shown, &inputs.units[unit])?;
    let (rows, warnings) = filled_rows(system, &cells, &items, &shown, &inputs.units[unit])?;
    Ok(Form {
        file,
        sha256,
        unit,
        rows,
        warnings,
    })
}

/// The header's unit name must be the roster's name of the header's id: a
/// form whose id was changed to another unit's is not filed as that unit's.
fn check_unit_name(
    cells: &Cells,
    shown: &str,
    unit: &crate::ingest::Unit,
) -> std::result::Result<(), Vec<Diagnostic>> {
    let (r, c, _) = form::NAME_LABEL;
    let name = cells.text(r, c + 2).unwrap_or_default();
    if name == unit.name {
        return Ok(());
    }
    let (ir, ic) = ID_CELL;
    Err(vec![Diagnostic::new(
        shown,
        cell_name(u32::from(c + 2), r + 1),
        crate::tr!(
"表头的单位名称“{name}”与单位编码 {}（{}，{}）在名单中的名称“{}”不符；表头被改过，zwgk 不会把它当作哪一个单位的报送表，请核实后让单位重新填报",
"the header's unit name \"{name}\" is not the roster's name \"{}\" of the unit id {} ({}, {}); the header was edited, so zwgk files this form as no unit's — check it and have the unit fill in its own form",
            unit.id,
            cell_name(u32::from(ic), ir + 1),
            unit.name,
            unit.name
        ),
    )])
}

/// Is this the layout zwgk writes: the unit labels and the items' header?
fn check_header(cells: &Cells, file: &str) -> std::result::Result<(), Vec<Diagnostic>> {
    let labels = [form::NAME_LABEL, form::ID_LABEL]
        .iter()
        .all(|&(r, c, s)| cells.text(r, c).as_deref() == Some(s));
    let header = COLUMNS
        .iter()
        .enumerate()
        .all(|(c, name)| cells.text(HEADER_ROW, c as u16).as_deref() == Some(*name));
    if labels && header {
        return Ok(());
    }
    Err(not_a_form(
        file,
        crate::tr!(
            "表头不是报送表的表头：第 3 行应有“单位名称”“单位编码”，第 5 行应为 {}",
            "its header is not the form's: row 3 should hold 单位名称 and 单位编码, row 5 {}",
            COLUMNS.join("、")
        ),
    ))
}

/// The item ids of the form, top to bottom, must be the unit's items: a
/// row added, removed or moved means the layout was edited.
fn check_items(
    cells: &Cells,
    items: &[Item],
    shown: &str,
    unit: &crate::ingest::Unit,
) -> std::result::Result<(), Vec<Diagnostic>> {
    let found: Vec<String> = (HEADER_ROW + 1..cells.end_row())
        .filter_map(|r| cells.text(r, ITEM_COL))
        .collect();
    let expected: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    if found
        .iter()
        .map(String::as_str)
        .eq(expected.iter().copied())
    {
        return Ok(());
    }
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| !found.iter().any(|f| f == e))
        .collect();
    let extra: Vec<&str> = found
        .iter()
        .map(String::as_str)
        .filter(|f| !expected.contains(f))
        .collect();
    let what = match (missing.is_empty(), extra.is_empty()) {
        (true, true) => crate::tr!("项目的顺序或行数被改动", "the items were moved or repeated"),
        _ => crate::tr!(
            "缺少 {}；多出 {}",
            "missing {}; not this unit's {}",
            show_list(&missing),
            show_list(&extra)
        ),
    };
    Err(vec![Diagnostic::new(shown, "", crate::tr!(
"表中的项目与 {} {} 应填的项目不一致（{what}）：表格的版式被改动，或不是本年度的报送表；请用下发的原表重新填写",
"the items do not match those unit {} {} was asked for ({what}): the layout was edited, or the form is of another year; fill in the form that was sent",
        unit.id, unit.name))
    .about(unit.name.clone())])
}

fn show_list(ids: &[&str]) -> String {
    if ids.is_empty() {
        crate::tr!("无", "none")
    } else {
        crate::lang::list(ids)
    }
}

/// The rows with a value, each value checked as `run` checks it.
fn filled_rows(
    system: &System,
    cells: &Cells,
    items: &[Item],
    shown: &str,
    unit: &crate::ingest::Unit,
) -> std::result::Result<(Vec<Row>, Vec<String>), Vec<Diagnostic>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let r = HEADER_ROW + 1 + k as u32;
        let about = crate::tr!(
            "单位 {}，指标 {}",
            "unit {}, indicator {}",
            unit.name,
            item.id
        );
        let evidence = cells.text(r, EVIDENCE_COL);
        if let Some(f) = cells.formula(r, VALUE_COL) {
            errors.push(
                Diagnostic::new(shown, cell_name(u32::from(VALUE_COL), r + 1), crate::tr!(
"是公式（={f}），不是填报值；请复制后“粘贴为数值”再发回",
"holds a formula (={f}), not a value; copy it and paste it as values (粘贴为数值), then send the form back"))
                .about(about),
            );
            continue;
        }
        let Some(raw) = cells.text(r, VALUE_COL) else {
            if evidence.is_some() {
                warnings.push(
                    Diagnostic::new(
                        shown,
                        cell_name(u32::from(VALUE_COL), r + 1),
                        crate::tr!(
"填了佐证材料，填报值却是空的：本项按未报送计",
"evidence is given but the value is empty: the item counts as not submitted"),
                    )
                    .about(about)
                    .to_string(),
                );
            }
            continue;
        };
        match parse_submitted(system, item.target, &raw) {
            Ok(value) => rows.push(Row {
                item: item.id.clone(),
                value: as_submitted(&item.entry, &value, raw),
                evidence,
            }),
            Err(e) => errors.push(
                Diagnostic::new(shown, cell_name(u32::from(VALUE_COL), r + 1), e).about(about),
            ),
        }
    }
    if errors.is_empty() {
        Ok((rows, warnings))
    } else {
        Err(errors)
    }
}

/// The value as the submissions table writes it: a ratio read from a
/// percent cell (0.859) as `85.9%`, exactly; everything else as read.
fn as_submitted(entry: &Entry, value: &Value, raw: String) -> String {
    match (entry, value) {
        (Entry::Ratio, Value::Number(n)) => {
            format!("{}%", (*n * rust_decimal::Decimal::ONE_HUNDRED).normalize())
        }
        _ => raw,
    }
}
