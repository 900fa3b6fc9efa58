fn main() {
    std::process::exit(zwgk::cli::main());
}
