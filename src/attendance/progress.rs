//! Progress that follows the curriculum: an enrollment in a class that follows a curriculum has,
//! as its progress, the share of that curriculum's lessons it has been credited with, weighted by
//! the lessons' durations. Stored on the enrollment (lists read it as before) and recomputed in
//! the same transaction as whatever changes it: a credit, a lesson added or removed.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    enrollments::EnrollmentStatus,
    error::AppResult,
    schema::{classes, course_enrollments as e, lesson_credits},
};

/// The share, in whole percent rounded down (100 only when every lesson is credited), of the
/// `lessons` (id, minutes) that are `credited`. A lesson without a duration weighs the mean of
/// those with one (all weigh the same when none has one).
pub fn share(lessons: &[(Uuid, i32)], credited: &HashSet<Uuid>) -> i32 {
    if lessons.is_empty() {
        return 0;
    }
    let timed: Vec<i64> = lessons
        .iter()
        .filter(|l| l.1 > 0)
        .map(|l| i64::from(l.1))
        .collect();
    // In sixtieths of a minute, so that the mean of durations stays whole.
    let mean = if timed.is_empty() {
        60
    } else {
        timed.iter().sum::<i64>() * 60 / timed.len() as i64
    };
    let weight = |minutes: i32| {
        if minutes > 0 {
            i64::from(minutes) * 60
        } else {
            mean
        }
    };
    let total: i64 = lessons.iter().map(|l| weight(l.1)).sum();
    let done: i64 = lessons
        .iter()
        .filter(|l| credited.contains(&l.0))
        .map(|l| weight(l.1))
        .sum();
    if total == 0 {
        return 0;
    }
    (done * 100 / total) as i32
}

/// Recomputes the stored progress of those of `enrollment_ids` whose class follows a curriculum.
pub fn recompute(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_ids: &[Uuid],
) -> AppResult<()> {
    if enrollment_ids.is_empty() {
        return Ok(());
    }
    for (enrollment, list) in checklists(conn, scope, enrollment_ids)? {
        let lessons: Vec<(Uuid, i32)> = list
            .lessons
            .iter()
            .map(|l| (l.id, l.duration_minutes))
            .collect();
        diesel::update(scope.course_enrollments().filter(e::id.eq(enrollment)))
            .set(e::progress_percentage.eq(share(&lessons, &list.credited)))
            .execute(conn)?;
    }
    Ok(())
}

/// The curriculum the enrollment follows: its class's, if it is in a class that follows one.
pub fn curriculum_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_id: Uuid,
) -> AppResult<Option<Uuid>> {
    let class: Option<Uuid> = scope
        .course_enrollments()
        .filter(e::id.eq(enrollment_id))
        .select(e::class_id)
        .first(conn)?;
    let Some(class) = class else {
        return Ok(None);
    };
    Ok(scope
        .classes()
        .filter(classes::id.eq(class))
        .select(classes::curriculum_id)
        .first(conn)?)
}

/// After a curriculum's lessons changed (one added, removed or retimed): the running enrollments
/// of the classes that follow it.
pub fn recompute_for_curriculum(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    curriculum_id: Uuid,
) -> AppResult<()> {
    let ids: Vec<Uuid> = scope
        .course_enrollments()
        .filter(
            e::class_id.eq_any(
                scope
                    .classes()
                    .filter(classes::curriculum_id.eq(curriculum_id))
                    .select(classes::id.nullable()),
            ),
        )
        .filter(e::status.eq_any([EnrollmentStatus::Active, EnrollmentStatus::Paused]))
        .select(e::id)
        .load(conn)?;
    recompute(conn, scope, &ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::new_v4()).collect()
    }

    #[test]
    fn without_durations_every_lesson_weighs_the_same_and_100_needs_every_lesson() {
        let l = ids(3);
        let lessons: Vec<(Uuid, i32)> = l.iter().map(|id| (*id, 0)).collect();
        assert_eq!(share(&lessons, &HashSet::from([l[0]])), 33);
        assert_eq!(share(&lessons, &HashSet::from([l[0], l[1]])), 66);
        assert_eq!(share(&lessons, &l.iter().copied().collect()), 100);
        assert_eq!(share(&[], &HashSet::new()), 0);
    }

    #[test]
    fn durations_weigh_and_a_lesson_without_one_weighs_the_mean() {
        let l = ids(3);
        // 30 + 90 minutes, and one without a duration: it weighs 60.
        let lessons = vec![(l[0], 30), (l[1], 90), (l[2], 0)];
        assert_eq!(share(&lessons, &HashSet::from([l[1]])), 50);
        assert_eq!(share(&lessons, &HashSet::from([l[0], l[2]])), 50);
        // A credit for a lesson no longer in the curriculum counts for nothing.
        assert_eq!(share(&lessons, &HashSet::from([Uuid::new_v4()])), 0);
    }
}

/// The lessons of an enrollment's curriculum and which of them it is credited with.
pub struct Checklist {
    pub lessons: Vec<crate::curricula::LessonRef>,
    pub credited: HashSet<Uuid>,
}

impl Checklist {
    pub fn done(&self, lesson: &Uuid) -> bool {
        self.credited.contains(lesson)
    }
    pub fn done_count(&self) -> usize {
        self.lessons.iter().filter(|l| self.done(&l.id)).count()
    }
}

/// The checklists of those of `enrollment_ids` that follow a curriculum (four queries).
pub fn checklists(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Checklist>> {
    let in_classes: Vec<(Uuid, Uuid)> = scope
        .course_enrollments()
        .filter(e::id.eq_any(enrollment_ids))
        .filter(e::class_id.is_not_null())
        .select((e::id, e::class_id.assume_not_null()))
        .load(conn)?;
    if in_classes.is_empty() {
        return Ok(HashMap::new());
    }
    let class_ids: Vec<Uuid> = in_classes.iter().map(|r| r.1).collect();
    let curricula: HashMap<Uuid, Uuid> = scope
        .classes()
        .filter(classes::id.eq_any(&class_ids))
        .filter(classes::curriculum_id.is_not_null())
        .select((classes::id, classes::curriculum_id.assume_not_null()))
        .load::<(Uuid, Uuid)>(conn)?
        .into_iter()
        .collect();
    let curriculum_ids: Vec<Uuid> = curricula.values().copied().collect();
    let lessons = crate::curricula::lessons_of(conn, scope, &curriculum_ids)?;
    let ids: Vec<Uuid> = in_classes.iter().map(|r| r.0).collect();
    let mut credited: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for (enrollment, lesson) in scope
        .lesson_credits()
        .filter(lesson_credits::enrollment_id.eq_any(&ids))
        .select((lesson_credits::enrollment_id, lesson_credits::lesson_id))
        .load::<(Uuid, Uuid)>(conn)?
    {
        credited.entry(enrollment).or_default().insert(lesson);
    }
    Ok(in_classes
        .into_iter()
        .filter_map(|(enrollment, class)| {
            let curriculum = curricula.get(&class)?;
            Some((
                enrollment,
                Checklist {
                    lessons: lessons
                        .iter()
                        .filter(|l| l.curriculum_id == *curriculum)
                        .cloned()
                        .collect(),
                    credited: credited.remove(&enrollment).unwrap_or_default(),
                },
            ))
        })
        .collect())
}
