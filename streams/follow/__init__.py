"""Following a live page or feed: poll it, publish new entries and revisions, resume after a restart.

- `cursor`   what to publish given the previous cursor and a fresh parse; the cursor's records (pure)
- `backoff`  the delay before the next poll: intervals, jittered backoff, `Retry-After` (pure)
- `formats`  a fetched body to updates, its format chosen by Content-Type, URL, then sniffing (pure)
- `follower` the loop: HTTP with conditional requests, the cursor topic, publishing (the only I/O)
"""
