//! `Shell`: what the layout around every page needs (user, programs, CSRF token, flash, navigation).

use std::future::{ready, Ready};

use actix_session::SessionExt;
use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};

use super::{
    csrf,
    flash::{self, Flash},
    nav::{self, Nav},
};
use crate::{
    access::{gate::PROGRAM_HEADER, CurrentUser, ProgramRef, Viewer},
    error::AppError,
};

pub struct Shell {
    pub user: CurrentUser,
    pub programs: Vec<ProgramRef>,
    pub current: Option<ProgramRef>,
    pub csrf_token: String,
    pub flash: Option<Flash>,
    pub nav: Nav,
    /// The path of this page, so the program switcher can come back to it.
    pub path: String,
}

impl Shell {
    /// `hx-headers` of `<body>`: every htmx request carries the CSRF token and the page's program.
    pub fn hx_headers(&self) -> String {
        let mut headers = serde_json::Map::new();
        headers.insert(csrf::HEADER.into(), self.csrf_token.clone().into());
        if let Some(program) = &self.current {
            headers.insert(PROGRAM_HEADER.into(), program.id.to_string().into());
        }
        serde_json::Value::Object(headers).to_string()
    }

    /// The page's program id for the hidden `program_context` field of plain forms.
    pub fn program_context(&self) -> String {
        self.current
            .as_ref()
            .map(|p| p.id.to_string())
            .unwrap_or_default()
    }

    pub fn program_name(&self) -> &str {
        self.current.as_ref().map_or("", |p| p.name.as_str())
    }

    /// Whether the user may record progress (tutors only in their own courses: the query decides).
    pub fn can_record_progress(&self) -> bool {
        crate::access::permission::allows(self.user.role, crate::access::Action::RecordProgress)
    }

    /// Whether the user may see records' History panels.
    pub fn can_see_history(&self) -> bool {
        crate::access::permission::allows(self.user.role, crate::access::Action::ViewHistory)
    }

    /// Whether the user may enroll students (for "Enroll" links on pages of other features).
    pub fn can_enroll(&self) -> bool {
        crate::access::permission::allows(self.user.role, crate::access::Action::ManageEnrollments)
    }

    pub fn is_current(&self, program: &ProgramRef) -> bool {
        self.current.as_ref() == Some(program)
    }
}

impl Shell {
    /// The layout of an error page: rendered after the session middleware has finished, so from
    /// what the gate kept with the request (no flash message: it waits for the next page).
    pub fn for_error_page(req: &HttpRequest) -> Option<Shell> {
        let viewer = req.extensions().get::<Viewer>().cloned()?;
        let token = req.extensions().get::<csrf::PageToken>().cloned()?;
        Some(Shell {
            nav: nav::for_role(viewer.user.role, req.path()),
            csrf_token: token.0,
            flash: None,
            path: req.path().to_string(),
            user: viewer.user,
            programs: viewer.programs,
            current: viewer.current,
        })
    }
}

impl FromRequest for Shell {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let viewer = match Viewer::from_request(req, payload).into_inner() {
            Ok(viewer) => viewer,
            Err(e) => return ready(Err(e)),
        };
        let session = req.get_session();
        // htmx fragments leave the message for the next whole page.
        let flash = if super::is_htmx(req) {
            None
        } else {
            flash::take(&session)
        };
        ready(Ok(Shell {
            nav: nav::for_role(viewer.user.role, req.path()),
            csrf_token: csrf::token(&session),
            flash,
            path: req.path().to_string(),
            user: viewer.user,
            programs: viewer.programs,
            current: viewer.current,
        }))
    }
}
