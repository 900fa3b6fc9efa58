//! The command line in Chinese: every command's description, every
//! option's help, the headings of `--help`, and clap's own argument errors.
//! The English texts are the doc comments of [`super::Cli`]; these replace
//! them when zwgk speaks Chinese. A test checks that every command and
//! option has its Chinese text.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// A command's description in Chinese (`None` for the root).
fn about(command: Option<&str>) -> Option<&'static str> {
    Some(match command {
        None => "政务公开绩效考核：按 TOML 指标体系和输入表格，精确计算得分、名次、等次，生成报告",
        Some("run") => "计分、排名、定等次，并写出全部报告",
        Some("check") => "检查指标体系和全部输入表格；不写出任何文件",
        Some("whatif") => "按调整后的分值或权重重新计分，查看名次如何变化",
        Some("sensitivity") => "名次对分值的稳健性：随机调整分值后重新排名",
        Some("compare") => "比较两份 results.json（如两个年度）的名次和等次变化",
        Some("explain") => "以树形列出一个单位的得分：每一分得失及其原因",
        Some("generate") => "生成任意规模的合成考核数据（indicators.toml 和 data/）",
        Some("template") => "根据单位名单生成发给各单位填报的报送工作簿（或每个单位一份报送表）",
        Some("collect") => "读取各单位交回的报送表，逐项检查后合并为一张单位报送表",
        Some("combine") => "按权重合并此前各次运行的结果（各季度、年度考核）为一个结果",
        Some("weights") => "权重从何而来：层次分析法（两两比较）或按得分的熵权法",
        Some("ahp") => "层次分析法：按两两比较矩阵求各上级指标下级指标的权重",
        Some("init") => "在一个新文件夹中开始新的考核：指标体系样板（带中文注释）和各张空表",
        Some("entropy") => "熵权法：按本次各单位末级指标得分的离散程度求权重",
        Some(_) => return None,
    })
}

/// An option's help in Chinese.
fn help(id: &str) -> Option<&'static str> {
    Some(match id {
        "indicators" => "指标体系文件（TOML）",
        "data" => "输入表格所在目录（单位名单、检查结果、单位报送、评分、责任分工）",
        "draft" => "计入仍为“待审核”的报送，并把全部输出标为征求意见稿",
        "out" => "输出目录",
        "force" => "替换此前 zwgk 写出的输出目录",
        "no_charts" => "不画图表（只写表格和通报），用于批量运行",
        "font" => "图表用的中文字体文件［默认：内置的文泉驿微米黑］",
        "template" => "单位自己的 notice.html 模板（minijinja）",
        "notice_date" => "通报落款日期，写法与表格中的日期相同（2024-02-20、2024/2/20、2024.2.20、2024年2月20日）［默认：今天］",
        "all_warnings" => "列出全部警告（默认只列前 20 条和总数）",
        "set" => "代码=值：新的分值（同级指标用权重时为新权重）；可重复",
        "samples" => "随机调整分值的次数",
        "spread" => "每个指标的分值在 [1 − S, 1 + S] 倍之间变动",
        "seed" => "随机种子：同一种子在任何机器上结果相同",
        "old" => "较早的 results.json",
        "new" => "较新的 results.json",
        "unit" => "单位：编码、名称或别名",
        "units" => "单位数",
        "records" => "检查记录数",
        "file" => "两两比较矩阵文件（TOML）：每个上级指标一个 [[set]]，含 parent、children、upper",
        "write" => "另存一份指标体系，把这些下级指标改为上述权重（weight）",
        "feedback" => "单位超过 2000 个时也写出整改台账 feedback.xlsx",
        "no_feedback" => "不写出整改台账",
        "period" => "只对一个考核期计分（[[period]] 的代码）：该期内的检查记录、该期的报送和评分",
        "parts" => "部分=权重：某次运行的输出目录（或其 results.json）及其权重；可重复",
        "messy" => "按各单位实际填表的样子写出（编码、名称、别名混用，四种日期写法，GB18030 与带 BOM 的 UTF-8）：考核内容相同",
        "per_unit" => "每个单位一份受保护的报送表（<单位编码>.xlsx），只列该单位应填的项目",
        "returned" => "各单位交回的报送表所在目录（文件名不限）",
        "force_file" => "该文件（及其 collect.log）已存在时替换它",
        "out_file" => "合并后的单位报送表：.xlsx 或 .csv 文件（旁边另写 collect.log）",
        "dir" => "新考核所在的文件夹（不能已经存在）",
        "names" => "部分=名称：文件中对某一部分的称呼（默认为其考核期名称，全年的为“年度考核”）；可重复",
        "doc_number" => "本次通报的发文字号（每季度的通报各有其号），优先于 notice.doc_number",
        "lang" => "界面语言：zh（中文，默认）或 en（英文）；也可由 LC_ALL、LC_MESSAGES、LANG 决定",
        _ => return None,
    })
}

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command line with Chinese texts.
pub fn localize(cmd: Command) -> Command {
    let cmd = cmd.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本"),
    );
    let cmd = localize_one(cmd, None)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true);
    localize_subcommands(cmd)
}

/// Every subcommand, and theirs (`weights ahp`), in Chinese.
fn localize_subcommands(cmd: Command) -> Command {
    cmd.mut_subcommands(|sc| {
        let name = sc.get_name().to_string();
        let sc = localize_one(sc, Some(&name))
            .subcommand_help_heading("命令")
            .subcommand_value_name("命令")
            .disable_help_subcommand(true);
        localize_subcommands(sc)
    })
}

fn localize_one(cmd: Command, name: Option<&str>) -> Command {
    let mut cmd = cmd.help_template(TEMPLATE).disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("显示帮助"),
    );
    if let Some(text) = about(name) {
        cmd = cmd.about(text);
    }
    let usage = usage(&cmd, name);
    cmd.override_usage(usage).mut_args(|arg| {
        let id = arg.get_id().as_str().to_string();
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let heading = if arg.is_positional() {
            "参数"
        } else {
            "选项"
        };
        let takes_values = arg.get_action().takes_values();
        let mut arg = arg.help_heading(heading);
        if takes_values {
            arg = arg
                .hide_default_value(true)
                .hide_possible_values(true)
                .hide_env(true);
        }
        match help(&id) {
            Some(text) if defaults.is_empty() => arg.help(text),
            Some(text) => arg.help(format!("{text}［默认：{}］", defaults.join(" "))),
            None => arg,
        }
    })
}

/// "zwgk run [选项]", "zwgk explain [选项] <UNIT>".
fn usage(cmd: &Command, name: Option<&str>) -> String {
    let positionals: Vec<String> = cmd
        .get_positionals()
        .map(|a| match a.get_value_names().and_then(|v| v.first()) {
            Some(v) => format!("<{v}>"),
            None => format!("<{}>", a.get_id().as_str().to_uppercase()),
        })
        .collect();
    let mut usage = match name {
        Some(n) => format!("zwgk {n} [选项]"),
        None => "zwgk [选项] [命令]".to_string(),
    };
    for p in positionals {
        usage.push(' ');
        usage.push_str(&p);
    }
    usage
}

/// clap's argument error in Chinese, with what to do.
pub fn error_text(e: &clap::Error) -> String {
    let get = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let suggested = get(ContextKind::SuggestedArg);
    let hint = if suggested.is_empty() {
        String::new()
    } else {
        format!("。是否为：{suggested}？")
    };
    let text = match e.kind() {
        ErrorKind::UnknownArgument => format!("未知参数“{arg}”{hint}"),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::SuggestedSubcommand);
            let hint = if sub.is_empty() {
                String::new()
            } else {
                format!("。是否为：{sub}？")
            };
            format!("未知命令“{arg}”{hint}")
        }
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            format!("参数 {arg} 的值“{value}”无效；可用的值：{valid}")
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or(String::new(), |s| format!("：{s}"));
            format!("参数 {arg} 的值“{value}”无效{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::NoEquals | ErrorKind::InvalidUtf8 | ErrorKind::TooManyValues => {
            format!("参数 {arg} 的写法不对")
        }
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        _ => format!("参数错误：{}", e.kind()),
    };
    format!("错误：{text}\n\n可用 zwgk --help 或 zwgk <命令> --help 查看用法。\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_command_and_option_has_its_chinese_text() {
        let cmd = super::super::Cli::command();
        assert!(about(None).is_some());
        let mut all: Vec<&Command> = cmd.get_subcommands().collect();
        let nested: Vec<&Command> = all.iter().flat_map(|c| c.get_subcommands()).collect();
        all.extend(nested);
        for sc in all {
            assert!(about(Some(sc.get_name())).is_some(), "{}", sc.get_name());
            for arg in sc.get_arguments() {
                assert!(
                    help(arg.get_id().as_str()).is_some(),
                    "{} --{}",
                    sc.get_name(),
                    arg.get_id()
                );
            }
        }
        localize(cmd).debug_assert();
    }
}
