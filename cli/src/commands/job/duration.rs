//! A length of time as the job commands take it: hours with decimals, or whole seconds.

use compute_market::constants::SECONDS_PER_HOUR;
use compute_market_client::amounts::parse_sol;

/// Seconds from `--hours H` (decimals allowed, to the nanosecond's ninth decimal) or from the whole
/// seconds flag named `secs_flag`; one of the two is required.
pub fn secs(hours: Option<&str>, secs: Option<u32>, secs_flag: &str) -> Result<u32, String> {
    match (hours, secs) {
        (Some(hours), _) => {
            let secs = parse_sol(hours).map_err(|_| format!("`{hours}` is not a number of hours"))? as u128 * u128::from(SECONDS_PER_HOUR)
                / 1_000_000_000;
            u32::try_from(secs).map_err(|_| format!("{hours} hours is too long"))
        }
        (None, Some(secs)) => Ok(secs),
        (None, None) => Err(format!("give the time as --hours or {secs_flag}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_or_seconds() {
        assert_eq!(secs(Some("1.5"), None, "--secs"), Ok(5_400));
        assert_eq!(secs(Some("0.0001"), None, "--secs"), Ok(0), "below a second rounds down");
        assert_eq!(secs(None, Some(90), "--secs"), Ok(90));
        assert_eq!(secs(Some("x"), None, "--secs"), Err("`x` is not a number of hours".into()));
        assert_eq!(secs(Some("2000000"), None, "--secs"), Err("2000000 hours is too long".into()));
        assert_eq!(secs(None, None, "--duration-secs"), Err("give the time as --hours or --duration-secs".into()));
    }
}
