"""One frozen settings object, read from `LIVEBLOG_*` environment variables."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Topics that only the pipeline reads and writes: each generation has its own.
INTERNAL_TOPICS = frozenset({"updates.unique", "claims", "neardup.bands", "neardup.links"})


class Settings(BaseSettings):
    """Everything an operator can set. Each field is `LIVEBLOG_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="LIVEBLOG_", frozen=True, extra="ignore")

    broker: str = Field(
        default="embedded",
        description="'embedded' starts the bundled Tansu broker; else kafka://host:port[;host:port].",
    )
    app_id: str = Field(default="liveblog", description="Faust app id: consumer group and changelog prefix.")
    topic_prefix: str = Field(default="liveblog", description="Prefix of every topic name.")
    generation: int = Field(
        default=1,
        ge=1,
        description="Bumped by `liveblog reprocess`: a new consumer group, tables and internal topics, rebuilt "
        "from the updates topic.",
    )
    partitions: int = Field(default=1, ge=1, le=1024, description="Partitions of each topic created.")
    replication_factor: int = Field(default=1, ge=1)
    store: str = Field(default="memory://", description="Faust table store: memory:// or rocksdb://")
    data_dir: str = Field(default=".liveblog-data", description="Where Faust keeps its local state.")
    processing_guarantee: str = Field(default="at_least_once", pattern="^(at_least_once|exactly_once)$")
    web_enabled: bool = Field(default=False, description="Serve the worker's HTTP endpoints.")
    web_port: int = Field(default=6066, ge=0, le=65535, description="Worker web server port (0 = pick one).")
    web_host: str = "127.0.0.1"
    log_level: str = Field(default="warn", pattern="^(debug|info|warn|error|critical)$")
    max_event_bytes: int = Field(default=1024 * 1024, ge=1024, description="Larger values are dead-lettered.")
    max_clock_ahead: float = Field(
        default=400 * 86400.0,
        gt=0,
        description="Seconds an event's time may be ahead of the worker's clock before it is dead-lettered as "
        "absurd. Generous by default: the project's demo and test blogs are set up to a year ahead; a live "
        "deployment can set a day.",
    )
    stall_timeout: float = Field(
        default=120.0,
        ge=0,
        description="Seconds with records waiting and no offset committed (outside rebalances) before the worker "
        "declares its consumer stalled and exits to be restarted (`streams.watchdog`); 0 turns the check off.",
    )
    neardup_threshold: float = Field(
        default=0.65, gt=0, le=1, description="Estimated Jaccard similarity from which an entry is a near-duplicate."
    )
    neardup_window: float = Field(
        default=48 * 3600.0, gt=0, description="Seconds of event time an entry stays comparable for near-duplicates."
    )
    fault_extractor_marker: str | None = Field(
        default=None,
        description="Fault injection for tests: an update whose body contains this string makes the extractor "
        "raise, so the dead-letter path of an extractor failure can be exercised on a real worker. Unset in "
        "production (no real input is known to make the extractor raise: the fuzzing looks for one).",
    )
    batch_max: int = Field(default=500, ge=1, description="Most events an agent handles as one batch.")
    batch_within: float = Field(
        default=0.02, gt=0, description="Seconds an agent waits to fill a batch before handling what it has."
    )
    commit_interval: float = Field(default=1.0, gt=0, description="Seconds between offset commits.")
    session_timeout: float = Field(default=10.0, gt=0)
    rebalance_timeout: float = Field(default=5.0, gt=0)
    request_timeout: float = Field(default=30.0, gt=0)
    security_protocol: str = Field(default="PLAINTEXT", pattern="^(PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL)$")
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None

    def topic(self, name: str) -> str:
        """The full name of a topic, e.g. `topic("updates")` → `liveblog.updates`.

        The pipeline's internal topics belong to a generation (`liveblog.claims.g2`); the updates, totals and
        dead-letter topics are the same across generations.
        """
        internal = name in INTERNAL_TOPICS and self.generation > 1
        return f"{self.topic_prefix}.{name}" + (f".g{self.generation}" if internal else "")

    @property
    def group_id(self) -> str:
        """The consumer group (and changelog prefix) Faust uses: `app_id`, versioned by the generation."""
        return self.app_id if self.generation == 1 else f"{self.app_id}-v{self.generation}"

    @property
    def bootstrap_servers(self) -> str:
        """`host:port,host:port` for aiokafka, from a `kafka://` URL."""
        if self.broker == "embedded":
            raise ValueError("the embedded broker has no address until it is started")
        return self.broker.removeprefix("kafka://").replace(";", ",")
