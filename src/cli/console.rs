//! The console of an officer's Windows machine. Messages need nothing
//! here: Rust's standard library writes to a Windows console with
//! `WriteConsoleW` (UTF-16), so Chinese reads correctly whatever the
//! console's code page (936 on a Chinese Windows), and writes UTF-8 when
//! the output is redirected to a file or pipe. What is here: `zwgk.exe`
//! double-clicked in Explorer gets a console of its own that would close
//! the moment the demo finished, so it runs the demo beside the exe and
//! waits for a key before its window closes.

/// Was the program started by a double-click (it is alone in its console)?
#[cfg(windows)]
pub fn double_clicked() -> bool {
    #[link(name = "kernel32")]
    extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
    }
    let mut list = [0u32; 4];
    // SAFETY: the buffer holds `list.len()` process ids, as the call is told.
    let attached = unsafe { GetConsoleProcessList(list.as_mut_ptr(), list.len() as u32) };
    attached == 1
}

#[cfg(not(windows))]
pub fn double_clicked() -> bool {
    false
}

/// Runs from the folder of the exe (Explorer may start it elsewhere), so
/// that the demo beside it is found.
pub fn run_beside_the_exe() {
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Into::into))
    {
        let _ = std::env::set_current_dir::<std::path::PathBuf>(dir);
    }
}

/// "Press Enter to close", and the wait for it.
pub fn wait_for_a_key() {
    println!();
    println!(
        "{}",
        crate::tr!(
            "结果在 reports\\demo 文件夹中（用浏览器打开 results.html）。按回车键关闭本窗口……",
            "the results are in reports\\demo (open results.html in a browser). Press Enter to close this window…"
        )
    );
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}
