//! A session opened for marking: found in the caller's reach, and open now by the rules.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    roster::{self, RosterLine, SessionDay},
    rules,
};
use crate::{
    access::ProgramScope,
    classes::SessionStatus,
    error::{AppError, AppResult},
    schema::{class_sessions as s, classes},
};

/// A session that may be marked now, as marking needs it.
pub(super) struct OpenSession {
    pub day: SessionDay,
    pub curriculum_id: Option<Uuid>,
}

/// The session, if the caller may mark it now: a tutor only their own sessions (a substitute the
/// ones they cover) within the window of `rules`; staff any session at any time; nobody a
/// cancelled one. Another program's session, or another tutor's, is not found.
pub(super) fn open(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    session_id: Uuid,
    now: DateTime<Utc>,
    zone: Tz,
) -> AppResult<OpenSession> {
    let mut query = scope
        .sessions_named()
        .filter(s::id.eq(session_id))
        .select((s::class_id, s::starts_at, s::status, classes::curriculum_id))
        .into_boxed::<diesel::pg::Pg>();
    if let Some(tutor) = scope.tutor_id() {
        query = query.filter(s::tutor_id.eq(tutor));
    }
    let (class_id, starts_at, status, curriculum_id): (
        Uuid,
        DateTime<Utc>,
        SessionStatus,
        Option<Uuid>,
    ) = query.first(conn)?;
    rules::may_mark(
        status == SessionStatus::Cancelled,
        scope.tutor_id().is_some(),
        starts_at,
        now,
    )
    .map_err(|refusal| AppError::conflict(refusal.message()))?;
    Ok(OpenSession {
        day: SessionDay {
            session_id,
            class_id,
            date: starts_at.with_timezone(&zone).date_naive(),
        },
        curriculum_id,
    })
}

/// The session's roster, read again inside the transaction that writes it.
pub(super) fn roster_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    day: SessionDay,
) -> AppResult<Vec<RosterLine>> {
    Ok(roster::of_sessions(conn, scope, &[day])?
        .remove(&day.session_id)
        .unwrap_or_default())
}
