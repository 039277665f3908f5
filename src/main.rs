use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    atur_malloc();
    sipkatdes::cli::main().await
}

/// glibc raises its mmap threshold each time a large block is freed, so after the first login
/// every 19 MiB argon2 buffer (and every large export) is carved from a thread's arena and stays
/// resident after it is freed: measured 81 MB RSS idle after four logins, 18 MB with a fixed
/// threshold. A fixed threshold (256 KiB) gives large blocks back to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn atur_malloc() {
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_MMAP_THRESHOLD: i32 = -3;
    // SAFETY: mallopt only changes allocator parameters; it is called before any other work.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn atur_malloc() {}
