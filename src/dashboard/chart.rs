//! Horizontal bars drawn as SVG on the server (labels stay HTML, readable on a phone): no chart
//! library, no script.

pub struct Bar {
    pub label: String,
    pub value_text: String,
    /// Bar length in SVG units (0..=WIDTH).
    pub length: i64,
    /// CSS class: `ok`, `warn` (80% and more) or `over` (beyond 100%).
    pub tone: &'static str,
}

pub struct BarChart {
    pub bars: Vec<Bar>,
}

pub const WIDTH: i64 = 400;

/// One bar per (label, share in percent, text); 100% fills the width, more is capped there.
pub fn percent_bars(rows: impl IntoIterator<Item = (String, i64, String)>) -> BarChart {
    let bars: Vec<Bar> = rows
        .into_iter()
        .map(|(label, percent, value_text)| Bar {
            label,
            value_text,
            length: (percent.clamp(0, 100) * WIDTH / 100).max(if percent > 0 { 2 } else { 0 }),
            tone: match percent {
                p if p > 100 => "over",
                p if p >= 80 => "warn",
                _ => "ok",
            },
        })
        .collect();
    BarChart { bars }
}

/// A month of money: what was billed and collected, as two bars scaled to the largest amount
/// of the year.
pub struct MoneyMonth {
    pub label: String,
    pub billed_text: String,
    pub collected_text: String,
    pub billed: i64,
    pub collected: i64,
}

pub fn money_months(
    rows: &[(
        chrono::NaiveDate,
        bigdecimal::BigDecimal,
        bigdecimal::BigDecimal,
    )],
) -> Vec<MoneyMonth> {
    use bigdecimal::ToPrimitive;
    let largest = rows
        .iter()
        .flat_map(|(_, b, c)| [b, c])
        .max()
        .cloned()
        .unwrap_or_default();
    let length = |amount: &bigdecimal::BigDecimal| -> i64 {
        if largest <= bigdecimal::BigDecimal::from(0) {
            return 0;
        }
        let share = (amount * bigdecimal::BigDecimal::from(WIDTH) / &largest)
            .to_i64()
            .unwrap_or(0);
        share
            .clamp(0, WIDTH)
            .max(if *amount > bigdecimal::BigDecimal::from(0) {
                2
            } else {
                0
            })
    };
    rows.iter()
        .map(|(month, billed, collected)| MoneyMonth {
            label: month.format("%b %Y").to_string(),
            billed_text: crate::web::format::money(billed),
            collected_text: crate::web::format::money(collected),
            billed: length(billed),
            collected: length(collected),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_width_and_warn_near_capacity() {
        let chart = percent_bars([
            ("A".into(), 50, "".into()),
            ("B".into(), 90, "".into()),
            ("C".into(), 150, "".into()),
        ]);
        assert_eq!(chart.bars[0].length, WIDTH / 2);
        assert_eq!((chart.bars[1].tone, chart.bars[2].tone), ("warn", "over"));
        assert_eq!(chart.bars[2].length, WIDTH);
    }

    #[test]
    fn money_bars_scale_to_the_largest_month() {
        let day = |m| chrono::NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        let months = money_months(&[
            (day(11), "1000".parse().unwrap(), "250".parse().unwrap()),
            (day(12), "0".parse().unwrap(), "0.01".parse().unwrap()),
        ]);
        assert_eq!((months[0].billed, months[0].collected), (WIDTH, WIDTH / 4));
        assert_eq!(
            (months[1].billed, months[1].collected),
            (0, 2),
            "a little shows a little"
        );
        assert_eq!(months[0].label, "Nov 2026");
    }
}
