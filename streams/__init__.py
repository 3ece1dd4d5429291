"""liveblog-streams: news live blogs in, trustworthy running totals out, on Kafka."""

__version__ = "0.1.0"
