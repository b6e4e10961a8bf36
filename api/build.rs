//! Fingerprints the migrations and the communes file so test templates are rebuilt when they change.
use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

fn hash_dir(dir: &Path, h: &mut Sha256) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            hash_dir(&p, h);
        } else if let Ok(bytes) = fs::read(&p) {
            h.update(
                p.to_string_lossy()
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .as_bytes(),
            );
            h.update(&bytes);
        }
    }
}

fn main() {
    // Read at run time, not with env!(): a build script binary reused from another checkout
    // (a copied target/) would otherwise hash that checkout's migrations.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest).join("..");
    let mut h = Sha256::new();
    hash_dir(&root.join("migrations"), &mut h);
    if let Ok(bytes) = fs::read(root.join("data/communes.csv")) {
        h.update(&bytes);
    }
    // Rust-side migrations live here too.
    if let Ok(bytes) = fs::read(root.join("api/src/db/migrations.rs")) {
        h.update(&bytes);
    }
    println!(
        "cargo:rustc-env=SAS_MIGRATIONS_FINGERPRINT={}",
        &hex::encode(h.finalize())[..16]
    );
    println!("cargo:rerun-if-changed=../migrations");
    println!("cargo:rerun-if-changed=../data/communes.csv");
    println!("cargo:rerun-if-changed=src/db/migrations.rs");
}
