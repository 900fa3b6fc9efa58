// mimalloc, as polars advises: glibc's malloc returns large blocks to the
// system and faults them in again, which cost a sixth of a province-scale
// run (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(zwgk::cli::main());
}
