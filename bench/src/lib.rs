//! The benchmark's own code, apart from the app: `bench-seed` generates a large academy inside
//! PostgreSQL, `bench-replay-script` turns a page's captured statements into a pgbench script.
//! `bench-invoice-run` times an invoice run of a generated program, `bench-import` a CSV import. `scripts/bench.sh` drives
//! them; the app's binary carries none of it.

mod import;
mod invoice_run;
pub mod replay;
mod seed;
mod sizes;

pub use import::{import, import_file, ImportFigures};
pub use invoice_run::{invoice_run, pay_share, RunFigures};
pub use seed::{overfull_classes, seed, unpriced_enrollments, BENCH_PASSWORD};
pub use sizes::Sizes;
