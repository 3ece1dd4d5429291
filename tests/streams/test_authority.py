"""The authority rank that picks a headline's source."""

import pytest

from streams.authority import MEDIA, OFFICIALS, UN_AND_OFFICIAL, UNKNOWN, authority


@pytest.mark.parametrize(
    ("source", "rank"),
    [
        ("OHCHR", UN_AND_OFFICIAL),
        ("UN", UN_AND_OFFICIAL),
        ("Health Ministry", UN_AND_OFFICIAL),
        ("Civil Protection Department", UN_AND_OFFICIAL),
        ("Reuters News Agency", MEDIA),  # a news agency is media, though "agency" is an official word too
        ("Xinhua News Agency", MEDIA),
        ("BBC", MEDIA),
        ("Mayor of Lyon", OFFICIALS),
        ("Agency", OFFICIALS),  # "according to the agency", no agency named before it: the AP as often as a state's
        ("unknown", UNKNOWN),
        (None, UNKNOWN),
    ],
)
def test_sources_rank_un_and_official_bodies_over_officials_over_media(source: str | None, rank: int) -> None:
    assert authority(source) == rank
