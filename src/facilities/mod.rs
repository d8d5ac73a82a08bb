//! Facilities of a program: the list, create and edit forms, the facility page (details, prices,
//! current load) and deletion of a facility nothing depends on.

mod form;
pub mod handlers;
mod model;

pub use model::{find, judge_active, require_active, Facility};

use crate::schema::sql_types;

crate::pg_enum! {
    /// `facilities.facility_type`: what kind of place it is.
    pub enum FacilityType: sql_types::FacilityType {
        Pool = "pool",
        Court = "court",
        Gym = "gym",
        Field = "field",
        Classroom = "classroom",
        Lab = "lab",
    }
}

impl FacilityType {
    pub fn label(self) -> &'static str {
        match self {
            FacilityType::Pool => "Pool",
            FacilityType::Court => "Court",
            FacilityType::Gym => "Gym",
            FacilityType::Field => "Field",
            FacilityType::Classroom => "Classroom",
            FacilityType::Lab => "Lab",
        }
    }
}

crate::pg_enum! {
    /// `facilities.status`: only active facilities are offered for new enrollments.
    pub enum FacilityStatus: sql_types::FacilityStatus {
        Active = "active",
        Maintenance = "maintenance",
        Inactive = "inactive",
    }
}

impl FacilityStatus {
    pub fn label(self) -> &'static str {
        match self {
            FacilityStatus::Active => "Active",
            FacilityStatus::Maintenance => "Maintenance",
            FacilityStatus::Inactive => "Inactive",
        }
    }

    /// As a sentence says it: "Ikoyi Pool is under maintenance".
    pub fn in_words(self) -> &'static str {
        match self {
            FacilityStatus::Active => "active",
            FacilityStatus::Maintenance => "under maintenance",
            FacilityStatus::Inactive => "inactive",
        }
    }
}
