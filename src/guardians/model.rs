//! Guardians and their links to students, read and written through the program's scope. A tutor
//! sees only the guardians of students they may see (their courses' students).

use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    db::functions::lower,
    error::{AppError, AppResult},
    pg_enum,
    schema::{guardians as g, sql_types, student_guardians as l, students as s},
    web::{form::like_pattern, pagination::PageRequest},
};

pg_enum! {
    /// `guardians.preferred_contact`.
    pub enum ContactMethod: sql_types::ContactMethod {
        Phone = "phone",
        Sms = "sms",
        Whatsapp = "whatsapp",
        Email = "email",
    }
}

impl ContactMethod {
    pub fn label(self) -> &'static str {
        match self {
            ContactMethod::Phone => "Phone call",
            ContactMethod::Sms => "SMS",
            ContactMethod::Whatsapp => "WhatsApp",
            ContactMethod::Email => "Email",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = g, check_for_backend(diesel::pg::Pg))]
pub struct Guardian {
    pub id: Uuid,
    pub full_name: String,
    pub relationship: String,
    pub phone: String,
    pub other_phone: String,
    pub email: String,
    pub address: String,
    pub preferred_contact: ContactMethod,
    pub updated_at: DateTime<Utc>,
}

impl Guardian {
    /// A number as a `tel:` link wants it: digits and a leading +, no spaces.
    pub fn tel(&self, number: &str) -> String {
        number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
    /// Their name, or a word that says none was recorded (a contact moved without one).
    pub fn name_shown(&self) -> &str {
        if self.full_name.is_empty() {
            "(no name recorded)"
        } else {
            &self.full_name
        }
    }
}

#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = crate::schema::across_programs::guardians)]
pub struct GuardianChanges {
    pub full_name: String,
    pub relationship: String,
    pub phone: String,
    pub other_phone: String,
    pub email: String,
    pub address: String,
    pub preferred_contact: ContactMethod,
}

/// What is true of a guardian for one child.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    pub emergency_contact: bool,
    pub may_pick_up: bool,
    pub pays_fees: bool,
}

/// A guardian as a child's page lists them, with what is true of them for that child.
pub struct GuardianOfStudent {
    pub guardian: Guardian,
    pub flags: Flags,
}

/// A child as a guardian's page lists them.
pub struct Child {
    pub student_id: Uuid,
    pub student_code: String,
    pub name: String,
    pub flags: Flags,
}

/// The guardians the scope may see: all of the program's, or for a tutor those of their
/// courses' students.
fn visible<'a>(scope: &ProgramScope) -> g::BoxedQuery<'a, diesel::pg::Pg> {
    let all = scope.guardians().into_boxed();
    match scope.tutor_id() {
        None => all,
        Some(_) => all.filter(
            g::id.eq_any(
                scope
                    .student_guardians()
                    .filter(l::student_id.eq_any(crate::students::visible(scope).select(s::id)))
                    .select(l::guardian_id),
            ),
        ),
    }
}

pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Guardian> {
    visible(scope)
        .filter(g::id.eq(id))
        .select(Guardian::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// One page of the guardians matching `q` (name, phones or email), by name; counted up to one
/// row past the page.
pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    q: &str,
    page: PageRequest,
) -> QueryResult<(Vec<(Guardian, i64)>, i64)> {
    let q = q.trim();
    let filtered = || {
        let mut query = visible(scope);
        if !q.is_empty() {
            query = query.filter(
                g::full_name
                    .concat(" ")
                    .concat(g::phone)
                    .concat(" ")
                    .concat(g::other_phone)
                    .concat(" ")
                    .concat(g::email)
                    .ilike(like_pattern(q)),
            );
        }
        query
    };
    let counted: i64 = filtered()
        .select(g::id)
        .limit(page.count_limit())
        .load::<Uuid>(conn)?
        .len() as i64;
    let rows = filtered()
        .order((lower(g::full_name), g::id))
        .limit(page.limit())
        .offset(page.offset())
        .select((
            Guardian::as_select(),
            scope
                .student_guardians()
                .filter(l::guardian_id.eq(g::id))
                .count()
                .single_value(),
        ))
        .load::<(Guardian, Option<i64>)>(conn)?
        .into_iter()
        .map(|(guardian, children)| (guardian, children.unwrap_or(0)))
        .collect();
    Ok((rows, counted))
}

fn flags((emergency_contact, may_pick_up, pays_fees): (bool, bool, bool)) -> Flags {
    Flags {
        emergency_contact,
        may_pick_up,
        pays_fees,
    }
}

/// A student's guardians (the scope's own student), emergency contacts first, then by name.
pub fn of_student(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
) -> QueryResult<Vec<GuardianOfStudent>> {
    let links: Vec<(Uuid, (bool, bool, bool))> = scope
        .student_guardians()
        .filter(l::student_id.eq(student))
        .select((
            l::guardian_id,
            (l::emergency_contact, l::may_pick_up, l::pays_fees),
        ))
        .load(conn)?;
    let ids: Vec<Uuid> = links.iter().map(|(id, _)| *id).collect();
    let guardians: Vec<Guardian> = scope
        .guardians()
        .filter(g::id.eq_any(&ids))
        .order((lower(g::full_name), g::id))
        .select(Guardian::as_select())
        .load(conn)?;
    let mut out: Vec<GuardianOfStudent> = guardians
        .into_iter()
        .filter_map(|guardian| {
            let (_, f) = links.iter().find(|(id, _)| *id == guardian.id)?;
            Some(GuardianOfStudent {
                guardian,
                flags: flags(*f),
            })
        })
        .collect();
    out.sort_by_key(|o| !o.flags.emergency_contact);
    Ok(out)
}

/// A guardian's children, by name.
pub fn children(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    guardian: Uuid,
) -> QueryResult<Vec<Child>> {
    let links: Vec<(Uuid, (bool, bool, bool))> = scope
        .student_guardians()
        .filter(l::guardian_id.eq(guardian))
        .select((
            l::student_id,
            (l::emergency_contact, l::may_pick_up, l::pays_fees),
        ))
        .load(conn)?;
    let ids: Vec<Uuid> = links.iter().map(|(id, _)| *id).collect();
    let students: Vec<(Uuid, String, String, String)> = scope
        .students()
        .filter(s::id.eq_any(&ids))
        .order((s::last_name, s::first_name, s::id))
        .select((s::id, s::student_id, s::first_name, s::last_name))
        .load(conn)?;
    Ok(students
        .into_iter()
        .filter_map(|(id, code, first, last)| {
            let (_, f) = links.iter().find(|(s, _)| *s == id)?;
            Some(Child {
                student_id: id,
                student_code: code,
                name: format!("{first} {last}"),
                flags: flags(*f),
            })
        })
        .collect())
}

/// Students whose name or id matches `q`, who are not yet this guardian's children: the
/// candidates to add as a child (siblings).
pub fn candidates(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    guardian: Uuid,
    q: &str,
) -> QueryResult<Vec<(Uuid, String, String)>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let pattern = like_pattern(q);
    scope
        .students()
        .filter(
            s::first_name
                .concat(" ")
                .concat(s::last_name)
                .ilike(pattern.clone())
                .or(s::student_id.ilike(pattern)),
        )
        .filter(
            s::id.ne_all(
                scope
                    .student_guardians()
                    .filter(l::guardian_id.eq(guardian))
                    .select(l::student_id),
            ),
        )
        .order((s::last_name, s::first_name, s::id))
        .limit(20)
        .select((
            s::id,
            s::student_id,
            s::first_name.concat(" ").concat(s::last_name),
        ))
        .load(conn)
}

pub fn create(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    changes: &GuardianChanges,
) -> QueryResult<Uuid> {
    g::insert()
        .values((g::program_id.eq(scope.program_id()), changes))
        .returning(g::id)
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
    changes: &GuardianChanges,
) -> AppResult<()> {
    let updated_at: DateTime<Utc> = scope
        .guardians()
        .filter(g::id.eq(id))
        .select(g::updated_at)
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    crate::web::form::check_version(version, updated_at, "This guardian")?;
    diesel::update(scope.guardians().filter(g::id.eq(id)))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

/// Links `student` (of the scope) to `guardian` with `flags`; refused when they are linked
/// already.
pub fn link(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    guardian: Uuid,
    student: Uuid,
    flags: Flags,
) -> AppResult<()> {
    let exists = diesel::select(diesel::dsl::exists(
        scope.students().filter(s::id.eq(student)),
    ))
    .get_result::<bool>(conn)?;
    if !exists {
        return Err(AppError::NotFound);
    }
    match l::insert()
        .values((
            l::program_id.eq(scope.program_id()),
            l::student_id.eq(student),
            l::guardian_id.eq(guardian),
            l::emergency_contact.eq(flags.emergency_contact),
            l::may_pick_up.eq(flags.may_pick_up),
            l::pays_fees.eq(flags.pays_fees),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Err(
            AppError::conflict("They are this guardian's child already. Nothing was changed."),
        ),
        Err(e) => Err(e.into()),
    }
}

/// Sets what is true of `guardian` for `student`; not found when they are not linked.
pub fn set_flags(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    guardian: Uuid,
    student: Uuid,
    flags: Flags,
) -> AppResult<()> {
    let changed = diesel::update(
        scope
            .student_guardians()
            .filter(l::guardian_id.eq(guardian))
            .filter(l::student_id.eq(student)),
    )
    .set((
        l::emergency_contact.eq(flags.emergency_contact),
        l::may_pick_up.eq(flags.may_pick_up),
        l::pays_fees.eq(flags.pays_fees),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Unlinks `student` from `guardian` (the guardian stays, for their other children or later).
pub fn unlink(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    guardian: Uuid,
    student: Uuid,
) -> AppResult<()> {
    let removed = diesel::delete(
        scope
            .student_guardians()
            .filter(l::guardian_id.eq(guardian))
            .filter(l::student_id.eq(student)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The program's guardians with one of these names (compared in lower case): who an import's
/// guardian may be already. Returns id, name, phone and email.
pub fn named(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    lower_names: &[String],
) -> QueryResult<Vec<(Uuid, String, String, String)>> {
    scope
        .guardians()
        .filter(lower(g::full_name).eq_any(lower_names))
        .select((g::id, g::full_name, g::phone, g::email))
        .load(conn)
}

/// Creates guardians with the ids given (an import's, in batches).
pub fn create_many(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    guardians: Vec<(Uuid, GuardianChanges)>,
) -> QueryResult<()> {
    let rows: Vec<_> = guardians
        .into_iter()
        .map(|(id, changes)| (g::id.eq(id), g::program_id.eq(scope.program_id()), changes))
        .collect();
    for batch in rows.chunks(1000) {
        g::insert().values(batch).execute(conn)?;
    }
    Ok(())
}

/// Links each (student, guardian) with `flags`; a pair linked already stays as it is.
pub fn link_many(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    pairs: &[(Uuid, Uuid)],
    flags: Flags,
) -> QueryResult<()> {
    let rows: Vec<_> = pairs
        .iter()
        .map(|(student, guardian)| {
            (
                l::program_id.eq(scope.program_id()),
                l::student_id.eq(*student),
                l::guardian_id.eq(*guardian),
                l::emergency_contact.eq(flags.emergency_contact),
                l::may_pick_up.eq(flags.may_pick_up),
                l::pays_fees.eq(flags.pays_fees),
            )
        })
        .collect();
    for batch in rows.chunks(1000) {
        l::insert()
            .values(batch)
            .on_conflict((l::student_id, l::guardian_id))
            .do_nothing()
            .execute(conn)?;
    }
    Ok(())
}

/// Who an invoice of `student` is addressed to: their guardian who pays the fees (the first by
/// name when several do), read when the invoice is shown, so it follows the family's choice.
pub fn payer_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
) -> QueryResult<Option<Guardian>> {
    scope
        .guardians()
        .filter(
            g::id.eq_any(
                scope
                    .student_guardians()
                    .filter(l::student_id.eq(student))
                    .filter(l::pays_fees)
                    .select(l::guardian_id),
            ),
        )
        .order((lower(g::full_name), g::id))
        .select(Guardian::as_select())
        .first(conn)
        .optional()
}
