//! The index API's query parameters, typed, and the URLs they make. Only what is set is sent, so the
//! server's defaults apply to the rest.

use reqwest::Url;

/// Query parameters in the order they are sent.
pub type Params = Vec<(&'static str, String)>;

/// The most items one page holds.
pub const MAX_PAGE: usize = 500;

/// `GET /providers`. The capacity minimums are the API's; see its contract for what they compare with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderQuery {
    pub active: Option<bool>,
    pub retired: Option<bool>,
    pub min_reputation: Option<u16>,
    pub min_cpu_cores: Option<u64>,
    pub min_ram_gb: Option<u64>,
    pub min_gpus: Option<u64>,
}

impl ProviderQuery {
    pub fn params(&self) -> Params {
        let mut params = Params::new();
        push(&mut params, "active", self.active);
        push(&mut params, "retired", self.retired);
        push(&mut params, "min_reputation", self.min_reputation);
        push(&mut params, "min_cpu_cores", self.min_cpu_cores);
        push(&mut params, "min_ram_gb", self.min_ram_gb);
        push(&mut params, "min_gpus", self.min_gpus);
        params
    }
}

/// `GET /jobs`: parties are authorities (base58), `status` one of the API's job statuses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobQuery {
    pub client: Option<String>,
    pub provider: Option<String>,
    pub status: Option<String>,
    pub mint: Option<String>,
}

impl JobQuery {
    pub fn params(&self) -> Params {
        let mut params = Params::new();
        push(&mut params, "client", self.client.as_ref());
        push(&mut params, "provider", self.provider.as_ref());
        push(&mut params, "status", self.status.as_ref());
        push(&mut params, "mint", self.mint.as_ref());
        params
    }
}

/// `GET /events`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventQuery {
    pub name: Option<String>,
    pub job: Option<String>,
    pub client: Option<String>,
    pub provider: Option<String>,
}

impl EventQuery {
    pub fn params(&self) -> Params {
        let mut params = Params::new();
        push(&mut params, "name", self.name.as_ref());
        push(&mut params, "job", self.job.as_ref());
        push(&mut params, "client", self.client.as_ref());
        push(&mut params, "provider", self.provider.as_ref());
        params
    }
}

/// The job statuses the API filters on.
pub const JOB_STATUSES: [&str; 9] =
    ["open", "assigned", "running", "submitted", "disputed", "completed", "expired", "resolved", "cancelled"];

/// The width of a stats bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    Hour,
    Day,
}

impl Bucket {
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Hour => "hour",
            Bucket::Day => "day",
        }
    }

    pub fn seconds(self) -> i64 {
        match self {
            Bucket::Hour => 3_600,
            Bucket::Day => 86_400,
        }
    }

    /// The most buckets of this width one range may hold.
    pub fn max_buckets(self) -> i64 {
        match self {
            Bucket::Hour => 2_208,
            Bucket::Day => 3_660,
        }
    }
}

/// `bucket`, `from`, `to` of the stats endpoints; unset ones take the server's defaults (days, the 30
/// days before now).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatsRange {
    pub bucket: Option<Bucket>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl StatsRange {
    /// The `buckets` whole buckets that end with the one holding `now`: bucket-aligned, `to` exclusive.
    pub fn last(buckets: i64, bucket: Bucket, now: i64) -> StatsRange {
        let to = (now.div_euclid(bucket.seconds()) + 1) * bucket.seconds();
        StatsRange { bucket: Some(bucket), from: Some(to - buckets * bucket.seconds()), to: Some(to) }
    }

    pub fn params(&self) -> Params {
        let mut params = Params::new();
        push(&mut params, "bucket", self.bucket.map(Bucket::as_str));
        push(&mut params, "from", self.from);
        push(&mut params, "to", self.to);
        params
    }
}

fn push(params: &mut Params, name: &'static str, value: Option<impl ToString>) {
    if let Some(value) = value {
        params.push((name, value.to_string()));
    }
}

/// `<base><path>?<params>&limit=<limit>&cursor=<cursor>`, percent-encoded; `base` may end in `/` and
/// carry a path of its own (an API behind a prefix).
pub fn url(base: &str, path: &str, params: &[(&'static str, String)], page: Option<(usize, Option<&str>)>) -> Result<Url, String> {
    let joined = format!("{}{path}", base.trim_end_matches('/'));
    let mut url = Url::parse(&joined).map_err(|e| format!("`{base}` is not an index API URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{base}` is not an http(s) URL"));
    }
    let mut pairs: Vec<(&str, String)> = params.to_vec();
    if let Some((limit, cursor)) = page {
        pairs.push(("limit", limit.clamp(1, MAX_PAGE).to_string()));
        if let Some(cursor) = cursor {
            pairs.push(("cursor", cursor.to_string()));
        }
    }
    if !pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_is_set_is_sent() {
        assert_eq!(url("http://127.0.0.1:8901", "/jobs", &JobQuery::default().params(), None).unwrap().as_str(), "http://127.0.0.1:8901/jobs");
        let query = JobQuery { client: Some("Cli1".into()), status: Some("completed".into()), ..Default::default() };
        assert_eq!(
            url("http://127.0.0.1:8901/", "/jobs", &query.params(), Some((50, None))).unwrap().as_str(),
            "http://127.0.0.1:8901/jobs?client=Cli1&status=completed&limit=50"
        );
        let providers = ProviderQuery { active: Some(true), retired: Some(false), min_cpu_cores: Some(4), min_reputation: Some(5_000), ..Default::default() };
        assert_eq!(
            url("http://h/api", "/providers", &providers.params(), Some((10, None))).unwrap().as_str(),
            "http://h/api/providers?active=true&retired=false&min_reputation=5000&min_cpu_cores=4&limit=10"
        );
        let events = EventQuery { name: Some("JobPosted".into()), job: Some("J".into()), ..Default::default() };
        assert_eq!(url("http://h", "/events", &events.params(), None).unwrap().query(), Some("name=JobPosted&job=J"));
    }

    #[test]
    fn cursors_are_encoded_and_limits_clamped() {
        let next = url("http://h", "/jobs", &[], Some((9_999, Some("a+b/c=")))).unwrap();
        assert_eq!(next.query(), Some("limit=500&cursor=a%2Bb%2Fc%3D"));
        assert_eq!(url("http://h", "/jobs", &[], Some((0, None))).unwrap().query(), Some("limit=1"));
    }

    #[test]
    fn refuses_what_is_not_an_http_url() {
        assert!(url("127.0.0.1:8901", "/health", &[], None).is_err());
        assert!(url("ftp://h", "/health", &[], None).unwrap_err().contains("not an http(s) URL"));
    }

    #[test]
    fn a_range_of_the_last_buckets_is_aligned_and_ends_after_now() {
        let now = 1_700_000_123; // 2023-11-14T22:15:23Z
        let days = StatsRange::last(30, Bucket::Day, now);
        assert_eq!((days.from, days.to), (Some(1_697_414_400), Some(1_700_006_400)));
        assert_eq!(days.to.unwrap() - days.from.unwrap(), 30 * 86_400);
        assert_eq!(days.params(), vec![("bucket", "day".to_string()), ("from", "1697414400".into()), ("to", "1700006400".into())]);
        let hours = StatsRange::last(2, Bucket::Hour, now);
        assert_eq!((hours.from, hours.to), (Some(1_699_995_600), Some(1_700_002_800)));
        assert_eq!(StatsRange::default().params(), Vec::<(&str, String)>::new());
    }
}
