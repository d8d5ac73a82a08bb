//! Ageing: an open invoice's outstanding amount falls in one bucket by days past its due date.

use bigdecimal::BigDecimal;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    NotDue,
    Days1To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl Bucket {
    pub const ALL: [Bucket; 5] = [
        Bucket::NotDue,
        Bucket::Days1To30,
        Bucket::Days31To60,
        Bucket::Days61To90,
        Bucket::Over90,
    ];

    pub fn of(due_on: NaiveDate, today: NaiveDate) -> Bucket {
        match (today - due_on).num_days() {
            i64::MIN..=0 => Bucket::NotDue,
            1..=30 => Bucket::Days1To30,
            31..=60 => Bucket::Days31To60,
            61..=90 => Bucket::Days61To90,
            _ => Bucket::Over90,
        }
    }

    /// The due dates of this bucket on `today`, as (on or after, on or before).
    pub fn due_between(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let ago = |n: u64| today - chrono::Days::new(n);
        match self {
            Bucket::NotDue => (Some(today), None),
            Bucket::Days1To30 => (Some(ago(30)), Some(ago(1))),
            Bucket::Days31To60 => (Some(ago(60)), Some(ago(31))),
            Bucket::Days61To90 => (Some(ago(90)), Some(ago(61))),
            Bucket::Over90 => (None, Some(ago(91))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Bucket::NotDue => "Not yet due",
            Bucket::Days1To30 => "1-30 days",
            Bucket::Days31To60 => "31-60 days",
            Bucket::Days61To90 => "61-90 days",
            Bucket::Over90 => "Over 90 days",
        }
    }

    pub fn param(self) -> &'static str {
        match self {
            Bucket::NotDue => "not_due",
            Bucket::Days1To30 => "1-30",
            Bucket::Days31To60 => "31-60",
            Bucket::Days61To90 => "61-90",
            Bucket::Over90 => "over_90",
        }
    }

    pub fn parse(raw: &str) -> Option<Bucket> {
        Bucket::ALL.into_iter().find(|b| b.param() == raw)
    }

    fn index(self) -> usize {
        Bucket::ALL
            .iter()
            .position(|b| *b == self)
            .expect("a bucket")
    }
}

/// Amounts by bucket.
#[derive(Debug, Clone, Default)]
pub struct Ageing(pub [BigDecimal; 5]);

impl Ageing {
    pub fn add(&mut self, bucket: Bucket, amount: &BigDecimal) {
        self.0[bucket.index()] += amount;
    }
    pub fn get(&self, bucket: &Bucket) -> &BigDecimal {
        &self.0[bucket.index()]
    }
    pub fn total(&self) -> BigDecimal {
        self.0.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_ages_by_days_past_its_due_date() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let days_ago = |n| today - chrono::Days::new(n);
        assert_eq!(Bucket::of(today, today), Bucket::NotDue);
        assert_eq!(
            Bucket::of(today + chrono::Days::new(3), today),
            Bucket::NotDue
        );
        assert_eq!(Bucket::of(days_ago(1), today), Bucket::Days1To30);
        assert_eq!(Bucket::of(days_ago(30), today), Bucket::Days1To30);
        assert_eq!(Bucket::of(days_ago(31), today), Bucket::Days31To60);
        assert_eq!(Bucket::of(days_ago(90), today), Bucket::Days61To90);
        assert_eq!(Bucket::of(days_ago(91), today), Bucket::Over90);
        // The ranges a filter uses agree with the buckets.
        for b in Bucket::ALL {
            let (from, to) = b.due_between(today);
            for n in 0..120u64 {
                let due = days_ago(n);
                let inside = from.is_none_or(|f| due >= f) && to.is_none_or(|t| due <= t);
                assert_eq!(inside, Bucket::of(due, today) == b, "{b:?} {n}");
            }
        }
    }
}
