//! A facility's places at one time: the warning given when the classes meeting there at once
//! could bring more students than the facility holds. A warning, not a refusal: a facility's
//! areas are often shared by design (two lanes of one pool), and the coordinator knows.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use uuid::Uuid;

use super::SessionStatus;
use crate::{
    access::ProgramScope,
    error::AppResult,
    schema::{class_sessions as s, classes, facilities},
};

type Span = (DateTime<Utc>, DateTime<Utc>);

/// "Ikoyi Aquatic Centre could hold 34 students at once on Sat 10 Jan 2027 09:00 (this class
/// and Sharks) for a capacity of 30.", for the first of the class's sessions still ahead where
/// the places of the classes meeting there at the same time pass the facility's capacity.
pub fn overload(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
    zone: Tz,
) -> AppResult<Option<String>> {
    let (facility_id, places): (Uuid, i32) = scope
        .classes()
        .filter(classes::id.eq(class_id))
        .select((classes::facility_id, classes::capacity))
        .first(conn)?;
    let now = Utc::now();
    let mine: Vec<Span> = scope
        .class_sessions()
        .filter(s::class_id.eq(class_id))
        .filter(s::status.eq(SessionStatus::Scheduled))
        .filter(s::ends_at.gt(now))
        .order(s::starts_at)
        .select((s::starts_at, s::ends_at))
        .load(conn)?;
    let (Some(first), Some(last)) = (mine.first(), mine.last()) else {
        return Ok(None);
    };
    let others: Vec<(DateTime<Utc>, DateTime<Utc>, String, i32)> = scope
        .sessions_named()
        .filter(classes::facility_id.eq(facility_id))
        .filter(s::class_id.ne(class_id))
        .filter(s::status.eq(SessionStatus::Scheduled))
        .filter(s::ends_at.gt(first.0))
        .filter(s::starts_at.lt(last.1))
        .select((s::starts_at, s::ends_at, classes::name, classes::capacity))
        .load(conn)?;
    if others.is_empty() {
        return Ok(None);
    }
    let (facility, capacity): (String, i32) = scope
        .facilities()
        .filter(facilities::id.eq(facility_id))
        .select((facilities::name, facilities::capacity))
        .first(conn)?;
    Ok(first_overload(&mine, places, &others, capacity).map(|(at, total, names)| {
        format!(
            "{facility} could hold {total} students at once on {} (this class and {}) for a capacity of {capacity}.",
            crate::web::format::date_time(at, zone),
            crate::web::format::and_list(&names).unwrap_or_default()
        )
    }))
}

/// The first of `mine` where its places and those of the overlapping `others` pass `capacity`:
/// when, how many, and the other classes' names.
fn first_overload(
    mine: &[Span],
    places: i32,
    others: &[(DateTime<Utc>, DateTime<Utc>, String, i32)],
    capacity: i32,
) -> Option<(DateTime<Utc>, i64, Vec<String>)> {
    mine.iter().find_map(|(start, end)| {
        let meeting: Vec<&(DateTime<Utc>, DateTime<Utc>, String, i32)> = others
            .iter()
            .filter(|o| o.0 < *end && o.1 > *start)
            .collect();
        let total = i64::from(places) + meeting.iter().map(|o| i64::from(o.3)).sum::<i64>();
        (total > i64::from(capacity)).then(|| {
            let mut names: Vec<String> = meeting.iter().map(|o| o.2.clone()).collect();
            names.sort();
            names.dedup();
            (*start, total, names)
        })
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 9, h, m, 0).unwrap()
    }

    #[test]
    fn only_sessions_that_overlap_count_and_the_capacity_itself_is_allowed() {
        let mine = [(at(8, 0), at(9, 0)), (at(10, 0), at(11, 0))];
        let others = vec![
            (at(9, 0), at(10, 0), "Back to back".to_string(), 50),
            (at(10, 30), at(11, 30), "Sharks".to_string(), 10),
        ];
        assert_eq!(
            first_overload(&mine, 20, &others, 30),
            None,
            "exactly full is fine"
        );
        let found = first_overload(&mine, 21, &others, 30).unwrap();
        assert_eq!(found, (at(10, 0), 31, vec!["Sharks".to_string()]));
    }
}
