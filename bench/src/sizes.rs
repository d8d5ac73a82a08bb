//! The sizes of a generated academy, from `bench-seed` flags.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    pub programs: i64,
    pub facilities: i64,
    pub courses: i64,
    pub students: i64,
    pub enrollments: i64,
}

impl Default for Sizes {
    /// The large academy group.
    fn default() -> Self {
        Self {
            programs: 20,
            facilities: 40,
            courses: 400,
            students: 1_000_000,
            enrollments: 3_000_000,
        }
    }
}

impl Sizes {
    /// `--programs 20 --facilities 40 --courses 400 --students 1000000 --enrollments 3000000`, any subset.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut sizes = Self::default();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it.next().ok_or_else(|| format!("{flag} needs a number"))?;
            let n: i64 = value
                .replace('_', "")
                .parse()
                .map_err(|_| format!("{flag}: {value:?} is not a whole number"))?;
            match flag.as_str() {
                "--programs" => sizes.programs = n,
                "--facilities" => sizes.facilities = n,
                "--courses" => sizes.courses = n,
                "--students" => sizes.students = n,
                "--enrollments" => sizes.enrollments = n,
                other => return Err(format!("unknown flag {other}")),
            }
        }
        sizes.check()?;
        Ok(sizes)
    }

    fn check(&self) -> Result<(), String> {
        if !(1..=999).contains(&self.programs) {
            return Err("--programs must be 1 to 999".into());
        }
        if self.facilities < self.programs || self.courses < 3 * self.programs {
            return Err("each program needs at least one facility and three courses".into());
        }
        if self.students < self.programs || self.students > 9_999_999 {
            return Err("--students must be at least --programs and below 10,000,000".into());
        }
        if self.enrollments < 0 || self.enrollments > 3 * self.students {
            return Err("--enrollments must be 0 to 3 x --students (one student takes three courses at most)".into());
        }
        Ok(())
    }

    pub fn facilities_per_program(&self) -> i64 {
        (self.facilities / self.programs).max(1)
    }

    pub fn courses_per_program(&self) -> i64 {
        (self.courses / self.programs).max(3)
    }

    /// How many enrollments a student takes at most (1 to 3).
    pub fn enrollments_per_student(&self) -> i64 {
        ((self.enrollments + self.students - 1) / self.students).clamp(1, 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_defaults_and_are_checked() {
        let args: Vec<String> = ["--students", "10_000", "--enrollments", "30000"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let sizes = Sizes::parse(&args).unwrap();
        assert_eq!(
            (sizes.students, sizes.enrollments, sizes.programs),
            (10_000, 30_000, 20)
        );
        assert_eq!(sizes.enrollments_per_student(), 3);
        assert!(Sizes::parse(&["--enrollments".into(), "99999999".into()]).is_err());
        assert!(Sizes::parse(&["--bogus".into(), "1".into()]).is_err());
    }
}
