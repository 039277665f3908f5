use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    sipkatdes::cli::main().await
}
