//! A program's Team page: its people with their roles, adding an existing coordinator or tutor,
//! taking someone off the program (their course assignments there end with it). The account
//! pages of the team (`/team/users/...`) are `users::handlers` with `Reach::Team`.

pub mod handlers;
mod model;
