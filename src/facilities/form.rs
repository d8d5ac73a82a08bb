//! The facility form: text fields kept as typed, validated into a `FacilityCommand`.

use serde::Deserialize;

use super::{
    model::{Facility, FacilityCommand},
    FacilityStatus, FacilityType,
};
use crate::web::form::{required, FieldErrors};

pub const MAX_TAGS: usize = 30;
pub const MAX_TAG_LEN: usize = 60;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FacilityForm {
    pub name: String,
    pub facility_type: String,
    pub capacity: String,
    /// Tags separated by commas or new lines.
    pub equipment: String,
    pub amenities: String,
    pub status: String,
}

impl FacilityForm {
    pub fn blank() -> Self {
        Self {
            status: FacilityStatus::Active.as_str().into(),
            ..Self::default()
        }
    }

    pub fn from_facility(f: &Facility) -> Self {
        Self {
            name: f.name.clone(),
            facility_type: f.facility_type.as_str().into(),
            capacity: f.capacity.to_string(),
            equipment: f.equipment_tags().join(", "),
            amenities: f.amenity_tags().join(", "),
            status: f.status.as_str().into(),
        }
    }

    pub fn validate(&self) -> Result<FacilityCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&self.name, 160)
            .map_err(|e| errors.add("name", e))
            .ok();
        let facility_type = self
            .facility_type
            .parse::<FacilityType>()
            .map_err(|_| errors.add("facility_type", "Choose the kind of facility."))
            .ok();
        let capacity = match self.capacity.trim().replace(',', "").parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => Some(n as i32),
            Ok(_) => {
                errors.add("capacity", "Enter a capacity from 1 to 100,000 people.");
                None
            }
            Err(_) => {
                errors.add(
                    "capacity",
                    "Enter the number of people the facility holds, e.g. 40.",
                );
                None
            }
        };
        let equipment = parse_tags(&self.equipment)
            .map_err(|e| errors.add("equipment", e))
            .ok();
        let amenities = parse_tags(&self.amenities)
            .map_err(|e| errors.add("amenities", e))
            .ok();
        let status = self
            .status
            .parse::<FacilityStatus>()
            .map_err(|_| errors.add("status", "Choose a status."))
            .ok();
        match (name, facility_type, capacity, equipment, amenities, status) {
            (
                Some(name),
                Some(facility_type),
                Some(capacity),
                Some(equipment),
                Some(amenities),
                Some(status),
            ) if errors.is_empty() => Ok(FacilityCommand {
                name,
                facility_type,
                capacity,
                equipment,
                amenities,
                status,
            }),
            _ => Err(errors),
        }
    }
}

/// "Lane ropes, Kickboards" (or one per line) to a list of distinct, trimmed tags.
pub fn parse_tags(text: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for raw in text.split([',', '\n']) {
        let tag = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG_LEN {
            return Err(format!(
                "Keep each item to at most {MAX_TAG_LEN} characters (\"{}…\" is longer).",
                tag.chars().take(20).collect::<String>()
            ));
        }
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("List at most {MAX_TAGS} items."));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_split_trimmed_and_deduplicated() {
        assert_eq!(
            parse_tags(" Lane ropes,kickboards\nLane  ropes , ,Kickboards").unwrap(),
            vec!["Lane ropes", "kickboards"]
        );
        assert!(parse_tags(&"x".repeat(61)).is_err());
        assert!(parse_tags("").unwrap().is_empty());
    }

    #[test]
    fn a_facility_form_names_each_wrong_field() {
        let form = FacilityForm {
            capacity: "0".into(),
            facility_type: "moon".into(),
            ..FacilityForm::blank()
        };
        let errors = form.validate().unwrap_err();
        assert!(errors.has("name") && errors.has("capacity") && errors.has("facility_type"));
        assert!(!errors.has("status"));
    }
}
