//! The benchmark's own code, apart from the app: `bench-seed` generates a large academy inside
//! PostgreSQL, `bench-replay-script` turns a page's captured statements into a pgbench script.
//! `scripts/bench.sh` drives both; the app's binary carries none of it.

pub mod replay;
mod seed;
mod sizes;

pub use seed::{overfull_classes, seed, unpriced_enrollments, BENCH_PASSWORD};
pub use sizes::Sizes;
