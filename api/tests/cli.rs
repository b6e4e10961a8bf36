//! The `sas` binary itself: commands refused outside development.
// Test code: a failure to run the binary is the test failing.
#![allow(clippy::expect_used)]
use std::process::Command;

/// A secret a production configuration accepts (so only SAS_ENV decides).
const SECRET: &str = "q8Zk3N0vR7mTgY2wXcLp9HsJ4uBfE6aD1oKiW5nQzVxMy+Tr/Ge8hUjC0lPbSdAF";

fn seed_demo(env: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sas"));
    cmd.arg("seed-demo")
        .env_remove("SAS_ENV")
        // Nothing listens there: had the command gone on, it would fail to connect.
        .env("DATABASE_URL", "postgres://sas@127.0.0.1:9/none")
        .env("SAS_JWT_SECRET", SECRET)
        .env("RUST_LOG", "info");
    if let Some(e) = env {
        cmd.env("SAS_ENV", e);
    }
    let out = cmd.output().expect("sas runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn seed_demo_is_refused_in_production() {
    for env in [None, Some("prod")] {
        let (ok, stderr) = seed_demo(env);
        assert!(!ok, "SAS_ENV={env:?}");
        assert!(
            stderr.contains("only runs with SAS_ENV=dev"),
            "SAS_ENV={env:?}: {stderr}"
        );
    }
    // In dev it goes on (and here fails on the database, not on the guard).
    let (ok, stderr) = seed_demo(Some("dev"));
    assert!(!ok);
    assert!(!stderr.contains("only runs with SAS_ENV=dev"), "{stderr}");
}

/// `sas COMMAND` with `SAS_TEST_CLOCK_FILE` set (and `SAS_ENV` when given); no database
/// answers, so a command that passes its guards fails on connecting.
fn with_test_clock(command: &str, env: Option<&str>, file: &std::path::Path) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sas"));
    cmd.arg(command)
        .env_remove("SAS_ENV")
        .env("DATABASE_URL", "postgres://sas@127.0.0.1:9/none")
        .env("SAS_JWT_SECRET", SECRET)
        .env("SAS_BIND", "127.0.0.1:0")
        .env("SAS_TEST_CLOCK_FILE", file)
        .env("RUST_LOG", "info");
    if let Some(e) = env {
        cmd.env("SAS_ENV", e);
    }
    let out = cmd.output().expect("sas runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_test_clock_is_refused_in_production_and_checked_at_start_up() {
    let dir = std::env::temp_dir().join(format!("sas-cli-clock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("clock");
    std::fs::write(&file, "30d").expect("write");
    for command in ["serve", "worker"] {
        for env in [None, Some("prod")] {
            let (ok, stderr) = with_test_clock(command, env, &file);
            assert!(!ok, "{command} SAS_ENV={env:?}");
            assert!(
                stderr.contains("SAS_TEST_CLOCK_FILE is invalid: moves business time (tests only): refused when SAS_ENV=prod"),
                "{command} SAS_ENV={env:?}: {stderr}"
            );
        }
        // In dev the clock is taken (and the command then fails on the database).
        let (ok, stderr) = with_test_clock(command, Some("dev"), &file);
        assert!(!ok);
        assert!(
            stderr.contains("business time is the wall clock moved by this file (now 2592000 s)"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("refused when SAS_ENV=prod"), "{stderr}");
    }
    // An offset that is not one is refused before anything else.
    std::fs::write(&file, "dans un mois").expect("write");
    let (ok, stderr) = with_test_clock("serve", Some("dev"), &file);
    assert!(!ok);
    assert!(
        stderr.contains("SAS_TEST_CLOCK_FILE: ") && stderr.contains("is not an offset"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).expect("clean");
}
